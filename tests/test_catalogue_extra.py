"""Catalogue cases (shared/reference/reliability.md section 3) not covered by the other tests.

Each test names its cases with ``@pytest.mark.catalogue``; ``make catalogue`` writes
`tests/catalogue_cases.md` from those marks.  Each test here builds its hostile
input in code and asserts the clear error with its stable code, or the correct result, and
that no row was lost.

Tests marked ``xfail(strict=True)`` with a reason starting "BUG" or "GAP" show a defect in
library code owned by others; the reason names the fix.  When the fix lands the test passes,
strict xfail reports that as a failure, and the mark is to be removed.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import html
import http.server
import io as stdio
import json
import re
import sqlite3
import struct
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest
import rasterio
from affine import Affine
from pypdf import PdfReader
from shapely.geometry import Point, Polygon, box

from infra_gap import io
from infra_gap.analysis.coverage import point_coverage
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.analysis.validate import check_boundaries
from infra_gap.cli.dossier import export_bytes
from infra_gap.config import WORK_CRS
from infra_gap.errors import InfraGapError, InputFileError, SchemaError, SecurityError
from infra_gap.hardening import guard_zip
from infra_gap.layers import Raster
from infra_gap.maps import folium_maps as maps
from infra_gap.outputs.export import bare_column, neutralise_formulas, rejected_csv
from tests.test_export import toy_facts, toy_layers, toy_meta, toy_ranked

ROOT = Path(__file__).resolve().parents[1]
SECRET = "TOP-SECRET-c4a1"

# Two desa near Medan, side by side (lon 98.60-98.62, lat 3.50-3.51), in EPSG:4326.
TWO = gpd.GeoDataFrame(
    {"kode": ["12.71.01.1001", "12.71.01.1002"], "nama": ["Satu", "Dua"]},
    geometry=[box(98.60, 3.50, 98.61, 3.51), box(98.61, 3.50, 98.62, 3.51)],
    crs="EPSG:4326",
)


# --- helpers ------------------------------------------------------------------------------


@dataclass
class Canary:
    """A loopback HTTP server that counts every request (GDAL's curl bypasses Python)."""

    url: str
    hits: list[str]


@pytest.fixture
def canary() -> Iterator[Canary]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Canary(f"http://127.0.0.1:{server.server_port}", hits)
    finally:
        server.shutdown()
        server.server_close()


def _code(err: pytest.ExceptionInfo) -> str:
    return str(getattr(err.value, "code", ""))


def _zip(entries: dict[str, bytes | Path], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for arc, data in entries.items():
            if isinstance(data, Path):
                z.write(data, arc)
            else:
                z.writestr(arc, data)
    return buf.getvalue()


def _patch_single_entry(data: bytes, *, flags: int = 0, method: int | None = None,
                        size: int | None = None) -> bytes:  # fmt: skip
    """Edit the local and central headers of a one-entry zip (what a hostile tool writes)."""
    out = bytearray(data)
    central = out.rfind(b"PK\x01\x02")
    out[6] |= flags
    out[central + 8] |= flags
    if method is not None:
        out[8:10] = struct.pack("<H", method)
        out[central + 10 : central + 12] = struct.pack("<H", method)
    if size is not None:
        out[22:26] = struct.pack("<I", size)
        out[central + 24 : central + 28] = struct.pack("<I", size)
    return bytes(out)


def _shapefile_zip(tmp_path: Path, exts: tuple[str, ...], prefix: str = "") -> bytes:
    TWO.to_file(tmp_path / "desa.shp")
    return _zip({f"{prefix}desa.{e}": tmp_path / f"desa.{e}" for e in exts})


def _gpkg(gdf: gpd.GeoDataFrame, layer: str = "desa") -> bytes:
    buf = stdio.BytesIO()
    gdf.to_file(buf, driver="GPKG", layer=layer, engine="pyogrio")
    return buf.getvalue()


def _load(areas: bytes, msme: str, *, areas_name: str = "desa.geojson"):
    """Read an upload as the app does, then place and cover (everything covered)."""
    from infra_gap.analysis.coverage import model_coverage

    loaded = load_layers(
        InputPaths(areas=areas, msme=msme.encode(), names={"areas": areas_name, "msme": "u.csv"})
    )
    cov = model_coverage(
        np.array([]), np.array([]), np.array([]), bounds=(0, 0, 1, 1), pixel_m=1, crs=WORK_CRS
    )
    layers = loaded.layers
    object.__setattr__(layers, "coverage", cov)
    return loaded, place_and_cover(layers, covered_min=1)


def _conserved(facts, rows: int) -> None:
    acc = facts.account
    assert acc.read == rows
    assert acc.used + acc.rejected == acc.read
    assert len(facts.rejected) == acc.rejected


# --- A. Upload envelope and archives ------------------------------------------------------


@pytest.mark.catalogue("A1", "K7")
def test_a1_k7_upload_limit_xsrf_and_error_details_stay_set():
    """The deployment settings the README says never to turn off (A1 budget, K7 XSRF)."""
    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = conf.get("server", {})
    assert 0 < server["maxUploadSize"] <= 200
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert conf["client"]["showErrorDetails"] == "none"
    app = "".join(f.read_text(encoding="utf-8") for f in (ROOT / "infra_gap" / "app").rglob("*.py"))
    assert "enableXsrfProtection" not in app  # never switched off from code either


@pytest.mark.catalogue("A2")
@pytest.mark.parametrize(
    ("data", "name"),
    [
        (_zip({"umkm.csv": b"lat,lon\n3.5,98.6\n"}), "umkm.csv"),  # a zip named .csv
        (b"II*\x00" + b"\x00" * 200, "umkm.csv"),  # a TIFF header named .csv
        (b"lat,lon\n3.5,98.6\n", "coverage.tif"),  # a CSV named .tif
        (_zip({"a.txt": b"x"}), "desa.geojson"),  # a zip named .geojson
    ],
)
def test_a2_content_decides_not_the_name(data, name):
    suffix = Path(name).suffix
    reader = {".tif": io.read_geotiff, ".csv": io.read_msme_table}.get(suffix, io.read_areas)
    with pytest.raises(InputFileError) as err:
        reader(data, name=name)
    assert _code(err) == "E_INPUT_FILE"


@pytest.mark.catalogue("A4")
def test_a4_zip_understating_its_size_is_a_coded_error():
    lying = _patch_single_entry(_zip({"a.shp": b"\0" * (5 << 20)}), size=100)
    with pytest.raises(InfraGapError) as err:
        guard_zip(lying, name="lying.zip")
    assert _code(err) == "E_SECURITY"


@pytest.mark.catalogue("A7")
@pytest.mark.parametrize(("flags", "method"), [(1, None), (0, 9)], ids=["encrypted", "deflate64"])
def test_a7_encrypted_or_unsupported_compression_is_a_coded_error(flags, method):
    data = _patch_single_entry(_zip({"a.shp": b"x" * 10}, zipfile.ZIP_STORED), flags=flags,
                               method=method)  # fmt: skip
    with pytest.raises(InfraGapError):
        guard_zip(data, name="odd.zip")


@pytest.mark.catalogue("A8")
def test_a8_zip_with_two_shapefiles_asks_to_choose(tmp_path):
    TWO.to_file(tmp_path / "a.shp")
    TWO.iloc[:1].to_file(tmp_path / "b.shp")
    entries = {
        f"{s}.{e}": tmp_path / f"{s}.{e}" for s in "ab" for e in ("shp", "shx", "dbf", "prj")
    }
    with pytest.raises(InputFileError, match=r"several layers \['a', 'b'\]") as err:
        io.read_areas(_zip(entries), name="two.zip")
    assert _code(err) == "E_INPUT_FILE"
    assert len(io.read_areas(_zip(entries), name="two.zip", layer="b")) == 1


@pytest.mark.catalogue("A9")
def test_a9_apple_double_files_are_ignored(tmp_path):
    data = _shapefile_zip(tmp_path, ("shp", "shx", "dbf", "prj"))
    with zipfile.ZipFile(stdio.BytesIO(data), "a") as z:
        z.writestr("__MACOSX/._desa.shp", b"\x00\x05\x16\x07" + b"\x00" * 60)
        z.writestr("__MACOSX/._desa.dbf", b"\x00\x05\x16\x07" + b"\x00" * 60)
    buf = stdio.BytesIO(data)
    areas = io.read_areas(buf.getvalue(), name="desa.zip")
    assert areas["kode"].tolist() == TWO["kode"].tolist()


@pytest.mark.catalogue("A9")
def test_a9_shapefile_in_a_subfolder_loads(tmp_path):
    data = _shapefile_zip(tmp_path, ("shp", "shx", "dbf", "prj"), prefix="peta/desa/")
    assert len(io.read_areas(data, name="desa.zip")) == 2


@pytest.mark.catalogue("A10")
@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "desa.geojson"),
        (b"", "desa.gpkg"),
        (b"", "desa.zip"),
        (_gpkg(TWO)[:4096], "desa.gpkg"),  # the first part of a valid GeoPackage
        (b'{"type": "FeatureCollection", "features": [{"type": "Feat', "desa.geojson"),
    ],
    ids=["empty-geojson", "empty-gpkg", "empty-zip", "truncated-gpkg", "truncated-geojson"],
)
def test_a10_empty_and_truncated_files_are_clear_errors(data, name):
    with pytest.raises(InfraGapError) as err:
        io.read_areas(data, name=name)
    assert _code(err) in {"E_INPUT_FILE", "E_SECURITY"}
    with pytest.raises(InputFileError) as err:
        io.read_msme_table(b"", name="umkm.csv")
    assert _code(err) == "E_INPUT_FILE"


# --- B. GDAL paths, drivers and side effects ----------------------------------------------


@pytest.mark.catalogue("B1")
def test_b1_user_text_never_reaches_gdal_as_a_path(canary, tmp_path):
    path = tmp_path / "desa.gpkg"
    path.write_bytes(_gpkg(TWO))
    for layer in (f"/vsicurl/{canary.url}/x", f"{canary.url}/x", "/vsizip//etc/x.zip"):
        with pytest.raises(InputFileError, match="no layer") as err:
            io.read_areas(path, layer=layer)
        assert _code(err) == "E_INPUT_FILE"
    with pytest.raises(SchemaError, match="not found"):
        io.read_areas(path, id_col=f"/vsicurl/{canary.url}/y")
    with pytest.raises(InputFileError, match="not an allowed"):
        io.read_areas(_gpkg(TWO), name=f"/vsicurl/{canary.url}/z")
    assert canary.hits == []


@pytest.mark.catalogue("B3")
def test_b3_vrt_raw_raster_band_reading_a_local_file(tmp_path):
    """OSGeo/gdal#12645: a VRTRawRasterBand returns any file's bytes as pixels."""
    secret = tmp_path / "secret.bin"
    secret.write_bytes(SECRET.encode() * 64)
    vrt = f"""<VRTDataset rasterXSize="64" rasterYSize="1">
  <SRS>EPSG:4326</SRS><GeoTransform>98, 0.001, 0, 3.5, 0, -0.001</GeoTransform>
  <VRTRasterBand dataType="Byte" band="1" subClass="VRTRawRasterBand">
    <SourceFilename relativeToVRT="0">{secret}</SourceFilename>
    <ImageOffset>0</ImageOffset><PixelOffset>1</PixelOffset><LineOffset>64</LineOffset>
  </VRTRasterBand></VRTDataset>""".encode()
    disguised = tmp_path / "coverage.tif"
    disguised.write_bytes(vrt)
    for source, name in ((vrt, "coverage.tif"), (disguised, "coverage.tif")):
        with pytest.raises(InputFileError) as err:
            io.read_geotiff(source, name=name)
        assert _code(err) == "E_INPUT_FILE"
        assert SECRET not in str(err.value)
        with pytest.raises(InputFileError):
            io.raster_info(source, name=name)


@pytest.mark.catalogue("B4")
def test_b4_mrf_disguised_as_tif_fetches_and_writes_nothing(canary, tmp_path):
    """OSGeo/gdal#14739: an MRF can pull a remote source into a local data file."""
    before = sorted(p.name for p in tmp_path.iterdir())
    mrf = f"""<MRF_META><CachedSource><Source>/vsicurl/{canary.url}/src.tif</Source>
  </CachedSource><Raster><Size x="16" y="16" c="1"/><DataType>Byte</DataType>
  <DataFile>{tmp_path}/evil.dat</DataFile><IndexFile>{tmp_path}/evil.idx</IndexFile>
  </Raster><GeoTags><BoundingBox minx="98" miny="3" maxx="99" maxy="4"/></GeoTags>
</MRF_META>""".encode()
    with pytest.raises(InputFileError) as err:
        io.read_geotiff(mrf, name="coverage.tif")
    assert _code(err) == "E_INPUT_FILE"
    path = tmp_path / "coverage.tif"
    path.write_bytes(mrf)
    with pytest.raises(InputFileError):
        io.read_geotiff(path)
    assert canary.hits == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "coverage.tif"])


def _linked_crs_geojson(href: str) -> bytes:
    feature = json.loads(TWO.iloc[:1].to_json())["features"][0]
    crs = {"type": "link", "properties": {"href": href, "type": "proj4"}}
    return json.dumps({"type": "FeatureCollection", "crs": crs, "features": [feature]}).encode()


@pytest.mark.catalogue("B5")
def test_b5_geojson_with_a_linked_crs_fetches_nothing(canary):
    with contextlib.suppress(InfraGapError):
        io.read_areas(_linked_crs_geojson(f"{canary.url}/crs.proj4"), name="desa.geojson")
    assert canary.hits == []


@pytest.mark.catalogue("B7")
def test_b7_geopackage_with_triggers_views_and_tables_is_only_read(tmp_path):
    path = tmp_path / "desa.gpkg"
    path.write_bytes(_gpkg(TWO))
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE log(x INTEGER)")
        con.execute("CREATE TRIGGER t AFTER INSERT ON desa BEGIN INSERT INTO log VALUES (1); END")
        con.execute("CREATE VIEW v AS SELECT fid, kode FROM desa")
        con.commit()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InputFileError, match="several layers"):
        io.read_areas(path)  # the extra table is not taken silently
    areas = io.read_areas(path, layer="desa")
    assert areas["kode"].tolist() == TWO["kode"].tolist()
    assert len(io.read_areas(path.read_bytes(), name="desa.gpkg", layer="desa")) == 2
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


@pytest.mark.catalogue("B8")
def test_b8_xml_entity_bomb_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
            for p, c in zip("abcdefg", "bcdefgh", strict=True)
        )
        + "]><kml><Placemark><name>&h;</name></Placemark></kml>"
    ).encode()
    for name in ("desa.geojson", "desa.kml", "desa.gml"):
        with pytest.raises(InputFileError) as err:
            io.read_areas(bomb, name=name)
        assert _code(err) == "E_INPUT_FILE"


# --- C. Rasters -----------------------------------------------------------------------------


def _geotiff(array: np.ndarray, transform: Affine, **kw) -> bytes:
    with rasterio.MemoryFile() as mem:
        profile = {
            "driver": "GTiff", "width": array.shape[-1], "height": array.shape[-2], "count": 1,
            "dtype": str(array.dtype), "crs": WORK_CRS, "transform": transform,
        }  # fmt: skip
        with mem.open(**(profile | kw)) as dst:
            dst.write(array if array.ndim == 3 else array[None])
        return bytes(mem.read())


@pytest.mark.catalogue("C2")
def test_c2_ten_thousand_bands_are_over_the_band_limit(tmp_path):
    path = tmp_path / "bands.tif"
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=10_000, dtype="uint8",
                       crs=WORK_CRS, transform=Affine(10, 0, 0, 0, -10, 20)) as dst:  # fmt: skip
        dst.write(np.ones((2, 2), dtype="uint8"), 1)
    with pytest.raises(InfraGapError) as err:  # catalogue C2: a band-count cap (issue 22)
        io.read_geotiff(path.read_bytes(), name="bands.tif")
    found = (err.value.code, err.value.limit, err.value.value)
    assert found == ("E_LIMIT", "max_raster_bands", 10_000)


@pytest.mark.catalogue("C4")
def test_c4_corrupt_compressed_tile_is_a_clear_error():
    rng = np.random.default_rng(0)
    data = bytearray(
        _geotiff(
            rng.integers(0, 2, (512, 512)).astype("uint8"),
            Affine(100, 0, 0, 0, -100, 51_200),
            tiled=True,
            blockxsize=256,
            blockysize=256,
            compress="deflate",
        )
    )
    start = len(data) // 3
    data[start : start + 2000] = bytes(b ^ 0x5A for b in data[start : start + 2000])
    with pytest.raises(InputFileError, match="not a readable GeoTIFF") as err:
        io.read_geotiff(bytes(data), name="corrupt.tif")
    assert _code(err) == "E_INPUT_FILE"


@pytest.mark.catalogue("C7")
def test_c7_nan_and_fill_pixels_are_unknown_never_covered():
    array = np.array([[1.0, np.nan, -9999.0, 0.0]], dtype="float32")
    raster = Raster(array=array, transform=Affine(10, 0, 0, 0, -10, 10), crs=WORK_CRS,
                    nodata=-9999.0)  # fmt: skip
    cov = point_coverage(raster, np.array([5, 15, 25, 35, 45.0]), np.full(5, 5.0),
                         xy_crs=WORK_CRS, covered_min=1)  # fmt: skip
    assert cov.covered.tolist() == [True, False, False, False, False]
    assert cov.unknown.tolist() == [False, True, True, False, True]  # NaN, fill, outside


@pytest.mark.catalogue("C9")
def test_c9_south_up_raster_is_not_mirrored():
    """Row 0 is the southern row when the pixel height is positive: a known answer."""
    array = np.array([[1], [0]], dtype="uint8")
    data = _geotiff(array, Affine(1000, 0, 0, 0, 1000, 0))
    raster = io.read_geotiff(data, name="south-up.tif")
    cov = point_coverage(raster, np.array([500.0, 500.0]), np.array([500.0, 1500.0]),
                         xy_crs=WORK_CRS, covered_min=1)  # fmt: skip
    assert cov.covered.tolist() == [True, False]  # south covered, north not
    assert not cov.unknown.any()


# --- D. Vector geometry ---------------------------------------------------------------------


@pytest.mark.catalogue("D2")
def test_d2_spike_and_duplicate_vertices_are_repaired_and_reported():
    spike = Polygon([(98.60, 3.50), (98.61, 3.50), (98.61, 3.50), (98.61, 3.51), (98.61, 3.52),
                     (98.61, 3.51), (98.60, 3.51), (98.60, 3.50)])  # fmt: skip
    gdf = TWO.copy()
    gdf.loc[0, "geometry"] = spike
    areas = io.read_areas(_gpkg(gdf), name="spike.gpkg")
    fixed, report = check_boundaries(areas, name="spike.gpkg")
    assert len(fixed) == 2  # nothing dropped
    assert fixed.geometry.is_valid.all()
    assert report.repairs["kode"].tolist() == ["12.71.01.1001"]
    assert report.repairs["area_change_pct"].abs().iloc[0] < 1  # the square is kept


@pytest.mark.catalogue("D4")
def test_d4_empty_and_null_geometries_are_listed_not_lost():
    features = json.loads(TWO.to_json())["features"]
    features.append({"type": "Feature", "properties": {"kode": "12.71.01.1003", "nama": "Kosong"},
                     "geometry": None})  # fmt: skip
    features.append({"type": "Feature", "properties": {"kode": "12.71.01.1004", "nama": "Hampa"},
                     "geometry": {"type": "Polygon", "coordinates": []}})  # fmt: skip
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    areas = io.read_areas(data, name="desa.geojson")
    fixed, report = check_boundaries(areas, name="desa.geojson")
    assert len(areas) == 4
    assert len(fixed) + len(report.dropped_empty) == 4
    assert report.dropped_empty["reason"].tolist() == ["empty geometry"] * 2
    assert sorted(report.dropped_empty["row"]) == ["3", "4"]


@pytest.mark.catalogue("D5")
def test_d5_point_in_a_boundary_layer_is_listed():
    gdf = pd.concat(
        [
            TWO,
            gpd.GeoDataFrame(
                {"kode": ["12.71.01.1009"], "nama": ["Titik"]},
                geometry=[Point(98.605, 3.505)],
                crs="EPSG:4326",
            ),
        ]
    )
    areas = io.read_areas(gdf.to_json().encode(), name="desa.geojson")
    fixed, report = check_boundaries(areas, name="desa.geojson")
    assert len(fixed) + len(report.dropped_empty) == 3
    assert "12.71.01.1009" not in fixed["kode"].tolist()


@pytest.mark.catalogue("D6")
def test_d6_z_coordinates_keep_every_area_and_point():
    z_areas = TWO.copy()
    z_areas["geometry"] = [
        Polygon([(x, y, 25.0) for x, y in g.exterior.coords]) for g in TWO.geometry
    ]
    msme = "lat;lon\n3,505;98,605\n3,505;98,615\n"
    loaded, facts = _load(z_areas.to_json().encode(), msme)
    assert len(loaded.layers.areas["desa"]) == 2
    _conserved(facts, 2)
    assert facts.account.used == 2


@pytest.mark.catalogue("D8")
def test_d8_overlapping_and_invalid_polygons_count_each_msme_once():
    """The issue's must-have: overlaps reported, invalid repaired, each MSME counted once."""
    bowtie = Polygon([(98.62, 3.50), (98.63, 3.51), (98.63, 3.50), (98.62, 3.51), (98.62, 3.50)])
    gdf = gpd.GeoDataFrame(
        {"kode": ["12.71.01.1001", "12.71.01.1002", "12.71.01.1003"],
         "nama": ["Satu", "Dua menimpa Satu", "Dasi kupu-kupu"]},
        geometry=[box(98.60, 3.50, 98.61, 3.51), box(98.605, 3.50, 98.615, 3.51), bowtie],
        crs="EPSG:4326",
    )  # fmt: skip
    # in Satu only, in the overlap, in Dua only, in the bow-tie's left wing, outside
    msme = "lat;lon\n3,505;98,601\n3,505;98,607\n3,505;98,613\n3,505;98,622\n3,2;98,9\n"
    loaded, facts = _load(gdf.to_json().encode(), msme)
    report = loaded.boundary
    assert report.repairs["kode"].tolist() == ["12.71.01.1003"]
    assert report.overlaps()[["kode_a", "kode_b"]].to_numpy().tolist() == [
        ["12.71.01.1001", "12.71.01.1002"]
    ]
    _conserved(facts, 5)
    assert facts.account.used == 4
    assert facts.rejected["reason"].tolist() == ["outside every area"]
    from infra_gap.analysis.pipeline import indicator_table

    table = indicator_table(loaded.layers, facts, level="desa").set_index("kode")
    # the overlap point goes to the lowest code, once
    assert table["msme_total"].to_dict() == {
        "12.71.01.1001": 2, "12.71.01.1002": 1, "12.71.01.1003": 1,
    }  # fmt: skip
    assert table["msme_total"].sum() == 4


@pytest.mark.catalogue("D10", "E1")
def test_d10_shapefile_without_prj_or_dbf_says_what_is_missing(tmp_path):
    with pytest.raises(SchemaError, match="no CRS") as err:
        io.read_areas(_shapefile_zip(tmp_path, ("shp", "shx", "dbf")), name="desa.zip")
    assert _code(err) == "E_SCHEMA"
    with pytest.raises(SchemaError, match="area code") as err:
        io.read_areas(_shapefile_zip(tmp_path, ("shp", "shx", "prj")), name="desa.zip")
    assert _code(err) == "E_SCHEMA"


@pytest.mark.catalogue("D10")
def test_d10_shapefile_without_shx_is_a_coded_error(tmp_path):
    with pytest.raises(InputFileError):
        io.read_areas(_shapefile_zip(tmp_path, ("shp", "dbf", "prj")), name="desa.zip")


@pytest.mark.catalogue("D12")
def test_d12_float_codes_are_kept_as_whole_numbers():
    gdf = TWO.assign(kode=[1271011001.0, 1271011002.0])
    areas = io.read_areas(_gpkg(gdf), name="desa.gpkg")
    assert areas["kode"].tolist() == ["1271011001", "1271011002"]


@pytest.mark.catalogue("D12")
def test_d12_name_column_override_beside_a_nama_column():
    gdf = TWO.assign(alias=["Kampung Satu", "Kampung Dua"])
    areas = io.read_areas(gdf.to_json().encode(), name="desa.geojson", name_col="alias")
    assert list(areas.columns).count("nama") == 1
    assert areas["nama"].tolist() == ["Kampung Satu", "Kampung Dua"]


# --- E. CRS and coordinates -----------------------------------------------------------------


@pytest.mark.catalogue("E2")
def test_e2_metres_labelled_as_degrees_are_refused():
    wrong = gpd.GeoDataFrame(
        {"kode": ["1"], "nama": ["a"]}, geometry=[box(700_000, 300_000, 710_000, 310_000)],
        crs="EPSG:4326",
    )  # fmt: skip
    with pytest.raises(InfraGapError):
        io.read_areas(wrong.to_json().encode(), name="desa.geojson")


@pytest.mark.catalogue("E4", "E5", "E6", "E9")
def test_e5_e6_e9_placeholder_wrapped_and_dms_coordinates_are_rejected_with_reasons():
    msme = (
        "lat;lon\n"
        "3,505;98,605\n"  # valid
        "2,0;98,0\n"  # valid numbers, in no area (a sign or digit error)
        "999;-999\n"  # placeholder
        "3,505;250\n"  # 0-360 longitude
        "3°30'18\"N;98°36'18\"E\n"  # DMS text
        "-6.2 S;106.8 E\n"  # hemisphere letters
    )
    _, facts = _load(TWO.to_json().encode(), msme)
    _conserved(facts, 6)
    assert facts.account.used == 1
    reasons = facts.rejected.set_index("row")["reason"].to_dict()
    assert reasons["3"] == "outside every area"
    assert reasons["4"] == reasons["5"] == "coordinate out of range"
    assert reasons["6"] == reasons["7"] == "non-numeric coordinate"


@pytest.mark.catalogue("E5")
def test_e5_null_island_is_rejected_without_a_warning():
    _, facts = _load(TWO.to_json().encode(), "lat;lon\n3,505;98,605\n0;0\n")
    _conserved(facts, 2)
    assert facts.rejected["reason"].tolist() == ["outside every area"]


# --- F. Business tables ---------------------------------------------------------------------


@pytest.mark.catalogue("F1", "F4")
def test_f1_f4_missing_markers_rejected_and_duplicate_ids_kept():
    msme = "id;lat;lon\n1;3,505;98,605\n1;3,505;98,615\n2;-;98,6\n3;NA;98,6\n4; ;98,6\n5;;\n"
    _, facts = _load(TWO.to_json().encode(), msme)
    _conserved(facts, 6)
    assert facts.account.used == 2  # the duplicate id is kept: two MSMEs, not deduplicated
    reasons = facts.rejected.set_index("row")["reason"].to_dict()
    assert reasons["4"] == "non-numeric coordinate"  # "-"
    assert {reasons["5"], reasons["6"], reasons["7"]} <= {
        "missing coordinate", "non-numeric coordinate",
    }  # fmt: skip
    assert reasons["7"] == "missing coordinate"


@pytest.mark.catalogue("F3")
def test_f3_utf16_csv_is_read_or_refused_never_garbled():
    data = "lat,lon\n3.505,98.605\n".encode("utf-16")
    code, result = "", None
    try:
        result = io.read_msme_table(data, name="umkm.csv")
    except InfraGapError as err:
        code = err.code
    if result is None:
        assert code == "E_INPUT_FILE"
    else:
        gdf, rejected = result
        assert (len(gdf), len(rejected)) == (1, 0)
        assert gdf["lat"].tolist() == [3.505]


@pytest.mark.catalogue("F9")
def test_f9_xlsx_formula_and_date_in_coordinates_are_rejected_not_run(tmp_path):
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["nama", "lat", "lon"])
    ws.append(["Benar", 3.505, 98.605])
    ws.append(["Rumus", "=1+2", 98.6])
    ws.append(["Tanggal", datetime.datetime(2024, 3, 5), 98.6])
    ws.append(["Teks", '=HYPERLINK("http://x")', "98,6"])
    buf = stdio.BytesIO()
    wb.save(buf)
    gdf, rejected = io.read_msme_table(buf.getvalue(), name="umkm.xlsx")
    assert len(gdf) + len(rejected) == 4
    assert gdf["row"].tolist() == ["2"]  # only the real numbers are used
    # a formula has no cached value (nothing is evaluated): missing; a date: not a number
    assert rejected.set_index("row")["reason"].to_dict() == {
        "3": "missing coordinate", "4": "non-numeric coordinate", "5": "missing coordinate",
    }  # fmt: skip


@pytest.mark.catalogue("F10")
def test_f10_xlsx_zip_bomb_is_refused():
    buf = stdio.BytesIO()
    pd.DataFrame({"lat": [3.505], "lon": [98.605]}).to_excel(buf, index=False)
    src = zipfile.ZipFile(stdio.BytesIO(buf.getvalue()))
    out = stdio.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (40 << 20))
            z.writestr(info.filename, data)
    assert len(out.getvalue()) < 100_000
    with pytest.raises(SecurityError):
        io.read_msme_table(out.getvalue(), name="umkm.xlsx")


# --- G. Connectivity layers -------------------------------------------------------------------


@pytest.mark.catalogue("G5")
def test_g5_gzipped_opencellid_is_read_or_refused():
    import gzip

    data = gzip.compress(b"radio,lon,lat,range\nLTE,98.605,3.505,3000\n")
    try:
        towers = io.read_opencellid(data, name="cell_towers.csv.gz")
    except InfraGapError:
        return
    assert len(towers) == 1
    lonlat = towers.to_crs("EPSG:4326").geometry.iloc[0]
    assert (round(lonlat.x, 3), round(lonlat.y, 3)) == (98.605, 3.505)


_TILE_HEADER = "quadkey,tile,avg_d_kbps,avg_u_kbps,avg_lat_ms,tests,devices\n"
_SQUARE = '"POLYGON((98.6 3.5,98.61 3.5,98.61 3.51,98.6 3.51,98.6 3.5))"'


@pytest.mark.catalogue("G1")
def test_g1_quadkeys_with_leading_zeros_stay_text_in_a_csv():
    data = f"{_TILE_HEADER}0031001100121203,{_SQUARE},25000,5000,20,40,10\n".encode()
    tiles = io.read_speed_tiles(data, name="tiles.csv")
    assert tiles["quadkey"].tolist() == ["0031001100121203"]
    assert tiles["tests"].tolist() == [40]


@pytest.mark.catalogue("G3")
@pytest.mark.parametrize(
    "bad",
    [f"3100110012120321,{_SQUARE},25000,5000,20,-5,10",
     '3100110012120322,"POLYGON((oops",1,1,1,4,1',
     f"3100110012120323,{_SQUARE},25000,5000,20,many,1"],
    ids=["negative-tests", "bad-wkt", "non-numeric"],
)  # fmt: skip
def test_g3_bad_tile_rows_are_rejected_with_a_reason_or_a_code(bad):
    good = f"3100110012120320,{_SQUARE},25000,5000,20,40,10\n"
    data = f"{_TILE_HEADER}{good}{bad}\n".encode()
    try:
        tiles = io.read_speed_tiles(data, name="tiles.csv")
    except InfraGapError:
        return
    assert tiles["quadkey"].tolist() == ["3100110012120320"]  # the bad row is not used


# --- H. Map rendering -------------------------------------------------------------------------

PAYLOADS = [
    "`${document.title=7*7}`",
    "</script><script>alert(1)</script>",
    "a'b\"c\nd\u2028e\u202eg\x00h",
    "<img src=x onerror=alert(1)>" + "x" * 10_000,
]


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


@pytest.mark.catalogue("H2", "H3", "H4")
@pytest.mark.parametrize("payload", PAYLOADS, ids=["template", "script", "controls", "long"])
def test_h2_h3_h4_payloads_live_only_inside_json_and_show_as_text(payload):
    """The name reaches the page only inside JSON strings, HTML-escaped, with its text intact."""
    areas = gpd.GeoDataFrame(
        {"kode": ["12.01.01", "12.01.02"], "score": [0.2, 0.8], "nama": ["Barus", payload]},
        geometry=[box(98.0, 2.0, 98.5, 2.5), box(98.5, 2.0, 99.0, 2.5)],
        crs="EPSG:4326",
    )
    page = maps.map_html(
        maps.priority_choropleth(areas, value_col="score", tooltip_fields=[("nama", "Nama")],
                                 legend_title="Skor", layer_name="Prioritas")
    )  # fmt: skip
    outside = _JSON_STRING.sub('""', page)  # what is not inside a double-quoted string
    for marker in ("${document", "</script><script>", "alert(1)", "onerror", "7*7"):
        assert marker not in outside
    assert "\u2028" not in page
    assert "\x00" not in page
    strings = []
    for literal in _JSON_STRING.findall(page):
        with contextlib.suppress(ValueError):
            strings.append(json.loads(literal))
    decoded = "\n".join(strings)
    assert "<img src=x" not in decoded  # markup only as entities, for innerHTML
    assert "</script><script>" not in decoded
    shown = html.unescape(decoded).replace("\x00", "")
    assert payload.replace("\x00", "")[:200] in shown


# --- J. Exports -----------------------------------------------------------------------------


@pytest.mark.catalogue("J1")
def test_j1_cell_starting_with_a_line_feed_is_neutralised():
    out = neutralise_formulas(pd.DataFrame({"nama": ["\n=cmd|' /C calc'!A0"]}))
    assert out["nama"][0].startswith("'")


@pytest.mark.catalogue("J9")
def test_j9_rejected_csv_of_a_clean_upload():
    empty = pd.DataFrame({c: pd.Series([], dtype="str") for c in ("source", "row", "reason")})
    data = rejected_csv(empty)
    assert data.decode("utf-8-sig").splitlines() == ["source,row,reason"]


FORMULAS = ['=HYPERLINK("http://x","klik")', "@SUM(1+1)*cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def formula_exports() -> dict[str, bytes]:
    ranked = toy_ranked()
    ranked["nama"] = FORMULAS
    layers, facts = toy_layers(), toy_facts()
    return {
        ext: export_bytes(ranked, layers, fmt=ext, meta=toy_meta(), facts=facts, top=2)
        for ext in (".csv", ".xlsx", ".gpkg", ".pdf")
    }


@pytest.mark.full  # renders every export, the PDF dossier too: make test
@pytest.mark.catalogue("J1")
def test_j_formula_strings_in_every_export(formula_exports, tmp_path):
    """CSV neutralised, XLSX text (no formula cell), GeoPackage and PDF intact; both areas."""
    csv = pd.read_csv(stdio.BytesIO(formula_exports[".csv"]), encoding="utf-8-sig").rename(
        columns=bare_column
    )
    assert sorted(csv["nama"]) == sorted("'" + f for f in FORMULAS)
    book = openpyxl.load_workbook(stdio.BytesIO(formula_exports[".xlsx"]))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert set(FORMULAS) <= {c.value for c in cells}
    path = tmp_path / "export.gpkg"
    path.write_bytes(formula_exports[".gpkg"])
    gpkg = pyogrio.read_dataframe(path, layer="ranked_kecamatan")
    assert sorted(gpkg["nama"]) == sorted(FORMULAS)
    text = "".join(
        p.extract_text() for p in PdfReader(stdio.BytesIO(formula_exports[".pdf"])).pages
    )
    flat = "".join(text.split())
    assert all("".join(f.split()) in flat for f in FORMULAS)


@pytest.mark.catalogue("J2")
def test_j2_array_formula_text_stays_text_in_xlsx():
    ranked = toy_ranked()
    ranked["nama"] = ["{=1+1}", "{=SUM(A1:A9)}"]
    data = export_bytes(ranked, toy_layers(), fmt=".xlsx", meta=toy_meta(), facts=toy_facts())
    book = openpyxl.load_workbook(stdio.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {"{=1+1}", "{=SUM(A1:A9)}"} <= {c.value for c in cells}


@pytest.mark.full  # renders a PDF dossier: make test
@pytest.mark.catalogue("J5")
def test_j5_pdf_markup_in_names_fetches_nothing_and_shows_as_text(canary):
    names = [f'<img src="{canary.url}/x.png"/>', f'<link href="{canary.url}/y">&amp;</link>']
    ranked = toy_ranked()
    ranked["nama"] = names
    data = export_bytes(ranked, toy_layers(), fmt=".pdf", meta=toy_meta(), facts=toy_facts(),
                        top=2)  # fmt: skip
    flat = "".join("".join(p.extract_text() for p in PdfReader(stdio.BytesIO(data)).pages).split())
    assert canary.hits == []
    assert "".join(names[0].split()) in flat
    assert "&amp;" in flat


# --- K. Sessions and shared state -----------------------------------------------------------

_MUTATORS = {"append", "extend", "insert", "update", "setdefault", "pop", "popitem", "clear",
             "add", "discard", "remove", "__setitem__"}  # fmt: skip


def _module_state_writes(path: Path) -> list[str]:
    """Functions that write a module-level container, and any `global` statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    containers = set()
    for node in tree.body:
        value = getattr(node, "value", None)
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
            isinstance(value, ast.Call)
            and getattr(value.func, "id", getattr(value.func, "attr", ""))
            in {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter"}
        )
        if mutable:
            containers |= {t.id for t in targets if isinstance(t, ast.Name)}
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Global):
                found.append(f"{path.name}:{node.lineno} global {', '.join(node.names)}")
            target = None
            if isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
                for t in getattr(node, "targets", [getattr(node, "target", None)]):
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                        target = t.value.id
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _MUTATORS
                and isinstance(node.func.value, ast.Name)
            ):
                target = node.func.value.id
            if target in containers and not _shadowed(fn, target):
                found.append(f"{path.name}:{node.lineno} {fn.name} writes {target}")
    return found


def _shadowed(fn: ast.AST, name: str) -> bool:
    """True when `name` is a parameter or a local assigned in `fn` (not the module's)."""
    args = getattr(fn, "args", None)
    if args and name in {a.arg for a in [*args.args, *args.kwonlyargs, *args.posonlyargs]}:
        return True
    return any(
        isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
        for n in ast.walk(fn)
    )


@pytest.mark.catalogue("K3")
def test_k3_no_module_level_state_is_written_at_run_time(tmp_path):
    """Module globals are shared by every session of the server: none may be written."""
    files = sorted((ROOT / "infra_gap").rglob("*.py"))  # the app (infra_gap/app/) included
    found = [w for f in files for w in _module_state_writes(f)]
    assert found == []
    # the check does find a write (so the empty list above means something)
    probe = tmp_path / "k3_probe.py"
    probe.write_text("SEEN = {}\n\ndef remember(k, v):\n    SEEN[k] = v\n", encoding="utf-8")
    assert _module_state_writes(probe) == ["k3_probe.py:4 remember writes SEEN"]
