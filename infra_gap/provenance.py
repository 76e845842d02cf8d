"""Provenance of the input layers: parsed from a sources file, carried, and printed.

A sources file (``--sources FILE.toml``, or the same fields in the app's upload panel) has
one table per layer::

    [coverage]
    source = "Peta cakupan 4G Telkomsel, Kabupaten Nias"
    date = 2025-06-30            # or "2025-06-30", "2025-06", "2025"
    licence = "internal, for BAKTI proposals"
    operator = "Telkomsel"       # optional
    technology = "4G LTE"        # optional
    url = "https://example.org"  # optional, http(s) only

Tables: ``coverage``, ``towers``, ``speedtests``, ``msme``, ``boundaries``, ``backbone``.
Each becomes a :class:`infra_gap.layers.Source` of the loaded layer (``boundaries`` is the
``areas`` layer, ``speedtests`` the ``speed_tiles`` layer).  A field nobody gave is shown as
:data:`UNKNOWN`, never invented.  Nothing here opens a file (:func:`infra_gap.io.read_sources`
reads one with a size bound and calls :func:`parse_sources`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from infra_gap.errors import DataError
from infra_gap.layers import Layers, Source

__all__ = [
    "MAX_SOURCES_BYTES",
    "SOURCE_KEYS",
    "SOURCE_LAYERS",
    "UNKNOWN",
    "Provenance",
    "SourcesError",
    "apply_provenance",
    "evidence_lines",
    "format_date",
    "layer_label",
    "parse_sources",
    "source_fields",
]

#: Shown for every provenance field nobody gave.
UNKNOWN = "tidak diketahui / unknown"
#: Largest sources file read (a few tables of short text).
MAX_SOURCES_BYTES = 64_000
_MAX_TEXT = 500
#: Tables of a sources file -> names of the loaded layer they describe.
SOURCE_LAYERS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "coverage": ("coverage",),
        "towers": ("towers",),
        "speedtests": ("speed_tiles",),
        "msme": ("msme",),
        "boundaries": ("areas", "boundaries"),
        "backbone": ("backbone",),
    }
)
#: Keys of a table: required, then optional.
SOURCE_KEYS = ("source", "date", "licence", "operator", "technology", "url")
_REQUIRED = ("source", "date", "licence")
#: Layer labels in evidence lines, (Indonesian, English).
_LABELS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "coverage": ("Cakupan 4G", "4G coverage"),
        "operator_coverage": ("Cakupan operator", "Operator coverage"),
        "towers": ("Menara", "Towers"),
        "speed_tiles": ("Tes kecepatan", "Speed tests"),
        "msme": ("UMKM", "MSMEs"),
        "areas": ("Batas wilayah", "Boundaries"),
        "boundaries": ("Batas wilayah", "Boundaries"),
        "backbone": ("Backbone serat optik", "Fibre backbone"),
        "kab_stats": ("Statistik kabupaten", "Kabupaten statistics"),
    }
)
_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class SourcesError(DataError):
    """A sources file or form cannot be used (subclasses say why)."""

    code = "E_SOURCES"


class SourcesSyntaxError(SourcesError):
    """Not a TOML document of tables, too large, or not UTF-8."""

    code = "E_SOURCES_TOML"


class UnknownLayerError(SourcesError):
    """A table names no known layer."""

    code = "E_SOURCES_LAYER"


class SourcesKeyError(SourcesError):
    """An unknown key, a missing required key, or a value of the wrong kind."""

    code = "E_SOURCES_KEY"


class SourcesDateError(SourcesError):
    """A date that is not ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or is in the future."""

    code = "E_SOURCES_DATE"


@dataclass(frozen=True)
class Provenance:
    """What a user says about one input layer.

    Attributes
    ----------
    layer
        A table name of :data:`SOURCE_LAYERS`.
    source
        Who made it and what it is.
    date
        ISO date or month or year (``2025-06-30``, ``2025-06``, ``2025``); empty if unknown.
    licence, operator, technology, url
        Licence; operator, technology (e.g. ``4G LTE``) and an http(s) link when given.
    """

    layer: str
    source: str = ""
    date: str = ""
    licence: str = ""
    operator: str = ""
    technology: str = ""
    url: str = ""


def _date(value: object, where: str) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = value.strip()
    else:
        msg = f"{where}: `date` must be a date such as 2025-06-30, got {value!r}"
        raise SourcesDateError(msg)
    if not text:
        return ""
    m = _DATE.match(text)
    try:
        if m is None:
            raise ValueError(text)
        year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
        when = dt.date(year, month, day)
    except ValueError:
        msg = f"{where}: `date` {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY"
        raise SourcesDateError(msg) from None
    if when > dt.date.today():
        msg = f"{where}: `date` {text} is in the future"
        raise SourcesDateError(msg)
    return text


def _text(value: object, key: str, where: str) -> str:
    if not isinstance(value, str):
        msg = f"{where}: `{key}` must be text, got {type(value).__name__}"
        raise SourcesKeyError(msg)
    text = value.strip()
    if len(text) > _MAX_TEXT or _CONTROL.search(text):
        msg = f"{where}: `{key}` must be one line of at most {_MAX_TEXT} characters"
        raise SourcesKeyError(msg)
    if key == "url" and text and not re.match(r"^https?://[^\s<>\"']+$", text):
        msg = f"{where}: `url` must start with http:// or https://, got {text[:60]!r}"
        raise SourcesKeyError(msg)
    return text


def provenance_from(layer: str, values: Mapping[str, object], *, where: str) -> Provenance:
    """A checked :class:`Provenance` from one table (file) or one form (app).

    Raises
    ------
    UnknownLayerError, SourcesKeyError, SourcesDateError
        With ``where`` (file and table) in the message.
    """
    if layer not in SOURCE_LAYERS:
        msg = f"{where}: unknown layer [{layer}]; the tables are {', '.join(SOURCE_LAYERS)}"
        raise UnknownLayerError(msg)
    extra = sorted(set(values) - set(SOURCE_KEYS))
    if extra:
        msg = f"{where}: unknown key(s) {extra}; the keys are {', '.join(SOURCE_KEYS)}"
        raise SourcesKeyError(msg)
    fields = {k: _text(v, k, where) for k, v in values.items() if k != "date"}
    date = _date(values.get("date", ""), where)
    return Provenance(layer=layer, date=date, **fields)


def parse_sources(data: bytes, *, name: str) -> dict[str, Provenance]:
    """Parse a sources file's bytes: table name -> :class:`Provenance`.

    Parameters
    ----------
    data
        The file's bytes (UTF-8, at most :data:`MAX_SOURCES_BYTES`).
    name
        File name, for messages.

    Raises
    ------
    SourcesError
        A subclass with a stable code: ``E_SOURCES_TOML`` (size, encoding, syntax),
        ``E_SOURCES_LAYER`` (unknown table), ``E_SOURCES_KEY`` (unknown, missing or
        badly typed key, bad URL), ``E_SOURCES_DATE`` (bad or future date).
    """
    if len(data) > MAX_SOURCES_BYTES:
        msg = f"{name}: {len(data):,} bytes; a sources file is at most {MAX_SOURCES_BYTES:,}"
        raise SourcesSyntaxError(msg)
    try:
        doc: dict[str, Any] = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        msg = f"{name}: not UTF-8 text"
        raise SourcesSyntaxError(msg) from None
    except tomllib.TOMLDecodeError as err:
        msg = f"{name}: not valid TOML ({err})"
        raise SourcesSyntaxError(msg) from None
    out: dict[str, Provenance] = {}
    for layer, table in doc.items():
        where = f"{name} [{layer}]"
        if not isinstance(table, dict):
            if layer not in SOURCE_LAYERS:
                msg = f"{where}: unknown layer; the tables are {', '.join(SOURCE_LAYERS)}"
                raise UnknownLayerError(msg)
            msg = f"{where}: must be a table ([{layer}] with source, date, licence)"
            raise SourcesKeyError(msg)
        missing = [k for k in _REQUIRED if k not in table]
        out[layer] = provenance_from(layer, table, where=where)
        if missing:
            msg = f'{where}: missing key(s) {missing} (write "" when unknown)'
            raise SourcesKeyError(msg)
    return out


def _or_unknown(value: str) -> str:
    return value if value and value not in {"as supplied", "-"} else UNKNOWN


def apply_provenance(
    layers: Layers, provenance: Mapping[str, Provenance]
) -> tuple[Layers, list[str]]:
    """``layers`` with each given layer's :class:`Source` replaced by the user's provenance.

    Returns the new layers and the tables that describe no loaded layer (to warn about).
    """
    sources = list(layers.sources)
    unused = []
    for key, prov in provenance.items():
        hits = [i for i, s in enumerate(sources) if s.layer in SOURCE_LAYERS[key]]
        if not hits:
            unused.append(key)
        for i in hits:
            sources[i] = replace(
                sources[i],
                origin=prov.source or UNKNOWN,
                licence=prov.licence or UNKNOWN,
                vintage=prov.date or UNKNOWN,
                operator=prov.operator,
                technology=prov.technology,
                url=prov.url,
            )
    return replace(layers, sources=tuple(sources)), unused


def format_date(vintage: str, lang: str) -> str:
    """``2025-06-30`` as ``30 Juni 2025`` (``30 June 2025``); other text as it is."""
    m = _DATE.match(vintage.strip())
    if m is None:
        return _or_unknown(vintage)
    months = _MONTHS["id" if lang == "id" else "en"]
    if m[3]:
        return f"{int(m[3])} {months[int(m[2]) - 1]} {m[1]}"
    if m[2]:
        return f"{months[int(m[2]) - 1]} {m[1]}"
    return m[1]


def layer_label(layer: str, lang: str) -> str:
    """Human name of a layer in ``lang`` (the layer key when it has none)."""
    pair = _LABELS.get(layer)
    return (pair[0] if lang == "id" else pair[1]) if pair else layer


def source_fields(s: Source, lang: str) -> dict[str, str]:
    """Every provenance field of a source as display text, unknown ones as :data:`UNKNOWN`."""
    yes_no = ("ya", "tidak") if lang == "id" else ("yes", "no")
    return {
        "layer": s.layer,
        "source": _or_unknown(s.origin),
        "date": format_date(s.vintage, lang),
        "licence": _or_unknown(s.licence),
        "operator": s.operator or "-",
        "technology": s.technology or "-",
        "url": s.url or "-",
        "synthetic": yes_no[0] if s.synthetic else yes_no[1],
    }


def evidence_lines(sources: Iterable[Source], lang: str) -> list[str]:
    """One line per layer: ``"Cakupan 4G: Peta cakupan ..., 30 Juni 2025 (lisensi: ...)"``."""
    lic = "lisensi" if lang == "id" else "licence"
    out = []
    for s in sources:
        f = source_fields(s, lang)
        extra = ", ".join(v for v in (s.operator, s.technology) if v)
        line = f"{layer_label(s.layer, lang)}: {f['source']}"
        line += f" ({extra})" if extra else ""
        out.append(f"{line}, {f['date']}; {lic}: {f['licence']}")
    return out
