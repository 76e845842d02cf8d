"""Cells grouped into tower sites, and operator names from a dated MCC/MNC table.

An OpenCelliD row is one **cell** (``radio, mcc, net, area, cell``), not a tower: its
position is averaged from the phones that reported it ("Calculated cell position vs exact
cell position" and "Cell towers and cells are two different things", OpenCelliD wiki FAQ,
revision of 28 February 2016; Mozilla ichnaea import/export docs), and a mast usually
carries several cells (sectors, 2G/3G/4G layers).

**Rule.**  Cells of one network (the same ``mcc`` and ``net``) are one site when they lie
within :attr:`SiteParams.distance_m` (250 m) of the site's first cell in file order
(leader clustering: each cell joins the first earlier site whose first cell is that
near, else starts a site; no chaining, so a dense city does not melt into one site).
250 m is half the smallest inter-site distance of the ITU-R IMT-Advanced test
environments (urban macro, 500 m: Report ITU-R M.2135-1, December 2009, Table 8-2): two
masts of one network are rarely nearer than that, while the averaged positions of one
mast's sectors are pulled apart towards their users.  A stated assumption, not a measured
value; ``--site-distance-m`` changes it.

A table with a ``site_id`` column is grouped by it; any other point table (no ``cell``
column) has one site per row.  A site counts in the area of its first cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap import io
from infra_gap.paths import default_data_dir

__all__ = [
    "MERGER_XLSMART",
    "SiteParams",
    "group_sites",
    "mcc_mnc_path",
    "operator_names",
    "prepare_towers",
]

#: XL Axiata and Smartfren operate as one company, XLSmart, from this date (domain.md;
#: the merger took legal effect on 15 April 2025, operations from 16 April 2025).
MERGER_XLSMART = dt.date(2025, 4, 15)
#: The dated MCC/MNC table (``data/mcc_mnc_510.csv``, sources in ``data/SOURCES.md``).
MCC_MNC_FILE = "mcc_mnc_510.csv"


@dataclass(frozen=True)
class SiteParams:
    """How cells become sites, and which date the operator names are for.

    Attributes
    ----------
    distance_m
        Cells of one network within this distance of a site's first cell are that site
        (see the module docstring for the source).
    as_of
        Operator names as of this date (None: the latest, i.e. after every merger in the
        table; ``2025-04-14`` keeps XL Axiata and Smartfren apart).
    """

    distance_m: float = 250.0
    as_of: dt.date | None = None


def mcc_mnc_path() -> Path:
    """The MCC/MNC table: in ``INFRA_GAP_DATA`` when set, else in the package's data."""
    return default_data_dir() / MCC_MNC_FILE


def operator_names(
    mcc: pd.Series, net: pd.Series, *, as_of: dt.date | None = None, table: Path | None = None
) -> pd.Series:
    """The operator of each cell from its MCC and MNC, as of a date.

    Networks not in the table are named ``MCC-MNC`` (e.g. ``510-99``), never guessed.
    ``table`` defaults to :func:`mcc_mnc_path`.
    """
    path = table or mcc_mnc_path()
    table_rows = io.read_table(path, name=path.name)
    table_rows = table_rows.astype({"valid_from": "str", "valid_until": "str"})
    day = (as_of or dt.date.max).isoformat()
    start = table_rows["valid_from"].replace({"nan": "", "None": ""})
    end = table_rows["valid_until"].replace({"nan": "", "None": ""})
    valid = table_rows[((start == "") | (start <= day)) & ((end == "") | (end >= day))]
    key = (
        valid["mcc"].astype("int64").astype("str")
        + "-"
        + valid["mnc"].astype("int64").astype("str")
    )
    lookup = pd.Series(valid["operator"].astype("str").to_numpy(), index=key.to_numpy())
    mcc_num = pd.to_numeric(mcc, errors="coerce")
    net_num = pd.to_numeric(net, errors="coerce")
    codes = mcc_num.astype("Int64").astype("str") + "-" + net_num.astype("Int64").astype("str")
    return codes.map(lookup).fillna(codes).astype("str")


def group_sites(
    x: np.ndarray, y: np.ndarray, network: np.ndarray, *, distance_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Site number of each cell (leader clustering per network), and its first cell.

    Parameters
    ----------
    x, y
        Cell positions in a metric CRS (NaN: its own site).
    network
        The network of each cell (``mcc-net``); cells of different networks never share a
        site.
    distance_m
        The radius around a site's first cell.

    Returns
    -------
    site, first
        ``site[i]`` numbers cell ``i``'s site (0, 1, ... in order of first cells);
        ``first[i]`` is True when cell ``i`` is its site's first cell.
    """
    from scipy.spatial import cKDTree  # here: scipy.spatial takes 0.3-0.9 s to import

    n = len(x)
    site = np.full(n, -1, dtype="int64")
    ok = np.isfinite(x) & np.isfinite(y)
    codes, inverse = np.unique(np.asarray(network, dtype="str"), return_inverse=True)
    for k in range(len(codes)):
        members = np.flatnonzero((inverse == k) & ok)
        if not len(members):
            continue
        tree = cKDTree(np.column_stack([x[members], y[members]]))
        for i in members:  # file order: earlier cells lead
            if site[i] >= 0:
                continue
            near = members[tree.query_ball_point([x[i], y[i]], distance_m)]
            site[near[site[near] < 0]] = i
    alone = site < 0
    site[alone] = np.flatnonzero(alone)
    # Leaders are numbered by their row, so sites come out in order of their first cells.
    _, numbered = np.unique(site, return_inverse=True)
    return numbered.astype("int64"), site == np.arange(n)


def prepare_towers(
    towers: gpd.GeoDataFrame, *, name: str, params: SiteParams | None = None
) -> tuple[gpd.GeoDataFrame, str]:
    """Name the operators and group the cells into sites; a report line says how.

    Adds ``site`` (a site number per row) and ``site_first`` (True on each site's first
    row, where the site is counted); a row whose ``operator`` is its network code
    (``510-11``) gets the operator's name as of ``params.as_of``.

    Parameters
    ----------
    towers
        As :func:`infra_gap.io.read_opencellid` returns them (work CRS, metres).
    name
        File name, for the report line.
    params
        Site distance and the date of the operator names.
    """
    params = params or SiteParams()
    out = towers.copy()
    when = "latest" if params.as_of is None else f"as of {params.as_of.isoformat()}"
    if "network" in out:
        coded = out["operator"].astype("str") == out["network"].astype("str")
        if coded.any():
            named = operator_names(out["mcc"], out["net"], as_of=params.as_of).to_numpy()
            out["operator"] = np.where(coded.to_numpy(), named, out["operator"].to_numpy())
    geoms = out.geometry.to_numpy()
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    if "cell" in out:
        network = out["network"] if "network" in out else out["operator"]
        site, first = group_sites(
            x, y, network.astype("str").to_numpy(), distance_m=params.distance_m
        )
        how = (
            f"same network within {params.distance_m:g} m of a site's first cell "
            "(OpenCelliD rows are cells)"
        )
    elif "site_id" in out:
        codes, _ = pd.factorize(out["site_id"].astype("str"))
        site, first = codes.astype("int64"), ~pd.Series(codes).duplicated().to_numpy()
        how = "by site_id"
    else:
        site, first = np.arange(len(out), dtype="int64"), np.ones(len(out), dtype=bool)
        how = "one site per row"
    out["site"] = site
    out["site_first"] = first
    ops = out["operator"].astype("str").value_counts()
    listed = ", ".join(f"{k} {v:,}" for k, v in ops.items())
    line = (
        f"{name}: {len(out):,} rows grouped into {int(first.sum()):,} tower sites ({how}); "
        f"operators {when} (rows): {listed}"
    )
    merged = params.as_of is None or params.as_of >= MERGER_XLSMART
    if merged and "XLSmart" in ops.index:
        line += (
            "; XL Axiata and Smartfren are one operator, XLSmart, since 15 April 2025 "
            "(--operators-as-of 2025-04-14 names them apart)"
        )
    return out, line
