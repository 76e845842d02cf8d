"""Every export format from one ranking: the library API both front ends call.

``write_ranked`` serves ``infra-gap rank --out FILE`` (the extension picks CSV, XLSX,
GeoPackage or a PDF dossier of the top areas); ``export_bytes`` gives the app the same
bytes for its download buttons; ``meta_for`` is the methodology record of a run.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from infra_gap import io
from infra_gap.errors import DataError, InputFileError
from infra_gap.layers import Layers, RowAccount
from infra_gap.outputs.datadict import table_schema_json, with_area_names
from infra_gap.outputs.export import ExportMeta
from infra_gap.outputs.views import ranked_export, with_reasons
from infra_gap.paths import schema_path

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts
    from infra_gap.ranking.scenario import ScenarioResult

__all__ = [
    "FORMATS",
    "export_bytes",
    "meta_for",
    "schema_for",
    "schema_path",
    "select_codes",
    "write_ranked",
]

#: File extension -> MIME type of every export format (for the app's download buttons).
FORMATS: Mapping[str, str] = MappingProxyType(
    {
        ".csv": "text/csv",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".gpkg": "application/geopackage+sqlite3",
        ".pdf": "application/pdf",
    }
)


def meta_for(result: ScenarioResult) -> ExportMeta:
    """The export record of a scenario run (weights used, settings, dropped indicators)."""
    s = result.scenario
    return ExportMeta(
        level=s.level,
        weights=result.weights,
        normalisation=s.normalisation,
        covered_min=float(s.covered_min),
        stability=MappingProxyType(s.stability.as_meta()),
        dropped=result.dropped,
        scenario_name=s.name,
        unknown_as_need=s.unknown_as_need,
    )


def _with_reasons(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    return ranked if "reason" in ranked else with_reasons(ranked, lang)


def export_bytes(
    ranked: pd.DataFrame,
    layers: Layers,
    *,
    fmt: str,
    meta: ExportMeta,
    facts: PointFacts | None = None,
    lang: str = "id",
    sep: str = ",",
    excel_id: bool = False,
    evidence: str = "clip",
    codes: Sequence[str] | None = None,
    top: int = 5,
    checklist: Mapping[str, Mapping[str, str]] | None = None,
    sites: gpd.GeoDataFrame | None = None,
    region: str = "",
    rejected: pd.DataFrame | None = None,
    accounts: tuple[RowAccount, ...] = (),
) -> bytes:
    """The bytes of one export format.

    Parameters
    ----------
    ranked
        Ranked table at ``meta.level`` (every area: the PDF cover summarises them all).
    layers, facts
        The layers and the per-MSME facts behind it; the GeoPackage's uncovered-MSME layer
        and the PDF need ``facts``.
    fmt
        A key of :data:`FORMATS`.
    meta
        The methodology record (:func:`meta_for`).
    lang, sep, excel_id
        Language of labels and reasons; CSV separator; the Excel (Indonesia) CSV variant.
    evidence
        GeoPackage only: towers, tiles and backbone ``"clip"`` (to the exported areas),
        ``"all"`` or ``"none"``.
    codes
        Areas to keep (CSV, XLSX, GeoPackage) or to write a dossier section for (PDF);
        every area, and the ``top`` areas for the PDF, when None.
    top
        Sections of a PDF made without ``codes``.
    checklist, sites, region
        PDF only (``sites`` also goes into the XLSX and GeoPackage), see
        :func:`infra_gap.outputs.dossier.document.dossier_pdf`.
    rejected, accounts
        XLSX: the rejected rows and row accounting when there are no ``facts`` (a
        partitioned workload keeps them, not per-MSME facts).
    """
    if fmt not in FORMATS:
        msg = f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}"
        raise InputFileError(msg)
    ranked = with_area_names(ranked, layers, meta.level)
    kept = ranked if codes is None else ranked[ranked["kode"].isin(list(codes))]
    if fmt == ".csv":
        return ranked_export(kept, lang, synthetic=layers.synthetic, sep=sep, excel_id=excel_id)
    if fmt == ".xlsx":
        from infra_gap.outputs.xlsx import ranked_xlsx  # loads openpyxl/xlsxwriter: only when used

        if facts is not None:
            rejected, accounts = facts.rejected, facts.accounts
        return ranked_xlsx(
            _with_reasons(kept, lang),
            layers,
            meta=meta,
            rejected=rejected,
            accounts=accounts,
            sites=sites,
            lang=lang,
        )
    if fmt == ".gpkg":
        from infra_gap.outputs.geopackage import ranked_geopackage

        return ranked_geopackage(
            _with_reasons(ranked, lang),
            layers,
            level=meta.level,
            facts=facts,
            sites=sites,
            codes=None if codes is None else list(codes),
            evidence=evidence,
            lang=lang,
            method=meta.method(),
        )
    if facts is None:
        msg = "a PDF dossier needs the MSME facts (`facts`)"
        raise DataError(msg)
    from infra_gap.outputs.dossier.document import (
        dossier_pdf,  # loads fpdf and matplotlib: only when used
    )

    chosen = list(codes) if codes is not None else ranked["kode"].head(top).tolist()
    return dossier_pdf(
        ranked,
        layers,
        facts,
        codes=chosen,
        meta=meta,
        lang=lang,
        checklist=checklist,
        sites=sites,
        region=region,
    )


def select_codes(
    ranked: pd.DataFrame, *, within: str = "", top: int | None = None
) -> list[str] | None:
    """Codes of the areas to export, in rank order; None (every area) without options.

    The areas whose code starts with ``within``, then the first ``top`` of those.

    Raises
    ------
    DataError
        When nothing is left.
    """
    if not within and top is None:
        return None
    inside = ranked["kode"].astype("str").str.startswith(within)
    codes = ranked["kode"][inside].astype("str").tolist()[:top]
    if not codes:
        msg = f"no area has a code starting with {within!r}" if within else "`top` must be >= 1"
        raise DataError(msg)
    return codes


def write_ranked(
    ranked: pd.DataFrame,
    layers: Layers,
    path: Path,
    *,
    meta: ExportMeta,
    facts: PointFacts | None = None,
    lang: str = "id",
    sep: str = ",",
    excel_id: bool = False,
    evidence: str = "clip",
    within: str = "",
    top: int | None = None,
    region: str = "",
    rejected: pd.DataFrame | None = None,
    accounts: tuple[RowAccount, ...] = (),
) -> None:
    """Write a ranking in the format its extension names: CSV, XLSX, GeoPackage or PDF.

    ``within`` keeps the areas whose code starts with it (e.g. ``"12.14"``, a kabupaten)
    and ``top`` the first N of those; ranks stay the province's.  A ``.pdf`` is the dossier
    of the kept areas (of the first five when neither option is given).  A ``.csv`` gets
    its data dictionary beside it, ``NAME.schema.json`` (:mod:`infra_gap.outputs.datadict`).

    Raises
    ------
    InputFileError
        For an extension other than ``.csv``, ``.xlsx``, ``.gpkg`` and ``.pdf``.
    DataError
        When ``within`` and ``top`` leave no area.
    """
    fmt = path.suffix.lower()
    if fmt not in FORMATS:
        msg = f"{path}: the output must end in {', '.join(FORMATS)}"
        raise InputFileError(msg)
    codes = select_codes(ranked, within=within, top=top)
    data = export_bytes(
        ranked,
        layers,
        fmt=fmt,
        meta=meta,
        facts=facts,
        lang=lang,
        sep=sep,
        excel_id=excel_id,
        evidence=evidence,
        codes=codes,
        region=region,
        rejected=rejected,
        accounts=accounts,
    )
    io.write_bytes(data, path)
    if fmt == ".csv":
        io.write_bytes(schema_for(data, layers, excel_id=excel_id, meta=meta), schema_path(path))


def schema_for(
    csv_data: bytes, layers: Layers, *, excel_id: bool = False, meta: ExportMeta | None = None
) -> bytes:
    """The Table Schema of a ranked CSV: one field per column of its header row, in order.

    With ``meta``, its ``method`` object states whether no speed test counted as need.
    """
    first = csv_data.decode("utf-8-sig").split("\r\n", 1)[0]
    header = next(csv.reader([first], delimiter=";" if excel_id or ";" in first else ","))
    method = None if meta is None else meta.method()
    return table_schema_json(header, excel_id=excel_id, sources=layers.sources, method=method)
