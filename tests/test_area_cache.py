"""A boundary layer read once per file content (issue 20): the same frame and lines back."""

import geopandas as gpd
import pytest
from shapely.geometry import box

from infra_gap import io
from infra_gap.errors import SchemaError


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
    )


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
