"""National runs on the map: display outlines, one province's desa, exports of a subset."""

from __future__ import annotations

import io as stdio
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from infra_gap.config import ScoringParams
from infra_gap.errors import DataError
from infra_gap.io import partitioned
from infra_gap.national.engine import engine_spec
from infra_gap.national.generate import NationalParams
from infra_gap.national.partitions import workload_table
from infra_gap.national.view import (
    coarse_outlines,
    national_display,
    province_subset,
    workload_provinces,
)
from infra_gap.national.workload import Workload
from infra_gap.outputs.export import bare_column, ranked_csv
from infra_gap.ranking.scoring import rank_areas
from infra_gap.runs import national_workload

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Workload:
    out = tmp_path_factory.mktemp("national_view")
    wl, _ = national_workload(out, data_dir=ROOT / "data", params=NationalParams(scale=0.002))
    return wl


def test_coarse_outlines_drop_small_holes_and_parts_and_keep_the_largest() -> None:
    shell = [(0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000)]
    small_hole = [(100, 100), (200, 100), (200, 200), (100, 200)]  # 0.01 km2
    big_hole = [(2_000, 2_000), (5_000, 2_000), (5_000, 5_000), (2_000, 5_000)]  # 9 km2
    with_holes = Polygon(shell, [small_hole, big_hole])
    islet = box(20_000, 0, 20_500, 500)  # 0.25 km2
    tiny_only = box(0, 0, 10, 10)
    geoms = np.array([shapely.MultiPolygon([with_holes, islet]), tiny_only, None], dtype=object)
    out = coarse_outlines(geoms, tolerance=1.0, min_part=1e6)
    assert out[0].geom_type == "Polygon"  # the islet went
    assert len(out[0].interiors) == 1  # the 9 km2 hole stayed, the small one went
    assert out[0].area == pytest.approx(100e6 - 9e6)
    assert out[1].area == pytest.approx(100.0)  # an area keeps its largest part
    assert out[2] is None


def test_national_kecamatan_outlines_cover_every_area_in_lon_lat(small: Workload) -> None:
    raw = partitioned.read_areas(small.root / "kecamatan", crs=small.crs)
    shown = national_display(small, level="kecamatan")
    assert shown.crs.to_epsg() == 4326
    assert sorted(shown["kode"]) == shown["kode"].tolist() == sorted(raw["kode"])
    assert shapely.is_valid(shown.geometry.to_numpy()).all()
    assert not shown.geometry.is_empty.any()
    minx, miny, maxx, maxy = shown.total_bounds
    assert 94 < minx < maxx < 142
    assert -12 < miny < maxy < 7
    raw_coords = shapely.get_num_coordinates(raw.geometry.to_numpy()).sum()
    assert shapely.get_num_coordinates(shown.geometry.to_numpy()).sum() < raw_coords / 2


def test_desa_come_one_province_at_a_time(small: Workload) -> None:
    with pytest.raises(DataError, match="one province at a time"):
        national_display(small, level="desa")
    with pytest.raises(DataError, match="not in the workload"):
        national_display(small, level="desa", province="99")
    with pytest.raises(DataError, match="level"):
        national_display(small, level="dusun", province="12")
    province = workload_provinces(small)[1]
    shown = national_display(small, level="desa", province=province)
    every = partitioned.read_columns(small.root / "desa", ["kode"])["kode"]
    assert sorted(shown["kode"]) == sorted(k for k in every if k[:2] == province)
    assert len(shown) < len(every)


def test_exports_of_a_province_subset_keep_exactly_its_rows(small: Workload) -> None:
    table, _ = workload_table(small, level="kecamatan", spec=engine_spec())
    province = workload_provinces(small)[2]
    subset = province_subset(table, province)
    assert 0 < len(subset) < len(table)
    assert (subset["kode"].str[:2] == province).all()
    assert province_subset(table, None) is table
    with pytest.raises(DataError, match="no area"):
        province_subset(table, "99")
    ranked = rank_areas(subset, ScoringParams().weights)
    assert ranked["rank"].tolist() == list(range(1, len(subset) + 1))
    csv = pd.read_csv(
        stdio.BytesIO(ranked_csv(ranked, synthetic=small.synthetic)), dtype=str
    ).rename(columns=bare_column)
    assert sorted(csv["kode"]) == sorted(subset["kode"])
    assert (csv["data_status"].str.contains("synthetic", case=False)).all()


def test_national_rank_takes_a_preset_and_a_province_and_writes_xlsx(
    small: Workload, tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from infra_gap.cli.national import national_app

    province = workload_provinces(small)[2]
    out = tmp_path / "p.xlsx"
    args = ["rank", "--workload", str(small.root), "--engine", "local", "--level", "kecamatan"]
    args += ["--province", province, "--preset", "daerah_terpencil", "--out", str(out)]
    args += ["--stability", "50"]
    res = CliRunner().invoke(national_app, args)
    assert res.exit_code == 0, res.output
    assert "preset daerah_terpencil" in res.output
    sheet = load_workbook(out).worksheets[0]  # not read-only: that keeps the file open
    rows = [r for r in sheet.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    kec = partitioned.read_columns(small.root / "kecamatan", ["kode"])["kode"]
    assert len(rows) == (kec.str[:2] == province).sum()


def test_national_rank_single_weight_orders_by_it_and_refuses_a_pdf(
    small: Workload, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from infra_gap.cli.national import national_app

    out = tmp_path / "r.csv"
    base = ["rank", "--workload", str(small.root), "--engine", "local", "--level", "kabupaten"]
    res = CliRunner().invoke(
        national_app, [*base, "--weight", "msme_uncovered=1", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    got = pd.read_csv(out, dtype={"kode": str}).rename(columns=bare_column)
    expected = got.sort_values(["msme_uncovered", "kode"], ascending=[False, True])["kode"]
    assert got["kode"].tolist() == expected.tolist()
    assert np.allclose(got["contrib_msme_uncovered"], got["score"])
    pdf = CliRunner().invoke(national_app, [*base, "--out", str(tmp_path / "r.pdf")])
    assert pdf.exit_code == 2
    assert "no PDF dossier" in pdf.output


def test_rank_on_a_workload_takes_a_preset_and_refuses_own_files(
    small: Workload, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from infra_gap.cli.main import app

    out = tmp_path / "w.csv"
    args = ["rank", "--workload", str(small.root), "--engine", "local", "--level", "kabupaten"]
    res = CliRunner().invoke(app, [*args, "--preset", "daerah_terpencil", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "preset daerah_terpencil" in res.output
    got = pd.read_csv(out, dtype={"kode": str}).rename(columns=bare_column)
    assert {"contrib_island", "contrib_backbone_km"} <= set(got.columns)
    assert len(got) == len(partitioned.read_columns(small.root / "kabupaten", ["kode"]))
    bad = CliRunner().invoke(app, [*args, "--areas", str(out), "--out", str(out)])
    assert bad.exit_code == 2
    assert "not both" in bad.output  # own files are ranked on Dask without --workload (#17)
