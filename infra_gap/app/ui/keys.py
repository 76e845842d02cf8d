"""Every session-state key of the app, in one place (issue #18, item 7).

A session's state is what one browser tab chose; nothing here is shared between sessions.
Keys are of three kinds:

- *choices*, plain values the pages read (``LEVEL``, ``PRESET``); a choice shown through a
  language's labels also has one widget per language (:func:`per_lang`: ``level_id``,
  ``level_en``), because a select box remembers the label it showed;
- *widget keys*, the state of one widget (``TOP_N``, :func:`weight`); those listed in
  :func:`kept` keep their value on a page that does not draw them (:func:`keep_widgets`);
- *bookkeeping* (``LINK_READ``, ``PREPARED``): what the app remembers between reruns.

Element keys of tables and download buttons only name an element (``download_csv``); they
are written where the element is drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

from infra_gap.config import LEVELS
from infra_gap.outputs.views import EVIDENCE_LAYERS
from infra_gap.provenance import SOURCE_KEYS, SOURCE_LAYERS
from infra_gap.registry import INDICATORS

# Language (a widget drawn on every page, before the page).
LANG = "lang"

# Choices of the sidebar (plain values; their widgets are per language).
LEVEL = "level"
PRESET = "preset"
METHOD = "method"
SORT_BY = "sort_by"
NAT_SCALE = "nat_scale"
NAT_PROVINCE = "nat_province"
UP_LEVEL = "up_level"

# Widgets of the sidebar that hold their own value.
COVERED_MIN = "covered_min"
UNKNOWN_AS_NEED = "unknown_as_need"
TOP_N = "top_n"
DRAWS = "draws"
CONCENTRATION = "concentration"
SEED = "seed"
SITES_ON = "sites_on"
SITE_BY_COUNT = "site_by_count"
SITE_COUNT = "site_count"
SITE_BUDGET_BN = "site_budget_bn"
SITE_RADIUS_KM = "site_radius_km"
SITE_HILLY = "site_hilly"
SITE_PLOTS = "site_plots"
SITE_ONLY_PLOTS = "site_only_plots"
WORKSPACE = "workspace"

# Widgets of the page.
KAB_FILTER = "kab_filter"
SEARCH = "search"
TABLE_EVERY_INDICATOR = "table_every_indicator"
SCENARIO_NAME = "scenario_name"
SCENARIO_FILE = "scenario_file"
COMPARE_FILE = "compare_file"
WS_SCENARIO_PICK = "ws_scenario_pick"
WS_IMPORT_FILE = "ws_import_file"

# Own data (the upload page): files, their options and what was loaded.
UP_FILES = ("areas", "msme", "coverage", "towers", "speed_tiles", "backbone", "podes")
UP_ROUND = "up_round"  # the boxes' round: a successful load lets its files go, starts the next
UP_LAYER = "up_layer"
UP_ID_COL = "up_id_col"
UP_NAME_COL = "up_name_col"
UP_LAT = "up_lat"
UP_LON = "up_lon"
UP_NODATA = "up_nodata"
UP_TEXT = (UP_LAYER, UP_ID_COL, UP_NAME_COL, UP_LAT, UP_LON, UP_NODATA)
OWN = "own"  # the loaded own data: key, file name, loaded layers, how the level was read
OWN_ERROR = "own_error"
OWN_LOADED = "own_loaded"  # set by the load button: the province page is shown next

# Scenarios and the workspace.
SCENARIO_ERROR = "scenario_error"
SCENARIO_LOADED = "scenario_loaded"
SCENARIO_TEXT = "scenario_text"
CHECKLIST = "checklist"  # every area's checklist (the session's own without a database)
WS_KNOWN = "ws_known"  # the row version each field was read at
WS_CONFLICT = "ws_conflict"
WS_SAVE_ERROR = "ws_save_error"
WS_ERROR = "ws_error"
EDITOR_ID = "editor_id"

# Bookkeeping.
KEPT_VALUES = "kept_values"  # copies of the kept widgets' values (keep_widgets)
LINK_READ = "link_read"  # the URL's view was applied (once per session)
VIEW_SAVED = "view_saved"  # the last view written to the workspace
MAP_VIEW = "map_view"  # the map's last centre and zoom
MAP_CLICKED = "map_clicked"
PENDING_SELECT = "pending_select"  # a map click, applied before any widget of the next run
NAT_PENDING = "nat_pending"  # a national workload just made, chosen before its box is drawn
PREPARED = "prepared"  # downloads made on request: format -> (state, bytes)
PREPARED_DOSSIER = "prepared_dossier"
PREPARED_PRINT = "prepared_print"
FULL_RUN = "full_run"  # a fragment's callback changed what the whole page shows
PAGE = "page"  # the page of the last run (a widget of another page is another widget)


def per_lang(name: str, lang: str) -> str:
    """The widget of a choice in one language (``level_en``)."""
    return f"{name}_{lang}"


def weight(indicator: str) -> str:
    """An indicator's weight slider (``w_msme_uncovered``)."""
    return f"w_{indicator}"


def drill_down(level: str) -> str:
    """The drill-down choice at a level (``dd_kecamatan``; its widgets are per language)."""
    return f"dd_{level}"


def why(level: str) -> str:
    """The area shown in the detail panel at a level (``why_desa``)."""
    return f"why_{level}"


def picked(level: str) -> str:
    """Set when the detail area was picked, not just rank 1 of the list."""
    return f"why_{level}_picked"


def layer_on(name: str) -> str:
    """An evidence layer's toggle (``lyr_towers``)."""
    return f"lyr_{name}"


def upload(name: str, round_: int = 0) -> str:
    """An own-data file box (``up_areas``; ``up_areas_1`` after the first successful load:
    each load lets go of the files it read and starts a new round of empty boxes)."""
    return f"up_{name}_{round_}" if round_ else f"up_{name}"


def checklist_field(field: str, kode: str) -> str:
    """One area's checklist field (``ck_lahan_12.04.10``)."""
    return f"ck_{field}_{kode}"


def note(kode: str) -> str:
    """One area's note."""
    return f"note_{kode}"


def eligible_only(preset: str) -> str:
    """The "BAKTI-eligible areas only" switch, remembered per preset."""
    return f"elig_only_{preset}"


def search_pick(lang: str) -> str:
    return f"search_pick_{lang}"


def kept() -> tuple[str, ...]:
    """Widget keys whose value a page keeps while another page is shown."""
    return (
        COVERED_MIN, UNKNOWN_AS_NEED, TOP_N, DRAWS, CONCENTRATION, SEED,
        SITES_ON, SITE_BY_COUNT, SITE_COUNT, SITE_BUDGET_BN, SITE_RADIUS_KM, SITE_HILLY,
        SITE_ONLY_PLOTS, WORKSPACE, KAB_FILTER, SEARCH, TABLE_EVERY_INDICATOR, SCENARIO_NAME,
        *UP_TEXT, *(weight(k) for k in INDICATORS), *(layer_on(n) for n in EVIDENCE_LAYERS),
        *(why(lv) for lv in LEVELS),
        *(provenance(layer, f) for layer in SOURCE_LAYERS for f in SOURCE_KEYS),
    )  # fmt: skip


def choices() -> tuple[str, ...]:
    """Choices shown through a language's labels (one widget per language, :func:`per_lang`)."""
    return (
        LEVEL, PRESET, METHOD, SORT_BY, NAT_SCALE, NAT_PROVINCE, UP_LEVEL,
        *(drill_down(lv) for lv in LEVELS),
    )  # fmt: skip


def keep_widgets(state: MutableMapping[Any, Any], names: Iterable[str] = ()) -> None:
    """Keep widget values across pages: Streamlit drops a widget's state at the end of a run
    that does not draw it; a value written back at the start of the run is kept as the
    session's own (the documented way to keep widget state across pages).

    A copy under a plain key (:data:`KEPT_VALUES`) brings back a value Streamlit dropped all
    the same: a ``switch_page`` from the upload page cleared the sidebar's weights in the
    browser, and the province page then ranked with every custom weight at 0 (E_SCORING).
    """
    copies = state.setdefault(KEPT_VALUES, {})
    for name in (*kept(), *names):
        if name in state:
            state[name] = state[name]
            copies[name] = state[name]
        elif name in copies:
            state[name] = copies[name]


def drop_kept(state: MutableMapping[Any, Any], name: str) -> None:
    """Forget a kept widget's value (and its copy), so the widget starts from its default."""
    state.pop(name, None)
    state.get(KEPT_VALUES, {}).pop(name, None)


def provenance(layer: str, field: str) -> str:
    """A provenance field of an uploaded layer (``prov_towers_source``)."""
    return f"prov_{layer}_{field}"
