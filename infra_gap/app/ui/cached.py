"""The app's cached library calls: one definition, made when the module is first imported.

Defined in the main script, every decorator ran again on each rerun (Streamlit re-executes the
script), and Streamlit read each function's source to key its cache: tens of milliseconds
per rerun. Everything derived from data is keyed by the data's key: "demo", or the SHA-256
of the uploaded bytes and options. Arguments starting with ``_`` are not hashed; the key
stands in for them. Results are shared read-only by every session: callers copy before
changing anything.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import pandas as pd
import streamlit as st

from infra_gap import io
from infra_gap.analysis.inputs import InputPaths, Loaded, load_layers
from infra_gap.analysis.pipeline import PointFacts, indicator_table, place_and_cover, with_coverage
from infra_gap.config import GEO_CRS, CoverageParams
from infra_gap.io.budget import current_limits
from infra_gap.layers import Layers
from infra_gap.maps import folium_maps as maps
from infra_gap.maps import labels as map_labels
from infra_gap.maps import layers as map_layers
from infra_gap.maps.score_map import AreaShapes, area_shapes
from infra_gap.national.view import national_display, province_subset
from infra_gap.national.workload import Workload
from infra_gap.outputs.formats import export_bytes, meta_for
from infra_gap.outputs.views import indicator_tips, map_frame
from infra_gap.paths import default_cache_dir, default_data_dir
from infra_gap.ranking.eligibility import EligibilityRules, load_rules, with_eligibility
from infra_gap.ranking.scenario import (
    Scenario,
    ScenarioResult,
    run_scenario,
    scenario_from_toml,
    scenario_to_toml,
    score_scenario,
)
from infra_gap.registry import uses_siting
from infra_gap.runs import EngineRun, engine_table
from infra_gap.siting.plan import SitePlan, suggest_sites, with_cost_efficiency
from infra_gap.siting.problem import ReachParams, SitingProblem, siting_problem
from infra_gap.synthetic.demo import load_demo

from infra_gap.app.ui.common import priority_map


def data_dir() -> Path:
    """The data folder, as the CLI's (:func:`infra_gap.paths.default_data_dir`, read per call)."""
    return default_data_dir()


def workloads_dir() -> Path | None:
    """The folder of built workloads the app offers: ``INFRA_GAP_WORKLOADS`` (None: none)."""
    folder = os.environ.get("INFRA_GAP_WORKLOADS")
    return Path(folder) if folder else None


def scheduler() -> str | None:
    """The Dask scheduler the national page runs on: ``INFRA_GAP_SCHEDULER`` (None: local)."""
    return os.environ.get("INFRA_GAP_SCHEDULER") or None


def cache_dir() -> Path:
    """The cache folder, as the CLI's (:func:`infra_gap.paths.default_cache_dir`, per call)."""
    return default_cache_dir()


TTL = 3600  # seconds an uploaded data set's results stay cached
FLAT_KM = ReachParams().flat_km  # default reach: 8 km, a 42 m BAKTI tower on flat land


@st.cache_resource(show_spinner=False)
def eligibility_rules() -> EligibilityRules:
    """The 3T list of Perpres 63/2020 shipped in ``data/``, read once."""
    return load_rules(data_dir())


@st.cache_resource(show_spinner=False)
def demo_layers() -> Layers:
    """Static demo data, shared read-only by all sessions."""
    return load_demo(data_dir(), cache_dir())


# Everything derived from data is keyed by the data's key: "demo", or the SHA-256 of the
# uploaded bytes and options. `_layers` is not hashed; the key stands in for it.
@st.cache_resource(show_spinner=False, max_entries=4, ttl=TTL)
def own_data(key: str, _paths: InputPaths) -> Loaded:
    """Uploaded files read and validated, keyed by the SHA-256 of their content.

    Parsed in a worker process with a memory and time cap (``io.run_isolated``): a file
    that slips past the readers' budgets ends that worker with E_LIMIT, not the server.
    At most ``Limits.max_workers`` such workers run at once; further uploads wait their turn.
    """
    return io.run_isolated(load_layers, _paths, slots=upload_slots())


@st.cache_resource(show_spinner=False)
def upload_slots() -> threading.BoundedSemaphore:
    """The server's upload worker slots, shared by every session (``Limits.max_workers``)."""
    return threading.BoundedSemaphore(current_limits().max_workers)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=TTL)
def placed_points(key: str, _layers: Layers) -> PointFacts:
    """Point placement, nearest towers and tiles: once per data set, for every level and
    threshold (at the default threshold).
    """
    return place_and_cover(_layers, covered_min=CoverageParams().covered_min)


@st.cache_resource(show_spinner=False, max_entries=6, ttl=TTL)
def point_facts(key: str, covered_min: float, _layers: Layers) -> PointFacts:
    """The facts at a threshold: only the coverage look-up is redone for another one."""
    facts = placed_points(key, _layers)
    if covered_min == facts.covered_min:
        return facts
    return with_coverage(_layers, facts, covered_min=covered_min)


@st.cache_resource(show_spinner=False, max_entries=18, ttl=TTL)
def indicator_tip_texts(
    key: str, level: str, covered_min: float, lang: str, _layers: Layers
) -> pd.DataFrame:
    """Every indicator of a level formatted for the map's tooltips (weights do not change
    them; read-only).
    """
    return indicator_tips(indicators(key, level, covered_min, _layers), lang)


@st.cache_resource(show_spinner=False, max_entries=18, ttl=TTL)
def indicators(key: str, level: str, covered_min: float, _layers: Layers) -> pd.DataFrame:
    """Indicator table of one level (read-only: scoring copies it)."""
    return indicator_table(_layers, point_facts(key, covered_min, _layers), level=level)


# Siting keeps one reach matrix per data set, threshold and reach (about 200 MB on the demo).
@st.cache_resource(show_spinner=False, max_entries=2, ttl=TTL)
def siting(
    key: str,
    covered_min: float,
    radius_km: float,
    terrain: str,
    _layers: Layers,
    plots_key: str = "",
    only_plots: bool = False,
    _plots: gpd.GeoDataFrame | None = None,
) -> SitingProblem:
    """Candidate sites, demand and the reach matrix: the slow part of siting. Uploaded plots
    (`_plots`, keyed by the SHA-256 of their bytes) join the candidates, or replace them.
    """
    reach = ReachParams(radius_km=radius_km, terrain=terrain)
    return siting_problem(
        _layers, point_facts(key, covered_min, _layers), reach=reach, uploaded=_plots,
        generated=not only_plots,
    )  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=4, ttl=TTL)
def candidate_plots(plots_key: str, name: str, _data: bytes) -> gpd.GeoDataFrame:
    """Uploaded candidate plots (points), read once per content (the name picks the reader)."""
    return io.read_vector(_data, name=name)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=TTL)
def site_plan(
    key: str,
    covered_min: float,
    radius_km: float,
    terrain: str,
    budget_idr: float | None,
    count: int | None,
    _layers: Layers,
    plots_key: str = "",
    only_plots: bool = False,
    _plots: gpd.GeoDataFrame | None = None,
) -> SitePlan:
    """Sites for a budget or a count (read-only: shown and exported, never changed)."""
    problem = siting(key, covered_min, radius_km, terrain, _layers, plots_key, only_plots, _plots)
    return suggest_sites(problem, budget_idr=budget_idr, count=count)


@st.cache_resource(show_spinner=False, max_entries=6, ttl=TTL)
def cost_efficiency(key: str, level: str, covered_min: float, _layers: Layers) -> pd.DataFrame:
    """Indicator table with MSMEs newly covered per Rp 1 billion (default reach and costs)."""
    problem = siting(key, covered_min, FLAT_KM, "flat", _layers)
    return with_cost_efficiency(indicators(key, level, covered_min, _layers), problem)


@st.cache_resource(show_spinner=False, max_entries=24, ttl=TTL)
def map_shapes(key: str, level: str, prefix: str, _layers: Layers) -> AreaShapes:
    """The demo map's outlines at `level` (in kabupaten `prefix`), serialised once (read-only):
    a weight change only recolours them.
    """
    display = display_areas(key, level, _layers)
    if prefix:
        display = display[display["kode"].str.startswith(prefix + ".")]
    return area_shapes(display[["kode", "geometry"]])


@st.cache_resource(show_spinner=False, max_entries=6, ttl=TTL)
def label_points(key: str, _layers: Layers) -> Mapping[str, pd.DataFrame]:
    """A label point per kabupaten and kecamatan (the levels the data has), read-only."""
    return MappingProxyType(
        {
            lv: map_labels.label_points(_layers.areas[lv])
            for lv in ["kabupaten", "kecamatan"]
            if lv in _layers.areas
        }
    )


def label_tiers(
    key: str, layers: Layers, prefix: str, codes: set[str] | None
) -> list[map_labels.LabelTier]:
    """Place-name tiers of the areas shown: kabupaten names when zoomed out, kecamatan names
    from :data:`~infra_gap.maps.labels.KECAMATAN_MIN_ZOOM` (at every zoom without kabupaten).

    `prefix` keeps one kabupaten's areas; `codes` (kabupaten codes) a filter's.
    """
    points = label_points(key, layers)
    split = map_labels.KECAMATAN_MIN_ZOOM if "kabupaten" in points else 0.0
    tiers = []
    for lv, lo, hi, css in (
        ("kabupaten", 0.0, split, "infra-gap-label kab"),
        ("kecamatan", split, 30.0, "infra-gap-label"),
    ):
        if lv not in points:
            continue
        frame, kode = points[lv], points[lv]["kode"]
        if prefix:  # the drilled area, its parts and the kabupaten it lies in
            inside = (kode == prefix) | kode.str.startswith(prefix + ".")
            frame = frame[inside | kode.map(lambda k: prefix.startswith(k + "."))]
        elif codes:
            frame = frame[kode.str.split(".", n=2).str[:2].str.join(".").isin(codes)]
        if lv == "kabupaten":  # "Nias Selatan", "Kota Medan": the map's scale says the rest
            frame = frame.assign(nama=frame["nama"].str.replace(r"^Kabupaten\s+", "", regex=True))
        tiers.append(map_labels.LabelTier(frame, lo, hi, css))
    return tiers


@st.cache_resource(show_spinner=False, max_entries=6, ttl=TTL)
def area_names(key: str, levels: tuple[str, ...], _layers: Layers) -> Mapping[str, str]:
    """Code -> name over `levels` (read-only)."""
    return MappingProxyType(
        {
            k: n
            for lv in levels
            for k, n in zip(_layers.areas[lv]["kode"], _layers.areas[lv]["nama"], strict=True)
        }
    )


@st.cache_data(show_spinner=False, max_entries=32, ttl=TTL)
def ranked_csv_bytes(key: str, text: str, lang: str, _layers: Layers) -> bytes:
    """The ranked CSV of a scenario, made with the page (not on click): Streamlit can drop a
    file made on click before the browser fetches it when many sessions run at once.
    """
    result = scenario_run(key, text, _layers)
    ranked = with_eligibility(result.ranked, eligibility_rules(), lang=lang)  # as the CLI
    return export_bytes(ranked, _layers, fmt=".csv", meta=meta_for(result), lang=lang)


@st.cache_resource(show_spinner=False, max_entries=32, ttl=TTL)
def scenario_run(key: str, text: str, _layers: Layers) -> ScenarioResult:
    """Ranking, stability and tiers of a scenario, keyed by its TOML text."""
    scenario = scenario_from_toml(text)
    table = _scenario_table(key, scenario, _layers)
    return run_scenario(table, scenario, scores=scenario_scores(key, text, _layers))


@st.cache_resource(show_spinner=False, max_entries=32, ttl=TTL)
def scenario_scores(key: str, text: str, _layers: Layers) -> pd.DataFrame:
    """Scores and ranks of a scenario without the stability draws (read-only), keyed by its
    TOML text: what the map needs, ready before the draws of :func:`scenario_run`."""
    scenario = scenario_from_toml(text)
    return score_scenario(_scenario_table(key, scenario, _layers), scenario)


def _scenario_table(key: str, scenario: Scenario, layers: Layers) -> pd.DataFrame:
    """The indicator table a scenario ranks (with cost efficiency when a weight needs it)."""
    if uses_siting(scenario.weights):  # computed once per level, never on a weight change
        return cost_efficiency(key, scenario.level, scenario.covered_min, layers)
    return indicators(key, scenario.level, scenario.covered_min, layers)


@st.cache_resource(show_spinner=False, max_entries=12, ttl=TTL)
def display_areas(key: str, level: str, _layers: Layers) -> gpd.GeoDataFrame:
    """Simplified display geometry per level (analysis keeps the full geometry)."""
    areas = _layers.areas[level]
    shown = areas[["kode", "nama"]].copy()
    tolerance = 150.0 if level == "desa" else 50.0  # keeps the desa map payload small
    geometry = maps.display_geometry(areas, tolerance_m=tolerance)
    return gpd.GeoDataFrame(shown, geometry=geometry).to_crs(GEO_CRS)


@dataclass(frozen=True)
class Evidence:
    """Evidence layers prepared once per data set and threshold (read-only)."""

    coverage: map_layers.Overlay | None
    speed: map_layers.Overlay | None
    cells: tuple[map_layers.HeatCells, map_layers.HeatCells] | None


@st.cache_resource(show_spinner=False, max_entries=6, ttl=TTL)
def evidence(key: str, covered_min: float, _layers: Layers) -> Evidence:
    """Warped rasters and MSME heat cells: the slow part of the evidence layers."""
    raster = _layers.coverage
    coverage = None
    if raster is not None and hasattr(raster, "array"):
        coverage = map_layers.coverage_overlay(raster, covered_min=covered_min)  # type: ignore[arg-type]
    speed = None
    if _layers.speed_tiles is not None:
        speed = map_layers.speed_overlay(_layers.speed_tiles)
    facts = point_facts(key, covered_min, _layers)
    msme = _layers.msme
    cells = None
    if {"lon", "lat"} <= set(msme.columns) and len(msme) == len(facts.coverage.covered):
        cells = map_layers.msme_cells(
            pd.to_numeric(msme["lon"], errors="coerce").to_numpy(dtype="float64"),
            pd.to_numeric(msme["lat"], errors="coerce").to_numpy(dtype="float64"),
            ~facts.coverage.covered,
        )
    return Evidence(coverage, speed, cells)


@st.cache_resource(show_spinner=False, max_entries=6, ttl=TTL)
def province_map_bytes(key: str, level: str, covered_min: float, _layers: Layers) -> int:
    """Bytes of the whole-province priority map at `level` as the app draws it: every area,
    every tooltip (in Indonesian, under the default weights), no evidence layers."""
    scenario = Scenario(level=level, covered_min=covered_min)
    ranked = scenario_run(key, scenario_to_toml(scenario), _layers).ranked
    tips = indicator_tip_texts(key, level, covered_min, "id", _layers)
    frame = map_frame(display_areas(key, level, _layers), ranked, "id", tips=tips)
    shapes = map_shapes(key, level, "", _layers)
    m = priority_map(frame, shapes, "id", top_n=scenario.stability.top_n)
    return len(maps.map_html(m).encode("utf-8"))


@st.cache_resource(show_spinner=False, max_entries=4, ttl=TTL)
def boundary_measures(key: str, _loaded: Loaded) -> tuple[int, float, float]:
    """Overlapping pairs, their area and the gaps (km²) of an uploaded boundary layer."""
    overlaps = _loaded.boundary.overlaps()
    return len(overlaps), float(overlaps["overlap_km2"].sum()), _loaded.boundary.gap_km2()


@st.cache_resource(show_spinner=False)
def generation_lock() -> threading.Lock:
    """One national workload is generated at a time, whichever session asks."""
    return threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=4, ttl=TTL)
def national_run(
    name: str, digest: str, level: str, covered_min: float, _wl: Workload
) -> EngineRun:
    """Indicator table of a workload at one level (read-only: scoring copies it).

    On the Dask scheduler configured by ``INFRA_GAP_SCHEDULER`` (an address, or
    ``synchronous``), else on the local engine.
    """
    address = scheduler()
    return engine_table(
        level=level, engine="dask" if address else "local", scheduler=address,
        workload=_wl.root, covered_min=covered_min,
    )  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=32, ttl=TTL)
def national_ranking(
    name: str, digest: str, text: str, province: str, _wl: Workload
) -> ScenarioResult:
    """Ranking of the areas of one province (all areas when ``""``) under a scenario."""
    scenario = scenario_from_toml(text)
    run = national_run(name, digest, scenario.level, scenario.covered_min, _wl)
    return run_scenario(province_subset(run.table, province or None), scenario)


@st.cache_resource(show_spinner=False, max_entries=12, ttl=TTL)
def national_outlines(
    name: str, digest: str, level: str, province: str, _wl: Workload
) -> gpd.GeoDataFrame:
    """Display outlines in EPSG:4326: the nation (kecamatan, kabupaten) or one province."""
    return national_display(_wl, level=level, province=province or None)


@st.cache_resource(show_spinner=False, max_entries=12, ttl=TTL)
def national_shapes(name: str, digest: str, level: str, province: str, _wl: Workload) -> AreaShapes:
    """The outlines serialised once: a weight change only sends new colours and tooltips."""
    return area_shapes(national_outlines(name, digest, level, province, _wl))
