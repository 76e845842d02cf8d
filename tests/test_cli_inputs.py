"""The `rank` command's input contract, on small hand-made files."""

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely.geometry import Point, box

from infra_gap.outputs.export import bare_column
from infra_gap.siting.costs import CostParams
from tests.conftest import ROOT


def _run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "infra_gap", "rank", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def _files(tmp_path):
    areas = gpd.GeoDataFrame(
        {"KDKEC": ["12.71.01", "12.71.02"], "NMKEC": ["Satu", "=Dua"]},
        geometry=[box(98.60, 3.50, 98.61, 3.51), box(98.61, 3.50, 98.62, 3.51)],
        crs="EPSG:4326",
    )
    areas.to_file(tmp_path / "kec.geojson")
    (tmp_path / "umkm.csv").write_bytes(
        "lintang;bujur;online\n3,505;98,605;ya\n3,506;98,606;tidak\n3,505;98,615;tidak\n"
        "98,605;3,505;tidak\n;;tidak\n".encode("latin-1")
    )
    # coverage: the west half (Satu) covered, the east half not, in UTM 47N
    with rasterio.open(
        tmp_path / "cov.tif",
        "w",
        driver="GTiff",
        width=2,
        height=1,
        count=1,
        dtype="uint8",
        crs="EPSG:4326",
        transform=Affine(0.01, 0, 98.60, 0, -0.01, 3.51),
        nodata=255,
    ) as dst:
        dst.write(np.array([[1, 0]], dtype="uint8"), 1)
    return tmp_path


def test_rank_own_files_with_rejected_list(tmp_path):
    d = _files(tmp_path)
    proc = _run(
        "--areas",
        d / "kec.geojson",
        "--level",
        "kecamatan",
        "--msme",
        d / "umkm.csv",
        "--coverage",
        d / "cov.tif",
        "--out",
        d / "out.csv",
        "--rejected",
        d / "rej.csv",
        "--weight",
        "msme_uncovered=1",
        "--stability",
        "50",
        cwd=d,
    )
    assert proc.returncode == 0, proc.stderr
    assert "rows: msme read 5, placed 3, rejected 2" in proc.stdout
    out = pd.read_csv(d / "out.csv", encoding="utf-8-sig", dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert out["kode"].tolist() == ["12.71.02", "12.71.01"]  # Dua: 1 uncovered MSME
    assert out["nama"].tolist() == ["'=Dua", "Satu"]  # formula neutralised, text intact
    assert out["msme_total"].tolist() == [1, 2]
    assert out["msme_uncovered"].tolist() == [1, 0]
    assert (out["data_status"].str.contains("user data")).all()
    rej = pd.read_csv(d / "rej.csv", encoding="utf-8-sig", dtype=str)
    reasons = dict(zip(rej["row"], rej["reason"], strict=True))
    assert reasons["6"] == "missing coordinate"
    assert reasons["5"].startswith("latitude and longitude look swapped")
    assert len(rej) == 2


def test_input_options_need_areas(tmp_path):
    d = _files(tmp_path)
    proc = _run("--msme", d / "umkm.csv", cwd=d)
    assert proc.returncode == 2
    assert "--msme needs --areas" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = _run("--areas", d / "kec.geojson", cwd=d)
    assert proc.returncode == 2
    assert "--areas needs --msme" in proc.stderr


def test_xlsx_output_by_extension(tmp_path):
    d = _files(tmp_path)
    proc = _run(
        "--areas",
        d / "kec.geojson",
        "--level",
        "kecamatan",
        "--msme",
        d / "umkm.csv",
        "--coverage",
        d / "cov.tif",
        "--out",
        d / "out.xlsx",
        "--stability",
        "20",
        cwd=d,
    )
    assert proc.returncode == 0, proc.stderr
    import openpyxl

    wb = openpyxl.load_workbook(d / "out.xlsx")
    assert "Prioritas" in wb.sheetnames
    assert "Data ditolak" in wb.sheetnames
    assert wb["Data ditolak"].max_row == 3  # header + 2 rejected rows


@pytest.mark.catalogue("B9")
def test_cli_refuses_an_unsafe_environment(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    code = (
        # GDAL's drivers registered before the CLI could harden the environment (an embedding
        # program did it): the CLI finds VRT and SQLite and refuses.
        "import sys, pyogrio; pyogrio.list_drivers();"
        f"sys.argv=['infra-gap','rank','--out',{str(tmp_path / 'r.csv')!r}];"
        "from infra_gap.cli.main import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert proc.returncode == 1
    assert "E_SECURITY" in proc.stderr
    assert "OGR_VRT" in proc.stderr
    assert "Traceback" not in proc.stderr


def _sites(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "infra_gap", "sites", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_sites_on_own_files(tmp_path):
    d = _files(tmp_path)
    proc = _sites(
        "--areas", d / "kec.geojson", "--level", "kecamatan", "--msme", d / "umkm.csv",
        "--coverage", d / "cov.tif", "--count", "1", "--radius-km", "1", "--out", d / "s.csv",
        "--per-area-out", d / "kec.csv",
        cwd=d,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "rows: msme read 5, placed 3, rejected 2" in proc.stdout  # the same accounting
    assert "demand: 1 MSMEs not covered" in proc.stdout
    assert "Rp 4,1 miliar \u2192 1 menara \u2192 1 UMKM baru terjangkau" in proc.stdout
    assert "SYNTHETIC" not in proc.stdout + proc.stderr
    sites = pd.read_csv(d / "s.csv", encoding="utf-8-sig", dtype={"kode_kec": str})
    assert sites["msme_new"].tolist() == [1]  # the one uncovered MSME, in Dua
    assert sites["kode_kec"].tolist() == ["12.71.02"]
    assert sites["kode_desa"].isna().all()  # kecamatan boundaries: no desa code
    # Rp 2.137 bn base + a VSAT terminal (no backbone): US$467 x Rp 15,439
    assert sites["capex_idr"].tolist() == [2.137e9 + 7_210_013]
    assert sites["backhaul"].tolist() == ["vsat"]
    total = sites["capex_idr"] + 6 * sites["opex_idr_per_year"]  # 6 years of opex by default
    assert sites["cost_total_idr"].tolist() == total.tolist() == [4_051_841_019]
    assert sites["data_status"].str.contains("user data").all()
    assert 98.60 < sites["lon"].iloc[0] < 98.63
    needs = pd.read_csv(d / "kec.csv", encoding="utf-8-sig", dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert needs.set_index("kode")["msme_uncovered"].to_dict() == {"12.71.01": 0, "12.71.02": 1}


def test_sites_input_options_need_areas(tmp_path):
    d = _files(tmp_path)
    proc = _sites("--coverage", d / "cov.tif", "--out", d / "s.csv", cwd=d)
    assert proc.returncode == 2
    assert "--coverage needs --areas" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (d / "s.csv").exists()


def test_rank_by_cost_efficiency_on_own_files(tmp_path):
    d = _files(tmp_path)
    proc = _run(
        "--areas", d / "kec.geojson", "--level", "kecamatan", "--msme", d / "umkm.csv",
        "--coverage", d / "cov.tif", "--preset", "efisiensi_biaya", "--stability", "0",
        "--out", d / "out.csv",
        cwd=d,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "preset efisiensi_biaya, minmax; weights msme_new_per_billion_idr=1;" in proc.stdout
    out = pd.read_csv(d / "out.csv", encoding="utf-8-sig", dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert "contrib_msme_new_per_billion_idr" in out.columns
    eff = out.set_index("kode")["msme_new_per_billion_idr"]
    # 1 MSME for one site whose cost is whole-life: base capex plus 6 years of opex (and a
    # backhaul), more than capex alone, less than capex with both logistics factors and more
    costs = CostParams()
    base = costs.capex_idr[costs.site_class] / 1e9
    whole_life = base * (1 + costs.opex_share * costs.opex_years)
    assert whole_life < 1 / eff["12.71.02"] < whole_life * 1.44 + 0.5
    assert np.isnan(eff["12.71.01"])  # nothing uncovered: missing, not 0


def test_sites_from_uploaded_plots_only(tmp_path):
    d = _files(tmp_path)
    plots = gpd.GeoDataFrame(
        {"nama": ["Lahan Pemda"], "height_m": [42.0]},
        geometry=[Point(98.6155, 3.5055)],
        crs="EPSG:4326",
    )
    plots.to_file(d / "plots.geojson")
    base = (
        "--areas", d / "kec.geojson", "--level", "kecamatan", "--msme", d / "umkm.csv",
        "--coverage", d / "cov.tif", "--count", "1", "--radius-km", "1",
    )  # fmt: skip
    proc = _sites(
        *base, "--candidates", d / "plots.geojson", "--only-candidates", "--out", d / "s.csv",
        cwd=d,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "1 candidate sites" in proc.stdout
    sites = pd.read_csv(d / "s.csv", encoding="utf-8-sig")
    assert sites["msme_new"].tolist() == [1]
    assert sites["lon"].iloc[0] == pytest.approx(98.6155, abs=1e-6)
    assert sites["lat"].iloc[0] == pytest.approx(3.5055, abs=1e-6)
    lonely = _sites(*base, "--only-candidates", "--out", d / "t.csv", cwd=d)
    assert lonely.returncode == 2
    assert "--only-candidates needs --candidates" in lonely.stderr
