"""The national synthetic workload, its files, and splitting any layers by code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import typer
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import box
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.analysis.coverage import point_coverage, sample_raster
from infra_gap.cli.national import national_app
from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError, InputFileError, SchemaError
from infra_gap.io import partitioned
from infra_gap.layers import Layers, Raster, Source
from infra_gap.national.engine import engine_spec
from infra_gap.national.generate import NATIONAL_CRS, PROVINCES, NationalParams
from infra_gap.national.partitions import workload_table
from infra_gap.national.workload import Workload, read_workload, split_layers
from infra_gap.outputs.export import bare_column
from infra_gap.runs import national_workload

ROOT = Path(__file__).resolve().parents[1]
SCALE = 0.002


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Workload:
    out = tmp_path_factory.mktemp("national")
    wl, _ = national_workload(out, data_dir=ROOT / "data", params=NationalParams(scale=SCALE))
    return wl


def test_counts_follow_the_scale(small: Workload) -> None:
    counts = io.read_json(small.root / "manifest.json")["counts"]
    assert counts["desa"] == round(83_218 * SCALE) == 166
    assert counts["msme"] == round(65_000_000 * SCALE) == 130_000
    assert small.parts == PROVINCES
    assert len(PROVINCES) == 38
    rows = [partitioned.count_rows(partitioned.part_path(small.root, "msme", p)) for p in PROVINCES]
    assert sum(rows) == 130_000
    assert small.crs == NATIONAL_CRS
    assert small.synthetic
    assert all(s.synthetic for s in small.sources)


def test_codes_nest_within_their_province(small: Workload) -> None:
    desa = partitioned.read_areas(small.root / "desa", crs=small.crs)
    kec = partitioned.read_areas(small.root / "kecamatan", crs=small.crs)
    kab = partitioned.read_areas(small.root / "kabupaten", crs=small.crs)
    assert desa["kode"].is_unique
    assert desa["kode"].str.fullmatch(r"\d\d\.\d\d\.\d\d\.\d{4}").all()
    assert set(desa["kode"].str.slice(0, 8)) == set(kec["kode"])
    assert set(desa["kode"].str.slice(0, 5)) == set(kab["kode"])
    for code in PROVINCES[:5]:
        part = partitioned.read_areas(
            partitioned.part_path(small.root, "desa", code), crs=small.crs
        )
        assert (part["kode"].str.slice(0, 3) == code + ".").all()
    assert set(small.capitals) == set(PROVINCES)
    assert set(small.capitals.values()) <= set(kab["kode"])


def test_provinces_are_apart_and_inside_indonesia(small: Workload) -> None:
    kab = partitioned.read_areas(small.root / "kabupaten", crs=small.crs)
    boxes = kab.dissolve(by=kab["kode"].str.slice(0, 2)).geometry.envelope.to_numpy()
    gaps = shapely.distance(boxes[:, None], boxes[None, :])
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min() >= 20_000.0
    lon, lat = Transformer.from_crs(small.crs, "EPSG:4326", always_xy=True).transform(
        *kab.total_bounds.reshape(2, 2).T
    )
    assert min(lon) >= 95.0
    assert max(lon) <= 141.0
    assert min(lat) >= -11.0
    assert max(lat) <= 6.0


def test_every_msme_is_placed_in_its_province_and_on_known_coverage(small: Workload) -> None:
    table, accounts = workload_table(small, level="kabupaten", spec=engine_spec())
    assert accounts[0].read == accounts[0].used == 130_000
    assert table["msme_coverage_unknown"].sum() == 0  # the raster covers each province + 2 km
    assert 0 < table["msme_uncovered"].sum() < 130_000
    assert accounts[1].used > 0
    assert table["speed_tests"].sum() > 0


def test_generation_is_deterministic(tmp_path: Path) -> None:
    params = NationalParams(scale=0.0005)
    a, _ = national_workload(tmp_path / "a", data_dir=ROOT / "data", params=params)
    b, _ = national_workload(tmp_path / "b", data_dir=ROOT / "data", params=params)
    ma, mb = (io.read_json(w.root / "manifest.json") for w in (a, b))
    assert ma.pop("generation_seconds") >= 0
    mb.pop("generation_seconds")
    assert ma == mb
    for code in ("11", "53", "96"):
        xa, ya, oa = partitioned.read_points(
            partitioned.part_path(a.root, "msme", code), columns=["online"]
        )
        xb, yb, ob = partitioned.read_points(
            partitioned.part_path(b.root, "msme", code), columns=["online"]
        )
        assert np.array_equal(xa, xb)
        assert np.array_equal(ya, yb)
        assert oa.equals(ob)
        assert np.array_equal(xa, xa.round())  # whole metres
    ra = partitioned.read_raster_window(a.root / "coverage.tif", (-1e9, -1e9, 1e9, 1e9))
    rb = partitioned.read_raster_window(b.root / "coverage.tif", (-1e9, -1e9, 1e9, 1e9))
    assert np.array_equal(ra.array, rb.array)


def test_scale_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="--scale must be in"):
        national_workload(tmp_path, data_dir=ROOT / "data", params=NationalParams(scale=0.0))


@pytest.mark.parametrize(
    ("manifest", "match"),
    [({"version": 99}, "manifest version 99, expected 1"), ({"version": 1}, "lacks or garbles")],
)
def test_a_bad_manifest_is_a_schema_error(
    tmp_path: Path, manifest: dict[str, int], match: str
) -> None:
    io.write_json(manifest, tmp_path / "manifest.json")
    with pytest.raises(SchemaError, match=match):
        read_workload(tmp_path)
    with pytest.raises(InputFileError, match="file not found"):
        read_workload(tmp_path / "absent")


# ---- the io layer ------------------------------------------------------------------------


def test_points_round_trip_as_geoparquet(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    attrs = pd.DataFrame({"online": [True, False], "row": ["2", "3"]})
    partitioned.write_points(np.array([1.5, 2.0]), np.array([3.0, 4.25]), attrs, path, crs=WORK_CRS)
    x, y, got = partitioned.read_points(path, columns=["online", "absent"])
    assert x.tolist() == [1.5, 2.0]
    assert y.tolist() == [3.0, 4.25]
    assert list(got.columns) == ["online"]
    gdf = gpd.read_parquet(path)  # a standard GeoParquet reader sees the points and the CRS
    assert gdf.crs.equals(WORK_CRS)
    assert gdf.geometry.x.tolist() == [1.5, 2.0]
    empty = tmp_path / "e.parquet"
    partitioned.write_points(np.empty(0), np.empty(0), attrs.iloc[:0], empty, crs=WORK_CRS)
    assert len(partitioned.read_points(empty)[0]) == 0


def test_sparse_geotiff_reads_no_data_where_nothing_was_written(tmp_path: Path) -> None:
    path = tmp_path / "s.tif"
    block = np.ones((3, 4), dtype="uint8")
    t = Affine(100.0, 0.0, 0.0, 0.0, -100.0, 100_000.0)
    partitioned.write_sparse_geotiff(
        path,
        width=3000,
        height=2000,
        transform=t,
        crs=WORK_CRS,
        nodata=255,
        blocks=[(10, 20, block)],
    )
    r = partitioned.read_raster_window(path, (1_900.0, 98_600.0, 2_500.0, 99_000.0))
    assert r.array.shape == (6, 8)  # 4 x 6 pixels plus a one-pixel margin
    assert (r.transform.c, r.transform.f) == (1_800.0, 99_100.0)
    assert (r.array[1:4, 2:6] == 1).all()  # the 3 x 4 block, at row 10 and column 20
    assert (r.array == 1).sum() == 12
    assert (r.array[r.array != 1] == 255).all()
    assert path.stat().st_size < 100_000  # 6 million pixels, almost none stored


@settings(max_examples=60, deadline=None)
@given(
    minx=st.floats(-500, 2_500),
    miny=st.floats(-500, 2_500),
    w=st.floats(0, 3_000),
    h=st.floats(0, 3_000),
    seed=st.integers(0, 2**16),
)
def test_a_window_samples_like_the_whole_raster(
    tmp_path_factory: pytest.TempPathFactory,
    minx: float,
    miny: float,
    w: float,
    h: float,
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    whole = Raster(
        rng.integers(0, 3, (20, 20)).astype("uint8"),
        Affine(100.0, 0, 0, 0, -100.0, 2_000.0),
        WORK_CRS,
        2,
    )
    path = tmp_path_factory.mktemp("w") / "r.tif"
    io.write_geotiff(whole, path)
    window = partitioned.read_raster_window(path, (minx, miny, minx + w, miny + h))
    x, y = rng.uniform(minx, minx + w, 50), rng.uniform(miny, miny + h, 50)
    # a point within a micrometre of a pixel edge may fall either side in floating point
    # (2000 - 7e-15 == 2000.0: outside the whole raster, inside a window's first row)
    clear = (np.abs(x / 100 - np.round(x / 100)) > 1e-8) & (
        np.abs(y / 100 - np.round(y / 100)) > 1e-8
    )
    x, y = x[clear], y[clear]
    a = point_coverage(whole, x, y, xy_crs=WORK_CRS, covered_min=1)
    b = point_coverage(window, x, y, xy_crs=WORK_CRS, covered_min=1)
    assert np.array_equal(a.covered, b.covered)
    assert np.array_equal(a.unknown, b.unknown)
    assert np.array_equal(
        sample_raster(whole, x, y, xy_crs=WORK_CRS)[1],
        sample_raster(window, x, y, xy_crs=WORK_CRS)[1],
    )


# ---- splitting layers by code ------------------------------------------------------------


def test_split_puts_an_overlap_point_in_the_lowest_codes_partition(tmp_path: Path) -> None:
    """B (12.01) and C (12.02) overlap on x 15-20 km; a point there belongs to B, so to 12.01."""
    areas = gpd.GeoDataFrame(
        {"kode": ["12.01.01.2001", "12.01.01.2002", "12.02.01.2001"], "nama": ["A", "B", "C"]},
        geometry=[
            box(0, 0, 10_000, 10_000),
            box(10_000, 0, 20_000, 10_000),
            box(15_000, 0, 25_000, 10_000),
        ],
        crs=WORK_CRS,
    )
    kec = gpd.GeoDataFrame(
        {"kode": ["12.01.01", "12.02.01"], "nama": ["K1", "K2"]},
        geometry=[box(0, 0, 20_000, 10_000), box(15_000, 0, 25_000, 10_000)],
        crs=WORK_CRS,
    )
    kab = kec.assign(kode=["12.01", "12.02"], nama=["Kab 1", "Kab 2"], jenis="kabupaten")
    pts = gpd.points_from_xy(
        [5_000, 17_000, 22_000, 40_000], [5_000, 5_000, 5_000, 5_000], crs=WORK_CRS
    )
    raster = Raster(
        np.ones((1, 3), dtype="uint8"),
        Affine(10_000.0, 0, 0, 0, -10_000.0, 10_000.0),
        WORK_CRS,
        255,
    )
    layers = Layers(
        areas={"desa": areas, "kecamatan": kec, "kabupaten": kab},
        msme=gpd.GeoDataFrame({"online": [True, False, False, True]}, geometry=pts),
        coverage=raster,
        sources=(Source("msme", "test", "-", "-", synthetic=False),),
    )
    wl = split_layers(layers, tmp_path, by="kabupaten")
    assert wl.parts == ("12.01", "12.02")
    rows = [partitioned.count_rows(partitioned.part_path(tmp_path, "msme", p)) for p in wl.parts]
    assert rows == [3, 1]  # A, B (the overlap point) and the stray point; C's own point
    table, accounts = workload_table(wl, level="desa", spec=engine_spec())
    assert table["msme_total"].tolist() == [1, 1, 1]
    assert table["msme_uncovered"].tolist() == [0, 0, 0]
    assert table["msme_online"].tolist() == [1, 0, 0]
    assert (accounts[0].read, accounts[0].rejected) == (4, 1)
    assert not wl.synthetic


def test_split_refuses_an_unknown_partition_level(demo_layers: Layers, tmp_path: Path) -> None:
    with pytest.raises(DataError, match="`by` must be one of"):
        split_layers(demo_layers, tmp_path, by="kecamatan")


# ---- the commands ------------------------------------------------------------------------


def test_generate_then_rank_on_the_command_line(tmp_path: Path) -> None:
    app = typer.Typer()
    app.add_typer(national_app, name="national")
    runner = CliRunner()
    out = tmp_path / "wl"
    made = runner.invoke(app, ["national", "generate", "--scale", "0.0005", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert "38 provinces" in made.output
    assert "42 desa, 32,500 MSMEs" in made.output
    assert "SYNTHETIC" in made.output
    csv = tmp_path / "r.csv"
    args = ["national", "rank", "--engine", "local", "--workload", str(out), "--level", "kabupaten"]
    ranked = runner.invoke(app, [*args, "--out", str(csv)])
    assert ranked.exit_code == 0, ranked.output
    assert "msme read 32,500, placed 32,500, rejected 0" in ranked.output
    frame = pd.read_csv(csv, encoding="utf-8-sig").rename(columns=bare_column)
    assert frame["rank"].tolist() == list(range(1, len(frame) + 1))
    assert (frame["data_status"] == "synthetic demo / demo sintetis").all()
    bad = runner.invoke(app, ["national", "generate", "--scale", "2", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2
    assert "error [E_USAGE]: --scale must be in (0, 1]" in bad.stderr
