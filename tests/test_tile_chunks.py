"""Speed tiles are read in chunks and reduced to the tiles near the areas (issue 22, item 2).

The tiles are Ookla-shaped (zoom-16 quadkeys, a WKT ``tile`` column or a polygon layer):
those covering the office's desa (UTM 47N, BIG columns, :mod:`tests.office_files`) and a
margin around them, interleaved with tiles far away (Jawa, and 1 degree north), as in a
world file.  Read in chunks, and with the far tiles left out as they are read, the ranking
and the rejected rows are byte-identical to keeping every tile until placement; rows in =
placed + rejected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyproj import Transformer
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.analysis import inputs
from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.analysis.tiles import lonlat_to_tile, tile_bounds, tile_to_quadkey
from infra_gap.cli.main import app
from infra_gap.errors import InfraGapError
from infra_gap.outputs.export import rejected_rows
from tests import office_files


def _tiles() -> tuple[pd.DataFrame, np.ndarray]:
    """Tiles over the desa and 1 km around, and far ones, interleaved (fixed seed).

    Also which are the far ones.
    """
    x0, y0, x1, y1 = office_files.desa().total_bounds
    to_deg = Transformer.from_crs(office_files.UTM, 4326, always_xy=True)
    west, south, east, north = to_deg.transform_bounds(x0 - 1000, y0 - 1000, x1 + 1000, y1 + 1000)
    (tx0, tx1), (ty1, ty0) = lonlat_to_tile(np.array([west, east]), np.array([south, north]), 16)
    tx, ty = np.meshgrid(np.arange(tx0, tx1 + 1), np.arange(ty0, ty1 + 1))
    near = (tx.ravel(), ty.ravel())
    far = lonlat_to_tile(
        np.array([110.4, 110.41, 98.5, 98.51]), np.array([-7.0, -7.0, 4.5, 4.5]), 16
    )
    tx = np.concatenate([near[0], far[0]])
    ty = np.concatenate([near[1], far[1]])
    rng = np.random.default_rng(22)
    order = rng.permutation(len(tx))
    tx, ty, is_far = tx[order], ty[order], order >= len(near[0])
    w, s, e, n = tile_bounds(tx, ty, 16)
    wkt = [
        f"POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}))"
        for a, b, c, d in zip(w.round(7), s.round(7), e.round(7), n.round(7), strict=True)
    ]
    k = len(tx)
    frame = pd.DataFrame(
        {
            "quadkey": tile_to_quadkey(tx, ty, 16),
            "tile": wkt,
            "avg_d_kbps": rng.integers(500, 30_000, k),
            "avg_u_kbps": rng.integers(100, 9_000, k),
            "avg_lat_ms": rng.integers(10, 300, k),
            "tests": rng.integers(1, 40, k),
            "devices": rng.integers(1, 12, k),
        }
    )
    return frame, is_far


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiles")
    tiles, far = _tiles()
    parquet = folder / "tiles.parquet"
    pq.write_table(pa.Table.from_pandas(tiles, preserve_index=False), parquet, row_group_size=50)
    layer = io.read_speed_tiles(parquet).drop(columns=["row", "tile"])
    gpkg = folder / "tiles.gpkg"
    layer.to_file(gpkg, layer="OOKLA", engine="pyogrio")
    geojson = folder / "tiles.geojson"
    layer.to_crs(4326).to_file(geojson, driver="GeoJSON", engine="pyogrio")
    desa = folder / "desa.gpkg"
    office_files.desa().to_file(desa, layer="ADMINISTRASIDESA_AR", engine="pyogrio")
    msme = office_files.msme_csv(folder / "umkm.csv")
    cov = office_files.coverage_tif(folder / "cov.tif")
    return {"parquet": parquet, "gpkg": gpkg, "geojson": geojson, "desa": desa,
            "msme": msme, "cov": cov, "tiles": tiles, "far": far}  # fmt: skip


@pytest.mark.parametrize("fmt", ["parquet", "gpkg", "geojson"])
def test_tiles_in_chunks_of_one_equal_one_chunk(office, monkeypatch, fmt):
    whole = io.read_speed_tiles(office[fmt])
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=1552")  # tiles: a 16th, 97
    chunked = io.read_speed_tiles(office[fmt])
    pd.testing.assert_frame_equal(whole.to_wkt(), chunked.to_wkt())
    assert len(whole) == len(office["tiles"]) > 2 * 97
    assert whole["quadkey"].tolist() == office["tiles"]["quadkey"].tolist()
    assert whole["row"].tolist() == [str(i + 1) for i in range(len(whole))]


@pytest.mark.catalogue("G4")
def test_far_tiles_are_left_out_as_read_by_row(office):
    desa = io.read_areas(office["desa"])
    keep = inputs.tiles_near(desa.total_bounds, desa.crs)
    read = io.scan_speed_tiles(office["parquet"], keep=keep)
    assert len(read.tiles) + len(read.left_out) == read.rows == len(office["tiles"])
    assert read.left_out.tolist() == [str(i + 1) for i in np.flatnonzero(office["far"])]
    assert len(read.left_out) == 4
    kept = office["tiles"]["quadkey"][~office["far"]]
    assert read.tiles["quadkey"].tolist() == kept.tolist()


def test_a_bad_quadkey_in_a_later_chunk_names_its_row(office, tmp_path, monkeypatch):
    tiles = office["tiles"].copy()
    tiles.loc[40, "quadkey"] = "13222312023210307"  # zoom 17 among zoom 16
    path = tmp_path / "tiles.parquet"
    pq.write_table(pa.Table.from_pandas(tiles, preserve_index=False), path)
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=40")
    with pytest.raises(InfraGapError, match=r"row 41, column `quadkey`") as err:
        io.read_speed_tiles(path)
    assert err.value.code == "E_DATA"


def _rank(office, tmp_path, label, fmt):
    out = tmp_path / label
    out.mkdir()
    args = [
        "rank",
        "--level",
        "desa",
        "--areas",
        str(office["desa"]),
        "--msme",
        str(office["msme"]),
    ]
    args += ["--coverage", str(office["cov"]), "--speedtests", str(office[fmt])]
    args += ["--stability", "20", "--out", str(out / "r.csv"), "--rejected", str(out / "rej.csv")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("rows:")]
    return (out / "r.csv").read_bytes(), (out / "rej.csv").read_bytes(), rows


@pytest.mark.full  # runs the CLI rank twice: make test
def test_rank_with_far_tiles_left_out_in_chunks_equals_every_tile_kept(
    office, tmp_path, monkeypatch
):
    monkeypatch.setattr(inputs, "tiles_near", lambda *_: lambda qk: np.ones(len(qk), bool))
    every = _rank(office, tmp_path, "every", "parquet")
    monkeypatch.undo()
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=1552")
    near = _rank(office, tmp_path, "near", "parquet")
    assert near == every
    said = " ".join(near[2])
    n = len(office["tiles"])
    rejected = pd.read_csv(tmp_path / "near" / "rej.csv", dtype=str)
    tiles_out = rejected[rejected["source"] == "speed_tiles"]
    assert (
        f"speed_tiles read {n}, placed {n - len(tiles_out)}, rejected {len(tiles_out)}" in said
    ), said
    assert len(tiles_out) > 4  # the far ones and the margin's
    assert tiles_out["row"].astype(int).is_monotonic_increasing


def test_every_export_lists_the_tiles_left_out_where_placement_would(office, monkeypatch):
    """The XLSX, GeoPackage and app list ``rejected_rows``: the same rows in the same order."""
    paths = inputs.InputPaths(
        areas=office["desa"], msme=office["msme"], coverage=office["cov"],
        speed_tiles=office["parquet"],
    )  # fmt: skip
    listed = {}
    for label in ("every", "near"):
        if label == "every":
            monkeypatch.setattr(inputs, "tiles_near", lambda *_: lambda qk: np.ones(len(qk), bool))
        layers = inputs.load_layers(paths).layers
        monkeypatch.undo()
        facts = place_and_cover(layers, covered_min=1.0)
        listed[label] = rejected_rows(layers, facts.rejected)
    assert (listed["near"]["source"] == "speed_tiles").sum() > 4
    pd.testing.assert_frame_equal(listed["near"], listed["every"])
