"""The same join-and-count as ``infra-gap rank``, written the way each peer tool is used.

``python bench/join_peers.py TOOL AREAS MSME COVERAGE OUT`` with TOOL one of ``geopandas``,
``strtree``, ``duckdb``, ``sedonadb``.  Each reads the boundary file (any vector format,
its own CRS), the MSME CSV (``lat``/``lon`` in degrees) and the coverage GeoTIFF, places
each MSME in the desa that contains it or has it on its edge (lowest code where desa
overlap, as ours), looks up the coverage pixel under each MSME (no data = not covered),
and writes per desa ``kode,msme_total,msme_uncovered`` to OUT.  The join runs in the
boundary file's own CRS (EPSG:4326 for the hidden set and for ``data/sumut_desa.geojson``),
as an analyst would; only the raster look-up converts the points to the raster's CRS.

This is the acceptance baseline of issue #20 (geopandas) and the peers it names.  Each
script is what a competent user of that tool writes: vectorised, no Python loop per point.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd


def _read_msme(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, usecols=["lat", "lon"], dtype={"lat": "float64", "lon": "float64"})


def _areas(path: Path):
    import geopandas as gpd

    gdf = gpd.read_file(path, engine="pyogrio")
    if "kode" not in gdf:
        for c in ("KDDESA", "KODE_DESA", "KDEPUM"):
            if c in gdf:
                gdf = gdf.rename(columns={c: "kode"})
    gdf["kode"] = gdf["kode"].astype("str")
    return gdf.sort_values("kode", kind="stable").reset_index(drop=True)


def _uncovered(coverage: Path, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """True where the pixel under the point is not covered (below 1, no data, outside)."""
    import rasterio
    from pyproj import Transformer

    with rasterio.open(coverage) as src:
        arr, t, nodata, crs = src.read(1), src.transform, src.nodata, src.crs
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    col = np.floor((np.asarray(x) - t.c) / t.a).astype("int64")
    row = np.floor((np.asarray(y) - t.f) / t.e).astype("int64")
    inside = (row >= 0) & (row < arr.shape[0]) & (col >= 0) & (col < arr.shape[1])
    value = np.full(len(x), np.nan)
    value[inside] = arr[row[inside], col[inside]]
    if nodata is not None:
        value[value == nodata] = np.nan
    return ~(value >= 1)


def _write(out: Path, kode: np.ndarray, index: np.ndarray, unc: np.ndarray) -> None:
    ok = index >= 0
    total = np.bincount(index[ok], minlength=len(kode))
    uncovered = np.bincount(index[ok], weights=unc[ok], minlength=len(kode)).astype("int64")
    pd.DataFrame({"kode": kode, "msme_total": total, "msme_uncovered": uncovered}).to_csv(
        out, index=False
    )


def geopandas_join(areas: Path, msme: Path, coverage: Path, out: Path) -> None:
    import geopandas as gpd

    desa = _areas(areas)
    m = _read_msme(msme)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(m["lon"], m["lat"]), crs=desa.crs)
    j = gpd.sjoin(pts, desa[["kode", "geometry"]], predicate="intersects", how="left")
    j = j.groupby(level=0)["index_right"].min()  # lowest code (desa sorted by code)
    index = j.reindex(pts.index).fillna(-1).astype("int64").to_numpy()
    _write(out, desa["kode"].to_numpy(), index, _uncovered(coverage, m["lon"], m["lat"]))


def strtree_join(areas: Path, msme: Path, coverage: Path, out: Path) -> None:
    import shapely

    desa = _areas(areas)
    m = _read_msme(msme)
    geoms = desa.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    lon, lat = m["lon"].to_numpy(), m["lat"].to_numpy()
    p, a = tree.query(shapely.points(lon, lat), predicate="intersects")
    index = np.full(len(lon), np.iinfo("int64").max)
    np.minimum.at(index, p, a)
    index[index == np.iinfo("int64").max] = -1
    _write(out, desa["kode"].to_numpy(), index, _uncovered(coverage, lon, lat))


def duckdb_spatial():
    """A DuckDB connection with the spatial extension loaded from the PyPI package
    ``duckdb-extension-spatial`` (DuckDB's own ``INSTALL spatial`` downloads it)."""
    import duckdb
    import duckdb_extension_spatial

    found = sorted(
        Path(duckdb_extension_spatial.__file__).parent.glob("**/spatial.duckdb_extension")
    )
    con = duckdb.connect()
    con.execute(f"LOAD '{found[-1]}'")
    return con


def duckdb_join(areas: Path, msme: Path, coverage: Path, out: Path) -> None:
    con = duckdb_spatial()
    con.execute(
        f"CREATE TABLE desa AS SELECT row_number() OVER (ORDER BY kode) - 1 AS i, kode, geom "
        f"FROM (SELECT CAST(kode AS VARCHAR) AS kode, geom FROM ST_Read('{areas}'))"
    )
    con.execute(
        "CREATE TABLE m AS SELECT row_number() OVER () - 1 AS pid, lon, lat, "
        f"ST_Point(lon, lat) AS pt FROM read_csv('{msme}', header = true)"
    )
    placed = con.execute(
        "SELECT m.pid, min(desa.i) FROM m JOIN desa ON ST_Intersects(desa.geom, m.pt) "
        "GROUP BY m.pid"
    ).fetchnumpy()
    lonlat = con.execute("SELECT lon, lat FROM m ORDER BY pid").fetchnumpy()
    kode = con.execute("SELECT kode FROM desa ORDER BY i").fetchnumpy()["kode"]
    index = np.full(len(lonlat["lon"]), -1, dtype="int64")
    cols = list(placed)
    index[np.asarray(placed[cols[0]], dtype="int64")] = np.asarray(placed[cols[1]], dtype="int64")
    lon, lat = np.asarray(lonlat["lon"]), np.asarray(lonlat["lat"])
    _write(out, np.asarray(kode, dtype=object), index, _uncovered(coverage, lon, lat))


def sedonadb_join(areas: Path, msme: Path, coverage: Path, out: Path) -> None:
    import sedonadb

    desa = _areas(areas)
    m = _read_msme(msme)
    m["pid"] = np.arange(len(m))
    sd = sedonadb.connect()
    d = desa[["kode", "geometry"]].copy()
    d["i"] = np.arange(len(d))
    sd.create_data_frame(d).to_view("desa")
    sd.create_data_frame(m).to_view("m")
    placed = sd.sql(
        "SELECT m.pid AS pid, min(desa.i) AS i FROM m JOIN desa "
        "ON ST_Intersects(desa.geometry, ST_SetSRID(ST_Point(m.lon, m.lat), 4326)) "
        "GROUP BY m.pid"
    ).to_pandas()
    index = np.full(len(m), -1, dtype="int64")
    index[placed["pid"].to_numpy("int64")] = placed["i"].to_numpy("int64")
    lon, lat = m["lon"].to_numpy(), m["lat"].to_numpy()
    _write(out, desa["kode"].to_numpy(), index, _uncovered(coverage, lon, lat))


TOOLS = {
    "geopandas": geopandas_join,
    "strtree": strtree_join,
    "duckdb": duckdb_join,
    "sedonadb": sedonadb_join,
}

if __name__ == "__main__":
    tool, *paths = sys.argv[1:]
    TOOLS[tool](*(Path(p) for p in paths))
