"""Hostile files and a hostile environment (reliability.md catalogue, groups A-C, E-F)."""

import http.server
import io as stdio
import os
import threading
import zipfile

import numpy as np
import pytest
import rasterio
from affine import Affine

from infra_gap import io
from infra_gap.errors import (
    InfraGapError,
    InputFileError,
    LimitError,
    SchemaError,
    SecurityError,
)
from infra_gap.hardening import HARDENED_ENV, ZipLimits, check_environment, guard_zip, safe_label

SECRET = "TOP-SECRET-7d1e"


def _vrt(source: str) -> bytes:
    return f"""<VRTDataset rasterXSize="1" rasterYSize="1">
  <VRTRasterBand dataType="Byte" band="1">
    <SimpleSource><SourceFilename relativeToVRT="0">{source}</SourceFilename>
      <SourceBand>1</SourceBand></SimpleSource>
  </VRTRasterBand></VRTDataset>""".encode()


@pytest.mark.catalogue("B6")
def test_environment_is_hardened_and_checked():
    check_environment()  # conftest applied it first, as the CLI and the app do
    for key, value in HARDENED_ENV.items():
        assert os.environ[key] == value
    with rasterio.Env() as env:
        assert "VRT" not in env.drivers()
        assert "GTiff" in env.drivers()


@pytest.mark.catalogue("B9")
def test_check_fails_closed_when_a_value_changes(monkeypatch):
    monkeypatch.setenv("PROJ_NETWORK", "ON")
    with pytest.raises(SecurityError, match="PROJ_NETWORK"):
        check_environment()


@pytest.mark.catalogue("B3")
def test_vrt_disguised_as_tif_reading_a_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET * 100)
    for source in (_vrt(str(secret)), _vrt(f"/vsicurl/file://{secret}")):
        disguised = tmp_path / "coverage.tif"
        disguised.write_bytes(source)
        for target, name in ((disguised, None), (source, "c.tif")):
            with pytest.raises(InputFileError) as err:
                io.read_geotiff(target, name=name) if name else io.read_geotiff(target)
            assert SECRET not in str(err.value)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(404)
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.mark.catalogue("B2")
def test_vrt_pointing_at_a_loopback_server_sends_nothing(tmp_path):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/x.tif"
        for source in (_vrt(f"/vsicurl/{url}"), _vrt(url)):
            with pytest.raises(InputFileError):
                io.read_geotiff(source, name="coverage.tif")
            path = tmp_path / "c.tif"
            path.write_bytes(source)
            with pytest.raises(InputFileError):
                io.read_geotiff(path)
        with pytest.raises(InfraGapError):
            io.read_areas(
                f'{{"type":"FeatureCollection","features":[],"x":"{url}"}}'.encode(), name="a.vrt"
            )
    finally:
        server.shutdown()
        server.server_close()
    assert _Counter.hits == 0


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.catalogue("A3")
def test_zip_bomb_is_refused_while_streaming():
    bomb = _zip({"a.shp": b"\0" * (40 << 20)})
    assert len(bomb) < 100_000
    with pytest.raises(SecurityError, match="expands over"):
        guard_zip(bomb, name="bomb.zip")
    with pytest.raises(SecurityError):
        io.read_areas(bomb, name="bomb.zip")


@pytest.mark.catalogue("A5")
@pytest.mark.parametrize(
    "entry", ["../evil.shp", "/etc/evil.shp", "a/../../evil.shp", "C:/evil.shp", "a\\..\\b.shp"]
)
def test_zip_unsafe_paths(entry):
    with pytest.raises(SecurityError, match="unsafe path"):
        guard_zip(_zip({entry: b"x"}), name="u.zip")


@pytest.mark.catalogue("A6")
def test_zip_nested_and_too_many_entries():
    with pytest.raises(SecurityError, match="nested archive"):
        guard_zip(_zip({"inner.zip": b"PK"}), name="n.zip")
    many = _zip({f"f{i}.txt": b"x" for i in range(ZipLimits.max_entries + 1)})
    with pytest.raises(SecurityError, match="entries"):
        guard_zip(many, name="m.zip")
    with pytest.raises(SecurityError, match="not a readable zip"):
        guard_zip(b"not a zip", name="x.zip")


@pytest.mark.catalogue("C1")
def test_tiny_geotiff_declaring_a_trillion_pixels(tmp_path):
    path = tmp_path / "huge.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=1_000_000,
        height=1_000_000,
        count=1,
        dtype="uint8",
        crs="EPSG:4326",
        transform=Affine(1e-4, 0, 97, 0, -1e-4, 4),
        tiled=False,
        blockysize=64,
        sparse_ok=True,
    ):
        pass
    assert path.stat().st_size < 10_000_000
    with pytest.raises(LimitError, match="max_raster_cells"):
        io.raster_info(path)
    with pytest.raises(LimitError, match="max_raster_cells") as err:
        io.read_geotiff(path.read_bytes(), name="huge.tif")
    assert (err.value.code, err.value.value) == ("E_LIMIT", 10**12)


@pytest.mark.catalogue("C5")
@pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
def test_raster_without_crs(tmp_path):
    path = tmp_path / "nocrs.tif"
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="uint8") as dst:
        dst.write(np.ones((2, 2), dtype="uint8"), 1)
    with pytest.raises(SchemaError, match="no CRS"):
        io.read_geotiff(path)


@pytest.mark.catalogue("A10", "E1")
@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_vector_without_crs_and_garbage():
    with pytest.raises(SchemaError, match="no CRS"):
        io.read_vector(_no_crs_gpkg(), name="a.gpkg")
    with pytest.raises(InputFileError):
        io.read_areas(b"\x00\x01garbage", name="a.geojson")
    with pytest.raises(InputFileError):
        io.read_areas(b"\x00\x01garbage", name="a.gpkg")


def _no_crs_gpkg() -> bytes:
    import geopandas as gpd
    from shapely.geometry import box

    buf = stdio.BytesIO()
    gpd.GeoDataFrame({"kode": ["1"], "nama": ["a"]}, geometry=[box(0, 0, 1, 1)]).to_file(
        buf, driver="GPKG", layer="a"
    )
    return buf.getvalue()


@pytest.mark.catalogue("F3")
def test_mixed_encoding_csv_keeps_every_row():
    data = (
        b"nama,lat,lon\n" + "Kedai Sé,3.5,98.6\n".encode() + "Toko Bö,3.6,98.7\n".encode("latin-1")
    )
    gdf, rejected = io.read_msme_table(data, name="mixed.csv")
    assert len(gdf) + len(rejected) == 2
    assert len(gdf) == 2


@pytest.mark.catalogue("E6", "F1")
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e999", "non-numeric"),
        ("nan", "missing"),
        ("3.5.1", "non-numeric"),
        ("1,234.5", "non-numeric"),
        ("-91", "out of range"),
    ],
)
def test_hostile_coordinates(value, reason):
    data = f"lat;lon\n{value};98,6\n".encode()
    gdf, rejected = io.read_msme_table(data, name="c.csv")
    assert len(gdf) == 0
    assert reason in rejected["reason"].iloc[0]


@pytest.mark.catalogue("A2", "B1", "J8")
def test_user_names_never_become_paths(tmp_path):
    with pytest.raises(InputFileError, match="not an allowed"):
        io.read_areas(b"x", name="/etc/passwd")
    with pytest.raises(InputFileError, match="not an allowed"):
        io.read_table(b"x", name="../../x.exe")
    assert safe_label("../../etc/passwd <b>") == "etc-passwd-b"
    assert safe_label("") == "file"


def _geojson(**members: object) -> bytes:
    import json

    feature = {
        "type": "Feature",
        "properties": {"kode": "1", "nama": "a"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[98.6, 3.5], [98.61, 3.5], [98.61, 3.51], [98.6, 3.5]]],
        },
    }
    doc = {"type": "FeatureCollection", "features": [feature]}
    for where, (key, value) in members.items():
        target = {"top": doc, "feature": feature, "geometry": feature["geometry"]}[where]
        target[key] = value
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "members",
    [
        {"top": ("crs", {"type": "link", "properties": {"href": "http://127.0.0.1:9/x"}})},
        {"feature": ("crs", {"type": "url", "properties": {"url": "http://127.0.0.1:9/x"}})},
        {"geometry": ("crs", {"type": "link", "properties": {"href": "/etc/passwd"}})},
        {"top": ("crs", {"type": "name", "properties": {"name": "http://127.0.0.1:9/x"}})},
        {"top": ("crs", {"type": "name", "properties": {"name": "/etc/passwd"}})},
        {"top": ("coordRefSys", {"type": "Reference", "href": "http://127.0.0.1:9/x"})},
        {"top": ("$ref", "http://127.0.0.1:9/x.json")},
    ],
    ids=["link", "feature-url", "geometry-file", "name-url", "name-file", "jsonfg", "ref"],
)
def test_geojson_members_that_point_elsewhere_are_refused(members):
    with pytest.raises(SecurityError, match=r"desa\.geojson") as err:
        io.read_areas(_geojson(**members), name="desa.geojson")
    assert err.value.code == "E_SECURITY"


@pytest.mark.parametrize(
    "crs_name",
    ["EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "http://www.opengis.net/def/crs/EPSG/0/4326"],
)
def test_geojson_with_a_named_crs_is_read(crs_name):
    crs = {"type": "name", "properties": {"name": crs_name}}
    assert len(io.read_areas(_geojson(top=("crs", crs)), name="desa.geojson")) == 1


def test_geojson_that_is_not_json_is_an_input_error():
    with pytest.raises(InputFileError, match="not valid JSON"):
        io.read_areas(b"[" * 100_000, name="desa.geojson")


def test_zip_symlink_entry_is_refused():
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        info = zipfile.ZipInfo("desa.shp")
        info.external_attr = 0o120777 << 16
        z.writestr(info, "/etc/passwd")
    with pytest.raises(SecurityError, match="symbolic link"):
        guard_zip(buf.getvalue(), name="s.zip")


def test_zip_bzip2_entry_is_refused():
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_BZIP2) as z:
        z.writestr("desa.shp", b"x" * 10)
    with pytest.raises(SecurityError, match="unsupported compression"):
        guard_zip(buf.getvalue(), name="b.zip")


def test_geojson_guard_sees_members_beside_emptied_coordinates():
    # Pretty-printed, with a bbox: the arrays of numbers are emptied before parsing, the
    # link right after them is still found.
    import json

    doc = json.loads(_geojson())
    geometry = doc["features"][0]["geometry"]
    geometry["bbox"] = [98.6, 3.5, 9.861e1, 3.51]
    geometry["crs"] = {"type": "link", "properties": {"href": "/etc/passwd"}}
    with pytest.raises(SecurityError, match="'crs' member"):
        io.read_areas(json.dumps(doc, indent=2).encode(), name="desa.geojson")


def test_geojson_features_and_columns_are_counted_before_gdal_reads_them(monkeypatch):
    import json

    doc = json.loads(_geojson())
    doc["features"].append({**doc["features"][0], "properties": {"kode": "2", "x": 1}})
    data = json.dumps(doc).encode()
    assert len(io.read_areas(data, name="desa.geojson")) == 2
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_columns=2")
    with pytest.raises(LimitError, match="number of columns"):
        io.read_areas(data, name="desa.geojson")
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_features=1")
    with pytest.raises(LimitError, match="number of features"):
        io.read_areas(data, name="desa.geojson")
