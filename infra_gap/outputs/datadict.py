"""The ranked CSV's contract: its columns, their parent-area names, and its data dictionary.

The CSV headers are plain stable snake_case names (``rank,kode,nama,score,msme_total,...``):
scripts, QGIS joins and ``df.msme_total`` depend on them.  Units, definitions and sources
live here and go into a sidecar Frictionless Table Schema (``NAME.schema.json``) written
next to each CSV and into the XLSX *Indikator* sheet; ``docs/data-dictionary.md`` documents
the same contract for people.

Why Table Schema rather than CSVW: one CSV needs one descriptor, and a Table Schema field
says everything the two CSV variants differ in (``decimalChar`` for the Excel (Indonesia)
variant) next to the type, unit and description, in a plain JSON object that
``frictionless validate`` checks; CSVW's strengths (several linked tables, RDF output,
URI templates) are not needed here.

Nothing here opens a file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import pandas as pd

from infra_gap.layers import Layers, Source
from infra_gap.registry import INDICATORS

__all__ = [
    "AREA_NAME_COLUMNS",
    "CODE_COLUMNS",
    "COLUMN_DEFS",
    "column_definition",
    "table_schema",
    "table_schema_json",
    "with_area_names",
]

#: Units of the registry whose indicators are whole counts.
_INT_UNITS = frozenset({"UMKM", "tes", "menara", "operator", "desa", "0/1"})
#: Parent-area columns written after every other column (empty when unknown).
AREA_NAME_COLUMNS = ("kode_bps", "nama_kab", "nama_kec")
#: Columns holding codes: text, never numbers (``12.10`` is not 12.1).
CODE_COLUMNS = ("kode", "kode_bps")
#: Levels whose rows have a parent kabupaten / kecamatan name.
_PARENT_LEVELS = {"nama_kab": ("kecamatan", "desa"), "nama_kec": ("desa",)}
#: Code length (with dots) of each parent level.
_PARENT_CODE = {"nama_kab": ("kabupaten", 5), "nama_kec": ("kecamatan", 8)}
#: Column names tried (case-insensitive) in the user's own boundary layer, in order.
_CANDIDATES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "kode_bps": ("kode_bps", "kdbps", "kd_bps", "bps_code", "kode_bps_kec", "kode_bps_kab"),
        "nama_kab": ("nama_kab", "wadmkk", "nmkab", "nama_kabupaten", "kabupaten", "kab_kota"),
        "nama_kec": ("nama_kec", "wadmkc", "nmkec", "nama_kecamatan", "kecamatan"),
    }
)

#: type, unit, definition (id), definition (en) of every column that is not an indicator.
COLUMN_DEFS: Mapping[str, tuple[str, str, str, str]] = MappingProxyType(
    {
        "rank": ("integer", "-", "Peringkat (1 = paling butuh).", "Rank (1 = most need)."),
        "kode": (
            "string",
            "-",
            "Kode wilayah Kemendagri (teks, mis. 12.01.01).",
            "Kemendagri area code (text, e.g. 12.01.01).",
        ),
        "nama": ("string", "-", "Nama wilayah.", "Area name."),
        "score": (
            "number",
            "0-1",
            "Skor = jumlah (bobot x nilai ternormalisasi).",
            "Score = sum of (weight x normalised value).",
        ),
        "tier": ("integer", "1-3", "Prioritas 1, 2 atau 3.", "Priority tier 1, 2 or 3."),
        "rank_low": (
            "integer",
            "-",
            "Peringkat terbaik (persentil 5 undian: bobot, normalisasi, indikator, galat data).",
            "Best rank (5th percentile of draws: weights, normalisation, indicators, data error).",
        ),
        "rank_high": (
            "integer",
            "-",
            "Peringkat terburuk (persentil 95 undian ketidakpastian).",
            "Worst rank (95th percentile of the uncertainty draws).",
        ),
        "top_n_share": (
            "number",
            "0-1",
            "Porsi undian ketidakpastian dengan wilayah ini di N besar.",
            "Share of the uncertainty draws with the area in the top N.",
        ),
        "reason": ("string", "-", "Alasan peringkat, satu baris.", "Why it ranks there."),
        "need_class": (
            "string",
            "%",
            "Kelas kebutuhan mutlak: % UMKM tanpa 4G (100, 75-99, 50-74, 25-49, 1-24, 0; "
            "na = tanpa UMKM).",
            "Absolute need class: % of MSMEs without 4G (100, 75-99, 50-74, 25-49, 1-24, 0; "
            "na = no MSME).",
        ),
        "eligible": (
            "boolean",
            "-",
            "Memenuhi syarat BAKTI: daerah 3T (Perpres 63/2020) atau lokasi prioritas, dengan "
            "UMKM tanpa 4G.",
            "BAKTI-eligible: a 3T area (Perpres 63/2020) or a priority location, with MSMEs "
            "without 4G.",
        ),
        "eligible_basis": (
            "string",
            "-",
            "Dasar kelayakan BAKTI, dalam kata-kata (daftar, dasar hukum, periode).",
            "Why the area is or is not BAKTI-eligible (list, legal basis, period).",
        ),
        "speed_low_evidence": (
            "boolean",
            "-",
            "Kurang dari 50 tes kecepatan di wilayah ini.",
            "Fewer than 50 speed tests in the area.",
        ),
        "operator_class": (
            "string",
            "-",
            "Kelas operator: none, single, several.",
            "Operator class: none, single, several.",
        ),
        "evidence_conflict": (
            "boolean",
            "-",
            "Peta cakupan dan tes kecepatan bertentangan.",
            "Coverage map and speed tests disagree.",
        ),
        "area_km2": ("number", "km²", "Luas poligon wilayah.", "Area of the polygon."),
        "speed_evidence": (
            "string",
            "-",
            "unknown bila tidak ada tes kecepatan di wilayah ini, selain itu known.",
            "unknown when no speed test lies in the area, else known.",
        ),
        "kode_bps": (
            "string",
            "-",
            "Kode BPS wilayah (teks); kosong bila tidak diketahui.",
            "BPS area code (text); empty when unknown.",
        ),
        "nama_kab": (
            "string",
            "-",
            "Nama kabupaten/kota induk; kosong bila tidak diketahui.",
            "Parent kabupaten/kota name; empty when unknown.",
        ),
        "nama_kec": (
            "string",
            "-",
            "Nama kecamatan induk (tingkat desa); kosong bila tidak diketahui.",
            "Parent kecamatan name (desa level); empty when unknown.",
        ),
        "data_status": (
            "string",
            "-",
            "Data sintetis (demo) atau data pengguna.",
            "Synthetic demo or user data.",
        ),
    }
)


def column_definition(column: str) -> tuple[str, str, str, str, str]:
    """Type, unit, definition (id), definition (en) and source of an export column.

    Units are written as in the CSV: shares in [0, 1] read ``0-1``.
    """
    if column in INDICATORS:
        ind = INDICATORS[column]
        unit = "0-1" if ind.unit == "%" else ind.unit
        kind = (
            "integer"
            if ind.unit in {"UMKM", "tes", "menara", "operator", "desa", "0/1"}
            else "number"
        )
        return kind, unit, ind.definition_id, ind.definition_en, ind.source
    if column.startswith("contrib_"):
        name = column.removeprefix("contrib_")
        return (
            "number",
            "0-1",
            f"Sumbangan {name} pada skor (bobot x nilai ternormalisasi).",
            f"Contribution of {name} to the score (weight x normalised value).",
            "infra-gap",
        )
    kind, unit, def_id, def_en = COLUMN_DEFS.get(column, ("string", "-", "", ""))
    return kind, unit, def_id, def_en, "infra-gap" if column in COLUMN_DEFS else ""


def _find(frame: pd.DataFrame, column: str) -> str | None:
    lower = {str(c).lower(): str(c) for c in frame.columns}
    return next((lower[c] for c in _CANDIDATES[column] if c in lower), None)


def _text(values: pd.Series) -> pd.Series:
    out = values.astype("string").fillna("").str.strip()
    return out.where(out.str.lower() != "nan", "")


def with_area_names(ranked: pd.DataFrame, layers: Layers, level: str) -> pd.DataFrame:
    """``ranked`` with ``kode_bps``, ``nama_kab`` and (desa) ``nama_kec`` columns.

    Each value comes from the boundary layer of ``level`` (a column such as ``kode_bps``,
    ``WADMKK`` or ``nama_kec``), else from the parent level's layer by code prefix, else
    (``kode_bps`` of a kabupaten) from the kabupaten table; unknown values stay empty,
    never guessed.  Columns already in ``ranked`` are kept as they are.
    """
    out = ranked.copy()
    areas = layers.areas.get(level)
    by_code = areas.set_index("kode") if areas is not None else None
    codes = out["kode"].astype("str")
    for col in AREA_NAME_COLUMNS:
        if col in out.columns or (col in _PARENT_LEVELS and level not in _PARENT_LEVELS[col]):
            continue
        values = pd.Series("", index=out.index, dtype="string")
        found = _find(areas, col) if areas is not None else None
        if by_code is not None and found is not None:
            values = _text(by_code[found].reindex(codes).set_axis(out.index))
        if col in _PARENT_CODE and (values == "").any():
            parent_level, n = _PARENT_CODE[col]
            parent = layers.areas.get(parent_level)
            if parent is not None:
                names = _text(parent.set_index("kode")["nama"].reindex(codes.str.slice(0, n)))
                values = values.where(values != "", names.set_axis(out.index))
        stats = layers.kab_stats
        if col == "kode_bps" and level == "kabupaten" and stats is not None and "kode_bps" in stats:
            bps = _text(stats.set_index("kode")["kode_bps"].reindex(codes)).set_axis(out.index)
            values = values.where(values != "", bps)
        out[col] = values.astype("object")
    return out


def _source_entry(s: Source) -> dict[str, str]:
    entry = {"layer": s.layer, "title": s.origin, "licence": s.licence, "date": s.vintage}
    for key in ("operator", "technology", "url"):
        value = getattr(s, key, "")
        if value:
            entry[key] = value
    entry["synthetic"] = "yes" if s.synthetic else "no"
    return entry


def table_schema(
    columns: Sequence[str],
    *,
    excel_id: bool = False,
    sources: Sequence[Source] = (),
    method: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A Frictionless Table Schema (v1) of a ranked CSV with these header ``columns``.

    Every field has its ``type``, ``description`` (English, then Indonesian), ``unit`` and
    ``source`` (extra properties, allowed by the spec); the Excel (Indonesia) variant's
    number fields carry ``decimalChar: ","``.  ``sources`` (provenance of the input
    layers) go in a top-level ``sources`` list, in the shape of a Data Resource's;
    ``method`` (the scoring choices a reader needs, e.g. ``unknownAsNeed``) in a top-level
    ``method`` object.
    """
    fields = []
    for col in columns:
        kind, unit, def_id, def_en, source = column_definition(col)
        field: dict[str, Any] = {"name": col, "type": kind}
        if def_en:
            field["description"] = f"{def_en} / {def_id}"
        if unit != "-":
            field["unit"] = unit
        if source:
            field["source"] = source
        if excel_id and kind == "number":
            field["decimalChar"] = ","
        if col in CODE_COLUMNS:
            field["format"] = "default"
        fields.append(field)
    schema: dict[str, Any] = {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["kode"] if "kode" in columns else [],
        "dialect": {"delimiter": ";" if excel_id else ",", "lineTerminator": "\r\n"},
        "sources": [_source_entry(s) for s in sources],
    }
    if method:
        schema["method"] = dict(method)
    return schema


def table_schema_json(
    columns: Sequence[str],
    *,
    excel_id: bool = False,
    sources: Sequence[Source] = (),
    method: Mapping[str, Any] | None = None,
) -> bytes:
    """:func:`table_schema` as UTF-8 JSON bytes (indented, stable key order)."""
    doc = table_schema(columns, excel_id=excel_id, sources=sources, method=method)
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
