# ruff: noqa: E501  (the corpus is a table: one case a line)
"""Hostile and faulty inputs, generated in code (no stored binaries), for every reader.

Each :class:`Case` names the reader it feeds, builds its bytes, and says what must come
back: a stable error code, or ``"ok"`` (read, with every row kept or listed as rejected).
``tests/test_hostile_inputs.py`` runs them; ``bench/bench_hostile.py`` times each in a fresh
process and reports its peak memory.  Limits lowered through ``INFRA_GAP_LIMITS`` stand in
for inputs too big to build in a test (a 1-million-polygon layer, a 20-million-row table).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import rasterio
import shapely
from affine import Affine
from rasterio.crs import CRS as RioCRS

from infra_gap import io
from infra_gap.errors import InfraGapError
from infra_gap.ranking.scenario import scenario_from_bytes

__all__ = ["CASES", "Case", "build", "read", "run_case"]


@dataclass(frozen=True)
class Case:
    """One hostile input: which reader, the file, and the codes that may come back."""

    name: str
    reader: str
    filename: str
    make: Callable[[], bytes]
    expect: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    layer: str | None = None


# --- builders ---------------------------------------------------------------------------


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def _areas(coords: list[list[tuple[float, float]]] | None = None) -> gpd.GeoDataFrame:
    polys = [shapely.box(98.0, 2.0, 98.1, 2.1), shapely.box(98.1, 2.0, 98.2, 2.1)]
    if coords is not None:
        polys = [shapely.Polygon(c) for c in coords]
    return gpd.GeoDataFrame(
        {"KDKEC": [f"12.01.0{i + 1}" for i in range(len(polys))],
         "NMKEC": [f"KEC {i}" for i in range(len(polys))]},
        geometry=polys,
        crs="EPSG:4326",
    )  # fmt: skip


def _geojson(gdf: gpd.GeoDataFrame) -> bytes:
    return gdf.to_json().encode()


def _gpkg(gdf: gpd.GeoDataFrame, sql: tuple[str, ...] = ()) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.gpkg"
        gdf.to_file(path, driver="GPKG", layer="kec", engine="pyogrio")
        if sql:
            with contextlib.closing(sqlite3.connect(path)) as con:
                for statement in sql:
                    con.execute(statement)
                con.commit()
        return path.read_bytes()


def _shapefile_zip(gdf: gpd.GeoDataFrame, prj: str | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        gdf.to_file(Path(tmp) / "kec.shp", engine="pyogrio")
        if prj is not None:
            (Path(tmp) / "kec.prj").write_text(prj)
        out = BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for part in sorted(Path(tmp).iterdir()):
                zf.write(part, part.name)
        return out.getvalue()


def _parquet_table(table: pa.Table, **options: object) -> bytes:
    out = BytesIO()
    pq.write_table(table, out, **options)
    return out.getvalue()


def _geoparquet(
    geo: object | None, *, column: str = "geometry", values: list[object] | None = None
) -> bytes:
    gdf = _areas()
    wkb = shapely.to_wkb(gdf.geometry.to_numpy()).tolist() if values is None else values
    table = pa.table({"KDKEC": gdf["KDKEC"].tolist(), "NMKEC": gdf["NMKEC"].tolist(), column: wkb})
    if geo is not None:
        text = geo if isinstance(geo, str) else json.dumps(geo)
        table = table.replace_schema_metadata({b"geo": text.encode()})
    return _parquet_table(table)


def _geo_meta(**column: object) -> dict[str, object]:
    base = {"encoding": "WKB", "geometry_types": ["Polygon"]} | column
    return {"version": "1.0.0", "primary_column": "geometry", "columns": {"geometry": base}}


_NEAR_MEDAN = Affine(0.01, 0, 98.0, 0, -0.01, 2.1)


def _geotiff(
    width: int = 4,
    height: int = 4,
    *,
    count: int = 1,
    dtype: str = "uint8",
    crs: object = "EPSG:4326",
    transform: Affine = _NEAR_MEDAN,
    sparse: bool = False,
    **profile: object,
) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.tif"
        with rasterio.open(
            path, "w", driver="GTiff", width=width, height=height, count=count, dtype=dtype,
            crs=crs, transform=transform, sparse_ok=sparse, **profile,
        ) as dst:  # fmt: skip
            if not sparse:
                dst.write(np.ones((count, height, width), dtype=dtype))
        return path.read_bytes()


def _xlsx_wide(columns: int) -> bytes:
    frame = pd.DataFrame(
        [[str(i) for i in range(columns)]], columns=[f"c{i}" for i in range(columns)]
    )
    out = BytesIO()
    frame.to_excel(out, index=False, engine="openpyxl")
    return out.getvalue()


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _msme_csv(rows: list[tuple[str, str]]) -> bytes:
    return _csv("id;lat;lon\n" + "".join(f"{i};{a};{b}\n" for i, (a, b) in enumerate(rows)))


_TILE = "POLYGON((98 2,98.01 2,98.01 2.01,98 2.01,98 2))"


def _tiles_csv(quadkey: str = "3002103", tile: str = _TILE) -> bytes:
    head = "quadkey,tile,avg_d_kbps,avg_u_kbps,avg_lat_ms,tests,devices\n"
    return _csv(head + f'{quadkey},"{tile}",1000,500,40,3,2\n')


def _tiles_layer(*quadkeys: str, geom: shapely.Geometry | None = None) -> gpd.GeoDataFrame:
    """Ookla tiles as a polygon layer (a GeoPackage or GeoJSON of tiles), one per quadkey."""
    n = len(quadkeys)
    cols = {"quadkey": list(quadkeys), "avg_d_kbps": [1000] * n, "avg_u_kbps": [500] * n,
            "avg_lat_ms": [40] * n, "tests": [3] * n, "devices": [2] * n}  # fmt: skip
    return gpd.GeoDataFrame(cols, geometry=[geom or shapely.from_wkt(_TILE)] * n, crs="EPSG:4326")


def _towers_csv(lon: str, lat: str) -> bytes:
    return _csv(f"radio,mcc,net,area,cell,unit,lon,lat,range\nLTE,510,10,1,1,-1,{lon},{lat},1000\n")


_DEEP = 100_000
_SIXTY_FIVE = "a = " + "[" * 65 + "1" + "]" * 65 + "\n"
_LOCAL_CS = (
    'LOCAL_CS["site grid",LOCAL_DATUM["x",32767],UNIT["metre",1],AXIS["X",EAST],AXIS["Y",NORTH]]'
)
_INDONESIA = Affine(50 / 2, 0, 94.0, 0, -20 / 2, 7.0)  # a 2 x 2 raster spanning Indonesia


def _with_geojson_crs(crs: str) -> bytes:
    doc = json.loads(_geojson(_areas()))
    return json.dumps({"crs": json.loads(crs), **doc}).encode()


def _gpkg_view(view: str, sql: str) -> bytes:
    """A GeoPackage whose only registered layer ``view`` is an SQL view."""
    return _gpkg(_areas(), (
        f"CREATE VIEW {view} AS {sql}",
        "DELETE FROM gpkg_contents", "DELETE FROM gpkg_geometry_columns",
        f"INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id) VALUES ('{view}', 'features', '{view}', 4326)",
        f"INSERT INTO gpkg_geometry_columns VALUES ('{view}', 'geom', 'POLYGON', 4326, 0, 0)",
    ))  # fmt: skip


def _points(geoms: list[shapely.Geometry] | None = None) -> gpd.GeoDataFrame:
    geoms = geoms or [shapely.Point(98.05, 2.05), shapely.Point(98.15, 2.05)]
    return gpd.GeoDataFrame({"NAMA_USAHA": [f"U{i}" for i in range(len(geoms))]}, geometry=geoms, crs="EPSG:4326")  # fmt: skip


def _points_geojson(*members: str) -> bytes:
    """An MSME GeoJSON point layer, with ``members`` (JSON text) in its first feature."""
    doc = _geojson(_points()).decode()
    head = '{"id": "0", '
    assert head in doc
    return doc.replace(head, head + "".join(f"{m}, " for m in members), 1).encode()


#: A feature whose line has 200,000 vertices (about 4 MB of text): over max_feature_bytes.
_HUGE_LINE = shapely.LineString(
    np.column_stack([np.linspace(98, 98.1, 200_000), np.full(200_000, 2.05)])
)


def _gpkg_points_view() -> bytes:
    """An MSME GeoPackage whose only layer is a recursive SQL view (its table dropped)."""
    return _gpkg(_points(), (
        "DROP TABLE rtree_kec_geom", "DROP TABLE kec",
        "DELETE FROM gpkg_contents", "DELETE FROM gpkg_geometry_columns",
        "DELETE FROM gpkg_extensions", "DELETE FROM gpkg_ogr_contents",
        "CREATE VIEW loop AS WITH RECURSIVE c(fid) AS (SELECT 1 UNION ALL SELECT fid + 1 FROM c) SELECT fid, NULL AS geom FROM c",
        "INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id) VALUES ('loop', 'features', 'loop', 4326)",
        "INSERT INTO gpkg_geometry_columns VALUES ('loop', 'geom', 'POINT', 4326, 0, 0)",
    ))  # fmt: skip


_RECURSIVE = (
    "WITH RECURSIVE r(fid, geom, KDKEC, NMKEC) AS (SELECT fid, geom, KDKEC, NMKEC FROM kec "
    "UNION ALL SELECT fid + 2, geom, KDKEC, NMKEC FROM r) SELECT * FROM r"
)
_SELF_JOIN = (
    "SELECT a.fid * 100000 + b.fid AS fid, a.geom, a.KDKEC, b.NMKEC FROM kec a, kec b, kec c, kec d"
)
_STRAY = [
    [(98.0, 2.0), (98.1, 2.0), (-0.0, 2.1), (98.0, 2.1)],
    [(98.1, 2.0), (98.2, 2.0), (98.2, 2.1)],
]
_MANY = [[(98 + i / 1e3, 2.0), (98 + (i + 1) / 1e3, 2.0), (98 + i / 1e3, 2.1)] for i in range(101)]
_ROUND = [[(98 + 0.1 * np.cos(t), 2 + 0.1 * np.sin(t)) for t in np.linspace(0, 6.28, 5_000)]]
_WIDE = 100_000
_INFLATING = pa.table({"lat": ["2.05"] * 2_000_000, "lon": ["98.05"] * 2_000_000})
_ROTATED = Affine.translation(98, 2.1) @ Affine.rotation(30) @ Affine.scale(0.01, -0.01)
_FINE = Affine(1e-5, 0, 98, 0, -1e-5, 4)
_DEEP_GEO = json.dumps(_geo_meta())[:-3] + ', "x": ' + "[" * 10_000 + "]" * 10_000 + "}}}"
_GPKG_CRS = "UPDATE gpkg_spatial_ref_sys SET definition='{}' WHERE srs_id=4326"

# fmt: off
CASES: tuple[Case, ...] = (
    # MSME registers (read_msme_table)
    Case("msme ragged rows", "msme", "umkm.csv", lambda: _csv("id,lat,lon\n1,2.0\n2,2.0,98.0,9,9\n"), ("E_INPUT_FILE",)),
    Case("msme text coordinates", "msme", "umkm.csv", lambda: _msme_csv([("dua", "sembilan"), ("2,05", "98,05")]), ("ok",)),
    Case("msme NaN/inf/-0.0/1e308", "msme", "umkm.csv", lambda: _msme_csv([("NaN", "98"), ("inf", "98"), ("-0.0", "-0.0"), ("1e308", "1e308"), ("2.05", "98.05")]), ("ok",)),
    Case("msme 100,000-column CSV", "msme", "umkm.csv", lambda: _csv(",".join(f"c{i}" for i in range(_WIDE)) + "\n" + ",".join("1" * _WIDE) + "\n"), ("E_LIMIT",)),
    Case("msme 5,000-column XLSX", "msme", "umkm.xlsx", lambda: _xlsx_wide(5_000), ("E_LIMIT",)),
    Case("msme over max_table_rows", "msme", "umkm.csv", lambda: _msme_csv([("2.05", "98.05")] * 1_001), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_table_rows=1000"}),
    Case("msme Parquet row group inflates", "msme", "umkm.parquet", lambda: _parquet_table(_INFLATING, use_dictionary=False, compression="zstd"), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_row_group_bytes=1000000"}),
    Case("msme truncated CSV", "msme", "umkm.csv", lambda: _truncated(_msme_csv([("2.05", "98.05")] * 50)), ("ok", "E_INPUT_FILE")),
    Case("msme truncated XLSX", "msme", "umkm.xlsx", lambda: _truncated(_xlsx_wide(5)), ("E_SECURITY", "E_INPUT_FILE")),
    Case("msme truncated Parquet", "msme", "umkm.parquet", lambda: _truncated(_parquet_table(pa.table({"lat": ["2"], "lon": ["98"]}))), ("E_INPUT_FILE",)),
    # towers (read_opencellid)
    Case("towers ragged rows", "towers", "cells.csv", lambda: _csv("radio,lon,lat,range\nLTE,98,2,1000\nLTE,98,2,1000,7,7,7\n"), ("E_INPUT_FILE",)),
    Case("towers text coordinates", "towers", "cells.csv", lambda: _towers_csv("sembilan", "dua"), ("E_DATA",)),
    Case("towers inf coordinate", "towers", "cells.csv", lambda: _towers_csv("inf", "2"), ("E_DATA",)),
    Case("towers NaN coordinate", "towers", "cells.csv", lambda: _towers_csv("NaN", "2"), ("E_DATA",)),
    Case("towers 1e308 coordinate", "towers", "cells.csv", lambda: _towers_csv("1e308", "1e308"), ("E_DATA",)),
    Case("towers -0.0 coordinate", "towers", "cells.csv", lambda: _towers_csv("-0.0", "-0.0"), ("ok",)),
    Case("towers range of 10,000 km", "towers", "cells.csv", lambda: _csv("radio,mcc,net,area,cell,unit,lon,lat,range\nLTE,510,10,1,1,-1,98.05,2.05,10000000\n"), ("ok",)),
    Case("towers truncated CSV", "towers", "cells.csv", lambda: _truncated(_towers_csv("98.1", "2.1") * 3), ("ok", "E_INPUT_FILE", "E_DATA", "E_SCHEMA")),
    # speed tiles (read_speed_tiles)
    Case("tiles quadkey with digit 7", "tiles", "tiles.csv", lambda: _tiles_csv("3002107"), ("E_DATA",)),
    Case("tiles quadkey of letters", "tiles", "tiles.csv", lambda: _tiles_csv("abc"), ("E_DATA",)),
    Case("tiles WKT at 1e308", "tiles", "tiles.csv", lambda: _tiles_csv(tile="POLYGON((1e308 0,1e308 1,0 1,1e308 0))"), ("E_DATA",)),
    Case("tiles quadkey with digit 7 in a GeoPackage", "tiles", "tiles.gpkg", lambda: _gpkg(_tiles_layer("3002103", "3002107")), ("E_DATA",)),
    Case("tiles of two zoom levels in Parquet", "tiles", "tiles.parquet", lambda: _parquet_table(pa.table({"quadkey": ["3002103", "30021031"], "tile": [_TILE] * 2, **{c: [1, 1] for c in ("avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices")}})), ("E_DATA",)),
    Case("tiles GeoPackage without quadkey", "tiles", "tiles.gpkg", lambda: _gpkg(_tiles_layer("3002103").drop(columns="quadkey")), ("E_SCHEMA",)),
    Case("tiles truncated GeoJSON", "tiles", "tiles.geojson", lambda: _truncated(_geojson(_tiles_layer("3002103", "3002102"))), ("E_INPUT_FILE",)),
    Case("tiles GeoJSON tile with a huge geometry", "tiles", "tiles.geojson", lambda: _geojson(_tiles_layer("3002103", geom=shapely.Point(98.005, 2.005).buffer(0.004, quad_segs=200_000))), ("E_LIMIT",)),
    Case("tiles GeoPackage over max_table_rows", "tiles", "tiles.gpkg", lambda: _gpkg(_tiles_layer("3002103", "3002102")), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_table_rows=1"}),
    Case("tiles truncated Parquet", "tiles", "tiles.parquet", lambda: _truncated(_parquet_table(pa.table({"quadkey": ["3002103"], "tile": [_TILE]}))), ("E_INPUT_FILE",)),
    # MSME point layers read in chunks (read_msme_points)
    Case("msme points GPKG recursive view", "msme points", "umkm.gpkg", _gpkg_points_view, ("E_LIMIT",)),
    Case("msme points GPKG srs +init=/etc/passwd", "msme points", "umkm.gpkg", lambda: _gpkg(_points(), (_GPKG_CRS.format("+init=/etc/passwd"),)), ("ok", "E_SCHEMA", "E_INPUT_FILE")),
    Case("msme points GPKG 100,000-char CRS", "msme points", "umkm.gpkg", lambda: _gpkg(_points(), (_GPKG_CRS.format('GEOGCS["' + "x" * 100_000 + '"]'),)), ("ok", "E_LIMIT", "E_SCHEMA", "E_INPUT_FILE")),
    Case("msme points GPKG of polygons", "msme points", "umkm.gpkg", lambda: _gpkg(_areas()), ("E_SCHEMA",)),
    Case("msme points GPKG metres labelled degrees", "msme points", "umkm.gpkg", lambda: _gpkg(_points([shapely.Point(440_000, 380_000)])), ("E_SCHEMA",)),
    Case("msme points GPKG over max_table_rows", "msme points", "umkm.gpkg", lambda: _gpkg(_points()), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_table_rows=1"}),
    Case("msme points truncated GPKG", "msme points", "umkm.gpkg", lambda: _truncated(_gpkg(_points())), ("E_INPUT_FILE",)),
    Case("msme points truncated GeoJSON", "msme points", "umkm.geojson", lambda: _truncated(_geojson(_points())), ("E_INPUT_FILE",)),
    Case("msme points GeoJSON of polygons", "msme points", "umkm.geojson", lambda: _geojson(_areas()), ("E_SCHEMA",)),
    Case("msme points GeoJSON feature with a huge geometry", "msme points", "umkm.geojson", lambda: _geojson(_points([shapely.Point(98.05, 2.05), _HUGE_LINE])), ("E_LIMIT",)),
    Case("msme points GeoJSON CRS URL in a feature", "msme points", "umkm.geojson", lambda: _points_geojson('"crs": {"type": "link", "properties": {"href": "http://127.0.0.1:9/crs"}}'), ("E_SECURITY",)),
    Case("msme points GeoJSON escaped crs member", "msme points", "umkm.geojson", lambda: _points_geojson('"\\u0063rs": {"type": "name", "properties": {"name": "+init=/etc/passwd"}}'), ("E_SECURITY",)),
    Case("msme points GeoJSON duplicate crs member", "msme points", "umkm.geojson", lambda: _points_geojson('"crs": {"type": "link", "properties": {"href": "file:///etc/passwd"}}', '"crs": null'), ("E_SECURITY",)),
    Case("msme points GeoJSON nested 100,000 deep", "msme points", "umkm.geojson", lambda: _csv('{"type":"FeatureCollection","features":[' + "[" * _DEEP + "]" * _DEEP + "]}"), ("E_INPUT_FILE",)),
    Case("msme points GeoJSON over max_table_rows", "msme points", "umkm.geojson", lambda: _geojson(_points()), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_table_rows=1"}),
    Case("msme points GeoJSON text after the object", "msme points", "umkm.geojson", lambda: _geojson(_points()) + b"{}", ("E_INPUT_FILE",)),
    Case("msme points truncated zipped Shapefile", "msme points", "umkm.zip", lambda: _truncated(_shapefile_zip(_points())), ("E_SECURITY", "E_INPUT_FILE")),
    # boundaries (read_areas)
    Case("areas stray vertex at lon -0.0", "areas", "kec.geojson", lambda: _geojson(_areas(_STRAY)), ("E_LIMIT",)),
    Case("areas 1e308 coordinate", "areas", "kec.geojson", lambda: _geojson(_areas([[(98.0, 2.0), (1e308, 2.0), (98.0, 2.1)]])), ("E_SCHEMA",)),
    Case("areas ring across the antimeridian", "areas", "kec.geojson", lambda: _geojson(_areas([[(179.5, 2.0), (-179.5, 2.0), (-179.5, 2.1), (179.5, 2.1)]])), ("E_SCHEMA",)),
    Case("areas over max_features", "areas", "kec.gpkg", lambda: _gpkg(_areas(_MANY)), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_features=100"}),
    Case("areas over max_vertices", "areas", "kec.geojson", lambda: _geojson(_areas(_ROUND)), ("E_LIMIT",), {"INFRA_GAP_LIMITS": "max_vertices=1000"}),
    Case("areas GeoJSON nested 100,000 deep", "areas", "kec.geojson", lambda: _csv('{"type":"FeatureCollection","features":' + "[" * _DEEP + "]" * _DEEP + "}"), ("E_INPUT_FILE",)),
    Case("areas GeoJSON CRS +init=/etc/passwd", "areas", "kec.geojson", lambda: _with_geojson_crs('{"type": "name", "properties": {"name": "+init=/etc/passwd"}}'), ("E_SECURITY",)),
    Case("areas GeoJSON CRS file://", "areas", "kec.geojson", lambda: _with_geojson_crs('{"type": "name", "properties": {"name": "file:///etc/passwd"}}'), ("E_SECURITY",)),
    Case("areas GeoJSON CRS URL", "areas", "kec.geojson", lambda: _with_geojson_crs('{"type": "link", "properties": {"href": "http://127.0.0.1:9/crs"}}'), ("E_SECURITY",)),
    Case("areas shapefile .prj +init=/etc/passwd", "areas", "kec.zip", lambda: _shapefile_zip(_areas(), prj="+init=/etc/passwd"), ("E_SCHEMA", "E_INPUT_FILE")),
    Case("areas shapefile .prj URL", "areas", "kec.zip", lambda: _shapefile_zip(_areas(), prj="http://127.0.0.1:9/crs.prj"), ("E_SCHEMA", "E_INPUT_FILE")),
    Case("areas GPKG srs +init=/etc/passwd", "areas", "kec.gpkg", lambda: _gpkg(_areas(), (_GPKG_CRS.format("+init=/etc/passwd"),)), ("ok", "E_SCHEMA", "E_INPUT_FILE")),
    Case("areas GPKG 100,000-char CRS", "areas", "kec.gpkg", lambda: _gpkg(_areas(), (_GPKG_CRS.format('GEOGCS["' + "x" * 100_000 + '"]'),)), ("ok", "E_LIMIT", "E_SCHEMA", "E_INPUT_FILE")),
    Case("areas GPKG recursive view", "areas", "kec.gpkg", lambda: _gpkg_view("loop", _RECURSIVE), ("E_LIMIT",), layer="loop"),
    Case("areas GPKG self-join view", "areas", "kec.gpkg", lambda: _gpkg_view("big", _SELF_JOIN), ("E_LIMIT",), layer="big"),
    Case("areas GeoParquet metadata nested 10,000 deep", "areas", "kec.parquet", lambda: _geoparquet(_DEEP_GEO), ("E_LIMIT",)),
    Case("areas GeoParquet lying encoding", "areas", "kec.parquet", lambda: _geoparquet(_geo_meta(encoding="point")), ("E_INPUT_FILE",)),
    Case("areas GeoParquet WKB column of text", "areas", "kec.parquet", lambda: _geoparquet(_geo_meta(), values=["not wkb", "POINT (1 2)"]), ("E_INPUT_FILE",)),
    Case("areas GeoParquet missing primary column", "areas", "kec.parquet", lambda: _geoparquet(_geo_meta(), column="geom"), ("E_INPUT_FILE",)),
    Case("areas GeoParquet CRS file://", "areas", "kec.parquet", lambda: _geoparquet(_geo_meta(crs="file:///etc/passwd")), ("E_SECURITY",)),
    Case("areas GeoParquet CRS +init=/etc/passwd", "areas", "kec.parquet", lambda: _geoparquet(_geo_meta(crs="+init=/etc/passwd")), ("E_SECURITY",)),
    Case("areas GeoParquet CRS URL", "areas", "kec.parquet", lambda: _geoparquet(_geo_meta(crs="http://127.0.0.1:9/crs")), ("E_SECURITY",)),
    Case("areas truncated GeoJSON", "areas", "kec.geojson", lambda: _truncated(_geojson(_areas())), ("E_INPUT_FILE",)),
    Case("areas truncated GeoPackage", "areas", "kec.gpkg", lambda: _truncated(_gpkg(_areas())), ("E_INPUT_FILE",)),
    Case("areas truncated zipped Shapefile", "areas", "kec.zip", lambda: _truncated(_shapefile_zip(_areas())), ("E_SECURITY", "E_INPUT_FILE")),
    Case("areas truncated GeoParquet", "areas", "kec.parquet", lambda: _truncated(_geoparquet(_geo_meta())), ("E_INPUT_FILE",)),
    # coverage rasters (raster_info, then sampled in windows)
    Case("raster sparse 2e11 pixels", "raster", "cov.tif", lambda: _geotiff(447_214, 447_214, sparse=True, tiled=True, blockxsize=256, blockysize=256, transform=_FINE), ("E_LIMIT",)),
    Case("raster 10,000 bands", "raster", "cov.tif", lambda: _geotiff(2, 2, count=10_000, sparse=True), ("E_LIMIT",)),
    Case("raster one 8192 x 8192 tile", "raster", "cov.tif", lambda: _geotiff(8192, 8192, sparse=True, tiled=True, blockxsize=8192, blockysize=8192, transform=_FINE), ("E_LIMIT",)),
    Case("raster complex pixels", "raster", "cov.tif", lambda: _geotiff(dtype="complex64"), ("E_INPUT_FILE",)),
    Case("raster degenerate transform", "raster", "cov.tif", lambda: _geotiff(transform=Affine(0.0, 0, 98, 0, 0.0, 2.1)), ("E_INPUT_FILE",)),
    Case("raster rotated transform", "raster", "cov.tif", lambda: _geotiff(transform=_ROTATED), ("ok",)),
    Case("raster local CRS", "raster", "cov.tif", lambda: _geotiff(crs=RioCRS.from_wkt(_LOCAL_CS), transform=Affine(10, 0, 0, 0, -10, 40)), ("E_SCHEMA", "E_INPUT_FILE")),
    Case("raster 2 x 2 over Indonesia", "raster", "cov.tif", lambda: _geotiff(2, 2, transform=_INDONESIA), ("ok",)),
    Case("raster truncated", "raster", "cov.tif", lambda: _truncated(_geotiff(64, 64)), ("E_INPUT_FILE",)),
    Case("raster not a TIFF", "raster", "cov.tif", lambda: b"II*\x00" + b"\xff" * 60, ("E_INPUT_FILE",)),
    # scenarios (scenario_from_bytes)
    Case("scenario TOML nested 65 deep", "scenario", "s.toml", lambda: _csv(_SIXTY_FIVE), ("E_LIMIT",)),
    Case("scenario TOML nested 30,000 deep", "scenario", "s.toml", lambda: _csv("a = " + "[" * 30_000 + "]" * 30_000), ("E_LIMIT",)),
    Case("scenario TOML inline tables 6,000 deep", "scenario", "s.toml", lambda: _csv("a = " + "{b = " * 6_000 + "1" + "}" * 6_000), ("E_LIMIT",)),
    Case("scenario truncated TOML", "scenario", "s.toml", lambda: _csv('name = "x"\n[weights]\nmsme_uncovered = 0.'), ("E_DATA",)),
)
# fmt: on


def build(case: Case) -> bytes:
    """The bytes of a case."""
    return case.make()


def read(case: Case, data: bytes) -> None:
    """Feed ``data`` to the case's reader."""
    name = case.filename
    if case.reader == "msme":
        points, rejected = io.read_msme_table(data, name=name)
        assert len(points) + len(rejected) >= 1
    elif case.reader == "msme points":
        lean, rejected = io.read_msme_points(data, name=name)
        assert len(lean) + len(rejected) >= 1
    elif case.reader == "towers":
        io.read_opencellid(data, name=name)
    elif case.reader == "tiles":
        io.read_speed_tiles(data, name=name)
    elif case.reader == "areas":
        io.read_areas(data, name=name, layer=case.layer)
    elif case.reader == "raster":
        io.raster_info(data, name=name)
        io.sample_geotiff(
            data, np.array([98.05, 120.0]), np.array([2.05, -3.0]), xy_crs="EPSG:4326"
        )
    elif case.reader == "scenario":
        scenario_from_bytes(data)
    else:  # pragma: no cover
        raise AssertionError(case.reader)


def run_case(case: Case) -> str:
    """Build and read one case; the error code it raised, or ``"ok"``.

    Anything but an :class:`~infra_gap.errors.InfraGapError` propagates (a test failure).
    """
    data = build(case)
    try:
        read(case, data)
    except InfraGapError as err:
        return err.code
    return "ok"
