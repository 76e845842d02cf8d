"""QGIS styles (QML) and descriptions of the GeoPackage's layers.

The ranked layer is styled as the app's map: five equal score classes on ``score`` with the
same YlOrRd colours (:mod:`infra_gap.maps.folium_maps`)
and a legend label per class; areas without a
score are grey.  Other layers get one plain symbol each.  Everything here is text: the XML
is built with :mod:`xml.etree.ElementTree`, so labels and names are escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from types import MappingProxyType

from infra_gap.maps.folium_maps import _CLASS_EDGES, _COLORS, _NODATA_COLOR
from infra_gap.text.exports import LAYER_TEXT
from infra_gap.text.i18n import TEXT, t

__all__ = ["LAYER_TEXT", "describe_layer", "layer_qml"]

#: (symbol type, QGIS symbol layer class, properties) of the plain layers.
_PLAIN: Mapping[str, tuple[str, str, dict[str, str]]] = MappingProxyType(
    {
        "msme_uncovered": ("marker", "SimpleMarker",
                           {"name": "circle", "color": "215,25,28,255", "size": "1.6",
                            "outline_color": "255,255,255,255", "outline_width": "0.1"}),
        "towers": ("marker", "SimpleMarker",
                   {"name": "triangle", "color": "31,78,156,255", "size": "2.6",
                    "outline_color": "255,255,255,255", "outline_width": "0.2"}),
        "speed_tiles": ("fill", "SimpleFill",
                        {"color": "128,128,128,40", "outline_color": "100,100,100,120",
                         "outline_width": "0.1", "style": "solid"}),
        "backbone_lines": ("line", "SimpleLine",
                           {"line_color": "84,39,143,255", "line_width": "0.8"}),
        "backbone_pops": ("marker", "SimpleMarker",
                          {"name": "square", "color": "84,39,143,255", "size": "2.4"}),
        "proposed_sites": ("marker", "SimpleMarker",
                           {"name": "star", "color": "0,128,0,255", "size": "4",
                            "outline_color": "255,255,255,255"}),
        "proposed_sites_reach": ("fill", "SimpleFill",
                                 {"color": "0,128,0,30", "outline_color": "0,128,0,255",
                                  "outline_width": "0.4", "style": "solid"}),
    }
)  # fmt: skip


def describe_layer(name: str, *, level: str, synthetic: bool, lang: str) -> str:
    """The description of a layer in ``lang``; empty for a layer not known here."""
    key = "ranked" if name.startswith("ranked_") else name
    text = t(f"gpkg.{key}", lang).format(level=level) if f"gpkg.{key}" in TEXT else ""
    return text + (t("gpkg.synthetic_note", lang) if synthetic and text else "")


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return ",".join(str(int(h[i : i + 2], 16)) for i in (0, 2, 4)) + f",{alpha}"


def _symbol(parent: ET.Element, name: str, kind: str, cls: str, props: dict[str, str]) -> None:
    sym = ET.SubElement(
        parent,
        "symbol",
        {"type": kind, "name": name, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layer = ET.SubElement(sym, "layer", {"class": cls, "enabled": "1", "pass": "0", "locked": "0"})
    opts = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(opts, "Option", {"type": "QString", "name": key, "value": value})


def _fill(colour: str) -> dict[str, str]:
    return {
        "color": _rgba(colour),
        "outline_color": "102,102,102,255",
        "outline_width": "0.2",
        "style": "solid",
    }


def _num(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "id" else text


def layer_qml(name: str, *, lang: str) -> str | None:
    """The QML style of a layer, or None for a layer without one (attribute tables)."""
    root = ET.Element("qgis", {"version": "3.28.0", "styleCategories": "Symbology"})
    if name.startswith("ranked_"):
        renderer = ET.SubElement(
            root,
            "renderer-v2",
            {"type": "graduatedSymbol", "attr": "score",
             "graduatedMethod": "GraduatedColor", "symbollevels": "0", "forceraster": "0",
             "enableorderby": "0"},
        )  # fmt: skip
        ranges = ET.SubElement(renderer, "ranges")
        symbols = ET.SubElement(renderer, "symbols")
        word = "Skor" if lang == "id" else "Score"
        for i, colour in enumerate(_COLORS):
            low, high = _CLASS_EDGES[i], _CLASS_EDGES[i + 1]
            label = f"{word} {_num(low, lang)} \u2013 {_num(high, lang)}"
            ET.SubElement(
                ranges,
                "range",
                {"lower": f"{low:g}", "upper": f"{high:g}", "symbol": str(i), "label": label,
                 "render": "true"},
            )  # fmt: skip
            _symbol(symbols, str(i), "fill", "SimpleFill", _fill(colour))
        # The source symbol: the app's no-data grey (QGIS uses it for classes added later).
        source = ET.SubElement(renderer, "source-symbol")
        _symbol(source, "0", "fill", "SimpleFill", _fill(_NODATA_COLOR))
        ET.SubElement(renderer, "classificationMethod", {"id": "EqualInterval"})
    elif name in _PLAIN:
        kind, cls, props = _PLAIN[name]
        renderer = ET.SubElement(
            root,
            "renderer-v2",
            {"type": "singleSymbol", "symbollevels": "0", "forceraster": "0",
             "enableorderby": "0"},
        )  # fmt: skip
        symbols = ET.SubElement(renderer, "symbols")
        _symbol(symbols, "0", kind, cls, props)
    else:
        return None
    body = ET.tostring(root, encoding="unicode")
    return f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{body}\n"
