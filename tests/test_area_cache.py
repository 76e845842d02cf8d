"""A boundary layer read once per file content (issue 20): the same frame and lines back."""

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from infra_gap import io
from infra_gap.analysis.validate import check_boundaries
from infra_gap.errors import SchemaError
from infra_gap.io.vector import NATIVE_GEOMETRY


def _kecamatan(path, names=("Barus", "Sorkam")):
    # Shaped like a BIG office file: upper-case columns, several name columns, UTM 47N.
    gdf = gpd.GeoDataFrame(
        {
            "KDKEC": ["12.01.01", "12.01.02"],
            "NMKEC": list(names),
            "WADMKK": ["Tapanuli Tengah", "Tapanuli Tengah"],
            "LUAS": [12.5, 40.25],
        },
        geometry=[box(450_000, 200_000, 452_000, 202_000), box(452_000, 200_000, 455_000, 203_000)],
        crs="EPSG:32647",
    )
    gdf.to_file(path, driver="GPKG", engine="pyogrio")
    return path


def _read(path, cache):
    options = {"name": path.name, "keep_native": True}
    return io.read_areas_cached(
        path,
        cache_dir=cache,
        options=options,
        read=lambda: io.read_areas_explained(path, **options),
    )[:2]


def test_kept_layer_comes_back_the_same(tmp_path):
    path = _kecamatan(tmp_path / "kec.gpkg")
    fresh, notes = io.read_areas_explained(path, name="kec.gpkg", keep_native=True)
    first = _read(path, tmp_path / "cache")
    assert len(list((tmp_path / "cache").glob("areas-*/manifest.json"))) == 1
    again = _read(path, tmp_path / "cache")  # from the entry
    for got, lines in (first, again):
        assert lines == notes
        assert list(got.columns) == list(fresh.columns)
        assert got.dtypes.equals(fresh.dtypes)
        assert got.drop(columns="geometry").equals(fresh.drop(columns="geometry"))
        assert got.geometry.geom_equals_exact(fresh.geometry, tolerance=0).all()
        assert got.crs == fresh.crs
    assert again[0]["nama"].tolist() == ["Barus", "Sorkam"]


def test_another_file_content_is_another_entry_and_errors_are_not_kept(tmp_path):
    path = _kecamatan(tmp_path / "kec.gpkg")
    _read(path, tmp_path / "cache")
    _kecamatan(path, names=("Barus Utara", "Sorkam"))  # same name, new content
    assert _read(path, tmp_path / "cache")[0]["nama"].tolist() == ["Barus Utara", "Sorkam"]
    assert len(list((tmp_path / "cache").glob("areas-*/manifest.json"))) == 2

    bad = tmp_path / "bad.gpkg"
    gpd.GeoDataFrame({"NMKEC": ["Barus"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:32647").to_file(
        bad, driver="GPKG", engine="pyogrio"
    )
    for _ in range(2):  # the reader's own error, each time; nothing kept for it
        with pytest.raises(SchemaError, match="area code"):
            _read(bad, tmp_path / "c2")
    assert not list((tmp_path / "c2").glob("areas-*/manifest.json"))


def test_kept_validity_gives_the_same_repairs_cold_warm_and_uncached(tmp_path):
    # One self-intersecting desa (a bowtie) in a file in degrees: both the work-CRS and
    # the file's own geometries are repaired, whether validity is tested or kept.
    bowtie = Polygon([(98.60, 3.50), (98.61, 3.51), (98.61, 3.50), (98.60, 3.51), (98.60, 3.50)])
    path = tmp_path / "desa.gpkg"
    gpd.GeoDataFrame(
        {"KDEPUM": ["12.71.01.1001", "12.71.01.1002"], "NAMOBJ": ["Satu", "Dua"]},
        geometry=[bowtie, box(98.62, 3.50, 98.63, 3.51)],
        crs="EPSG:4326",
    ).to_file(path, driver="GPKG", engine="pyogrio")
    options = {"name": path.name, "keep_native": True}
    plain = io.read_areas_explained(path, **options)[0]
    runs = [check_boundaries(plain, name="d")]
    for _ in range(2):  # the entry built, then read back
        got = io.read_areas_cached(
            path,
            cache_dir=tmp_path / "cache",
            options=options,
            read=lambda: io.read_areas_explained(path, **options),
        )
        assert {c: v.tolist() for c, v in got.valid.items()} == {
            "geometry": [False, True],
            NATIVE_GEOMETRY: [False, True],
        }
        runs.append(check_boundaries(got.frame, name="d", valid=got.valid))
    for fixed, report in runs:
        assert report.repairs["kode"].tolist() == ["12.71.01.1001"]
        for column in ("geometry", NATIVE_GEOMETRY):
            assert fixed[column].is_valid.all()
            assert fixed[column].geom_equals_exact(runs[0][0][column], tolerance=0).all()
