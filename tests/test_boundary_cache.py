"""Overlap and gap measures computed once per boundary content, and a cache that checks
itself; the rank command prints where its time went."""

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box

from infra_gap.analysis.validate import check_boundaries
from infra_gap.config import WORK_CRS


def _areas(shift: float = 0.0) -> gpd.GeoDataFrame:
    # B overlaps A by 1 km x 10 km; a 1 km x 1 km hole sits inside C.
    c = box(20_000, 0, 30_000, 10_000).difference(box(24_000, 4_000, 25_000, 5_000))
    return gpd.GeoDataFrame(
        {
            "kode": ["12.01.01.2001", "12.01.01.2002", "12.01.01.2003"],
            "row": ["1", "2", "3"],
        },
        geometry=[box(0, 0, 10_000 + shift, 10_000), box(9_000, 0, 20_000, 10_000), c],
        crs=WORK_CRS,
    )


def test_measures_are_cached_and_equal(tmp_path):
    _, report = check_boundaries(_areas(), name="a")
    first = report.measures(cache_dir=tmp_path)
    assert not first.cached
    assert first.overlaps[["kode_a", "kode_b"]].to_numpy().tolist() == [
        ["12.01.01.2001", "12.01.01.2002"]
    ]
    assert first.overlaps["overlap_km2"].iloc[0] == pytest.approx(10.0)
    assert first.gap_km2 == pytest.approx(1.0)
    again = report.measures(cache_dir=tmp_path)
    assert again.cached
    pd.testing.assert_frame_equal(again.overlaps, first.overlaps)
    assert again.gap_km2 == first.gap_km2
    # Another boundary content has its own entry: it is measured, not read.
    _, other = check_boundaries(_areas(shift=500.0), name="a")
    measured = other.measures(cache_dir=tmp_path)
    assert not measured.cached
    assert measured.overlaps["overlap_km2"].iloc[0] == pytest.approx(15.0)
    assert len(list(tmp_path.glob("boundary-*.json"))) == 2


def test_a_tampered_or_foreign_cache_file_is_not_believed(tmp_path):
    _, report = check_boundaries(_areas(), name="a")
    report.measures(cache_dir=tmp_path)
    (path,) = tmp_path.glob("boundary-*.json")
    payload = json.loads(path.read_text())
    payload["body"]["gap_km2"] = 99.0  # edited without a matching checksum
    path.write_text(json.dumps(payload))
    fresh = report.measures(cache_dir=tmp_path)
    assert not fresh.cached
    assert fresh.gap_km2 == pytest.approx(1.0)
    # Rewritten: the next read is a hit again, with the true value.
    assert report.measures(cache_dir=tmp_path).gap_km2 == pytest.approx(1.0)
    assert report.measures(cache_dir=tmp_path).cached
    # A consistent file made for another boundary content, under this content's name.
    _, other = check_boundaries(_areas(shift=500.0), name="a")
    other.measures(cache_dir=tmp_path / "other")
    (foreign,) = (tmp_path / "other").glob("boundary-*.json")
    path.write_text(foreign.read_text())
    assert not report.measures(cache_dir=tmp_path).cached
    path.write_text("{not json")
    assert report.measures(cache_dir=tmp_path).overlaps["overlap_km2"].iloc[0] == pytest.approx(
        10.0
    )


def test_measures_without_a_usable_cache_folder(tmp_path):
    _, report = check_boundaries(_areas(), name="a")
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a file where the folder should be: writing fails
    out = report.measures(cache_dir=blocker / "cache")
    assert out.gap_km2 == pytest.approx(1.0)
    assert report.measures(cache_dir=None).gap_km2 == pytest.approx(1.0)


def _files(tmp_path):
    areas = gpd.GeoDataFrame(
        {"KDKEC": ["12.71.01", "12.71.02"], "NMKEC": ["Satu", "Dua"]},
        geometry=[box(98.60, 3.50, 98.61, 3.51), box(98.61, 3.50, 98.62, 3.51)],
        crs="EPSG:4326",
    )
    areas.to_file(tmp_path / "kec.geojson")
    (tmp_path / "umkm.csv").write_text("lintang;bujur\n3,505;98,605\n3,505;98,615\n")
    with rasterio.open(
        tmp_path / "cov.tif", "w", driver="GTiff", width=2, height=1, count=1, dtype="uint8",
        crs="EPSG:4326", transform=Affine(0.01, 0, 98.60, 0, -0.01, 3.51), nodata=255,
    ) as dst:  # fmt: skip
        dst.write(np.array([[1, 0]], dtype="uint8"), 1)
    return tmp_path


def _rank(d, *extra):
    return subprocess.run(
        [
            sys.executable, "-m", "infra_gap", "rank", "--level", "kecamatan",
            "--areas", d / "kec.geojson", "--msme", d / "umkm.csv", "--coverage", d / "cov.tif",
            "--out", d / "out.csv", *extra,
        ],
        capture_output=True, text=True, check=False, cwd=d,
        env={"INFRA_GAP_CACHE": str(d / "cache"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_rank_prints_its_time_and_reuses_the_boundary_checks(tmp_path):
    d = _files(tmp_path)
    first = _rank(d, "--draws", "40")
    assert first.returncode == 0, first.stderr
    assert "time: " in first.stdout
    assert "of which 40 stability draws" in first.stdout
    for stage in ("read", "place and cover", "indicators", "write"):
        assert f", {stage} " in first.stdout
    assert "cached for this file's content" not in first.stdout
    second = _rank(d, "--stability", "0", "--overwrite")
    assert second.returncode == 0, second.stderr
    assert "0 overlapping pairs (0.0 km2); gaps 0.0 km2 (boundary checks cached" in second.stdout
    assert "of which 0 stability draws" in second.stdout
    out = pd.read_csv(d / "out.csv", encoding="utf-8-sig").rename(
        columns=lambda c: c.split(" [")[0]
    )
    assert out.set_index("nama")["msme_uncovered"].to_dict() == {"Satu": 0, "Dua": 1}
