"""The sidebar of the province and national pages: level, weights, stability, tower siting
and evidence layers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from infra_gap.errors import InfraGapError
from infra_gap.layers import Layers
from infra_gap.outputs.views import EVIDENCE_LAYERS, indicator_label
from infra_gap.ranking.presets import PRESETS
from infra_gap.ranking.scoring import NORMALISATIONS
from infra_gap.ranking.stability import MAX_DRAWS
from infra_gap.registry import INDICATORS, SITING_INDICATORS
from infra_gap.text.i18n import t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import indicators
from infra_gap.app.ui.common import ScenarioChoices, held, index_of, sync
from infra_gap.app.ui.file_box import file_box
from infra_gap.app.ui.national_page import national_province, national_scale, national_table
from infra_gap.app.ui.state import PRESET_CHOICES, apply_preset, to_custom

if TYPE_CHECKING:
    from infra_gap.national.view import WorkloadEntry
    from infra_gap.national.workload import Workload


@dataclass
class Settings:
    """The sidebar's choices, and the indicator table they gave (or the error)."""

    lang: str
    level: str
    preset: str
    method: str
    covered_min: float
    weights: dict[str, float]
    top_n: int
    draws: int
    concentration: float
    seed: int
    table: pd.DataFrame
    unknown_as_need: bool = True
    data_error: InfraGapError | None = None
    nat_chosen: tuple[WorkloadEntry, Workload] | None = None
    nat_province: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def choices(self) -> ScenarioChoices:
        """Keyword arguments of :func:`infra_gap.app.ui.common.scenario_of`."""
        return {
            "level": self.level, "preset": self.preset, "weights": self.weights,
            "method": self.method, "covered_min": float(self.covered_min),
            "top_n": int(self.top_n), "draws": int(self.draws),
            "unknown_as_need": bool(self.unknown_as_need),
            "concentration": float(self.concentration), "seed": int(self.seed),
        }  # fmt: skip


def settings(
    *, national: bool, levels: list[str], data_key: str, layers: Layers | None, lang: str
) -> Settings:
    """Level, normalisation, preset, weights and stability (the language is main.py's)."""
    ss = st.session_state
    with st.sidebar:
        nat_chosen = national_scale(lang) if national else None
        level = st.selectbox(
            t("level", lang),
            levels,
            index=index_of(K.LEVEL, lang, levels),
            format_func=lambda lv: t(f"level_{lv}", lang),
            key=K.per_lang(K.LEVEL, lang),
            on_change=sync,
            args=(K.LEVEL, lang),
        )
        nat_province = national_province(nat_chosen[1], lang) if nat_chosen is not None else ""
        with st.expander(t("advanced", lang)):
            method = st.radio(
                t("normalisation", lang),
                NORMALISATIONS,
                index=index_of(K.METHOD, lang, NORMALISATIONS),
                format_func=lambda m: t(f"norm_{m}", lang),
                key=K.per_lang(K.METHOD, lang),
                on_change=sync,
                args=(K.METHOD, lang),
            )
            covered_min = st.number_input(
                t("covered_min", lang), value=held(K.COVERED_MIN, 0.0),
                help=t("covered_min_help", lang), key=K.COVERED_MIN,
            )  # fmt: skip
            unknown_as_need = st.toggle(
                t("unknown_as_need", lang),
                value=held(K.UNKNOWN_AS_NEED, False),
                help=t("unknown_as_need_help", lang),
                key=K.UNKNOWN_AS_NEED,
            )
        preset = st.selectbox(
            t("preset", lang),
            PRESET_CHOICES,
            index=index_of(K.PRESET, lang, PRESET_CHOICES),
            format_func=lambda k: t(f"preset_{k}", lang),
            key=K.per_lang(K.PRESET, lang),
            on_change=apply_preset,
            args=(lang,),
        )
        st.caption(t(f"preset_{preset}_why", lang))
        if preset in PRESETS and PRESETS[preset].needs:
            st.caption(t(f"preset_needs_{PRESETS[preset].needs}", lang))
        for p in PRESETS.values():
            if not p.available:
                st.button(
                    t("preset_unavailable", lang).format(name=t(f"preset_{p.key}", lang)),
                    disabled=True,
                    help=t(f"preset_{p.key}_why", lang),
                    key=f"preset_na_{p.key}",
                )
                st.caption(t(f"preset_needs_{p.needs}", lang))
        data_error: InfraGapError | None = None
        try:
            if national:
                table = national_table(nat_chosen, level, nat_province, float(covered_min), lang)
            elif layers is None:  # no data to rank (the province page always gives its layers)
                table = pd.DataFrame()
            else:
                with st.spinner(t("loading", lang)):
                    table = indicators(data_key, level, float(covered_min), layers)
        except InfraGapError as err:  # own data the pipeline cannot use: said below
            data_error, table = err, pd.DataFrame()
        siting_ok = not national and len(table) > 0  # a national run keeps no points to site
        computable = set(table.columns) | (set(SITING_INDICATORS) if siting_ok else set())
        shown = [n for n in INDICATORS if n in computable or ss.get(K.weight(n), 0.0)]
        active = [n for n in shown if ss.get(K.weight(n), 0.0)]
        weights = {}
        for names, label, expanded in (
            (active, "weights", True),
            ([n for n in shown if n not in active], "weights_other", False),
        ):
            with st.expander(t(label, lang), expanded=expanded):
                if expanded:
                    st.caption(t("weights_help", lang))
                for name in names:
                    weights[name] = st.slider(
                        indicator_label(name, lang),
                        0.0,
                        1.0,
                        # A value given saves Streamlit a scan of the session state per slider;
                        # the state (from a preset or the slider) still wins over it.
                        value=float(ss.get(K.weight(name), 0.0)),
                        step=0.05,
                        key=K.weight(name),
                        on_change=to_custom,
                        disabled=name not in computable,
                        help=None if name in computable else t("weight_absent", lang),
                    )
        with st.expander(t("stability", lang)):
            top_n = st.number_input(
                t("top_n", lang), value=held(K.TOP_N, 10), min_value=1, step=1, key=K.TOP_N
            )
            draws = st.number_input(
                t("draws", lang),
                value=held(K.DRAWS, 0),
                min_value=0,
                max_value=MAX_DRAWS,
                step=100,
                help=t("draws_help", lang),
                key=K.DRAWS,
            )
            concentration = st.number_input(
                t("concentration", lang), value=held(K.CONCENTRATION, 1.0),
                help=t("concentration_help", lang), key=K.CONCENTRATION,
            )  # fmt: skip
            seed = st.number_input(
                t("seed", lang), value=held(K.SEED, 0), min_value=0, step=1, key=K.SEED
            )
    return Settings(
        lang=lang, level=level, preset=preset, method=method, covered_min=float(covered_min),
        weights=weights, top_n=int(top_n), draws=int(draws),
        concentration=float(concentration), seed=int(seed), table=table,
        unknown_as_need=bool(unknown_as_need),
        data_error=data_error, nat_chosen=nat_chosen, nat_province=nat_province,
    )  # fmt: skip


@dataclass(frozen=True)
class Tools:
    """Tower siting options and the evidence layers switched on."""

    sites_on: bool
    by_count: bool
    site_count: int
    budget_bn: float
    site_radius: float
    site_terrain: str
    plots_file: object
    only_plots: bool
    on: dict[str, bool]


def tools(layers: Layers, lang: str) -> Tools:
    """The sidebar's siting and evidence-layer panels."""
    ss = st.session_state
    site_count, budget_bn = int(ss[K.SITE_COUNT]), float(ss[K.SITE_BUDGET_BN])
    with st.sidebar:
        available = {
            "msme": True,
            "coverage": layers.coverage is not None and hasattr(layers.coverage, "array"),
            "towers": layers.towers is not None and len(layers.towers) > 0,
            "speed": layers.speed_tiles is not None and len(layers.speed_tiles) > 0,
            "backbone": layers.backbone is not None and len(layers.backbone) > 0,
        }
        with st.expander(t("sites_title", lang), expanded=bool(ss[K.SITES_ON])):
            sites_on = st.toggle(
                t("sites_on", lang), value=held(K.SITES_ON, False), key=K.SITES_ON,
                help=t("sites_on_help", lang),
            )  # fmt: skip
            by_count = st.toggle(
                t("sites_by_count", lang), value=held(K.SITE_BY_COUNT, False), key=K.SITE_BY_COUNT
            )
            if by_count:
                site_count = st.number_input(
                    t("sites_count", lang), value=held(K.SITE_COUNT, 20), min_value=1,
                    max_value=2000, step=1, key=K.SITE_COUNT,
                )  # fmt: skip
            else:
                budget_bn = st.slider(
                    t("sites_budget", lang), 5, 500, value=held(K.SITE_BUDGET_BN, 50), step=5,
                    key=K.SITE_BUDGET_BN,
                )  # fmt: skip
            site_radius = st.slider(
                t("sites_radius", lang), 2.0, 15.0, value=float(held(K.SITE_RADIUS_KM, 5.0)),
                step=0.5, key=K.SITE_RADIUS_KM, help=t("sites_radius_help", lang),
            )  # fmt: skip
            hilly = st.toggle(
                t("sites_hilly", lang), value=held(K.SITE_HILLY, False), key=K.SITE_HILLY
            )
            site_terrain = "hilly" if hilly else "flat"
            plots_file = file_box(
                t("sites_plots", lang), types=("geojson", "gpkg", "zip", "parquet"),
                key=K.SITE_PLOTS, lang=lang, help=t("sites_plots_help", lang),
            )  # fmt: skip
            only_plots = plots_file is not None and st.toggle(
                t("sites_only_plots", lang), value=held(K.SITE_ONLY_PLOTS, False),
                key=K.SITE_ONLY_PLOTS,
            )  # fmt: skip
        with st.expander(t("layers_title", lang)):
            on = {}
            for name in EVIDENCE_LAYERS:
                shown_on = st.toggle(
                    t(f"layer_{name}", lang), value=held(K.layer_on(name), False),
                    key=K.layer_on(name), disabled=not available[name],
                )  # fmt: skip
                on[name] = shown_on and available[name]
    return Tools(
        sites_on=bool(sites_on), by_count=bool(by_count), site_count=int(site_count),
        budget_bn=float(budget_bn), site_radius=float(site_radius), site_terrain=site_terrain,
        plots_file=plots_file, only_plots=bool(only_plots), on=on,
    )  # fmt: skip
