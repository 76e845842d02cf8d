"""Place names on the map, drawn from the boundaries: no tiles, no network.

Offline the map has no basemap, so without these labels a planner sees coloured shapes and
no names. Each tier of labels (kabupaten names, kecamatan names) shows in its own zoom
range: kabupaten names when the whole province is in view, kecamatan names from
:data:`KECAMATAN_MIN_ZOOM`, when a kabupaten fills the map. The labels are plain text
markers (``L.divIcon``), not interactive, so clicks and tooltips reach the areas below;
a label that would overlap a larger area's label is hidden until the zoom makes room.
All names are HTML-escaped and the JSON is safe inside a script.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from folium.template import Template

from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.maps.folium_text import TextMacro
from infra_gap.maps.safe_json import safe_json

__all__ = ["KECAMATAN_MIN_ZOOM", "LabelTier", "add_place_labels", "label_points"]

#: Zoom from which kecamatan names replace kabupaten names. At zoom 9 a kecamatan of North
#: Sumatra (median about 160 km2) is some 40 px across; the province fills a 480 px map at 7.
KECAMATAN_MIN_ZOOM = 9.0


@dataclass(frozen=True)
class LabelTier:
    """Labels shown while the map's zoom is in ``[min_zoom, max_zoom)``.

    ``points`` has ``nama``, ``lat`` and ``lon`` (EPSG:4326), from :func:`label_points`.
    """

    points: pd.DataFrame
    min_zoom: float
    max_zoom: float
    css_class: str = "infra-gap-label"


def label_points(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """A point inside each area (``representative_point``) with its code and name.

    Parameters
    ----------
    areas
        ``kode``, ``nama`` and polygons in any CRS.

    Returns
    -------
    points
        ``kode``, ``nama``, ``lat``, ``lon`` in degrees, largest area first (where labels
        would overlap, the larger area's name shows); areas without geometry left out.
    """
    present = areas[~(areas.geometry.is_empty | areas.geometry.isna())]
    size = present.geometry.to_crs(WORK_CRS).area if present.crs is not None else present.area
    present = present.iloc[np.argsort(-size.to_numpy(), kind="stable")]
    points = present.geometry.representative_point().to_crs(GEO_CRS)
    return pd.DataFrame(
        {
            "kode": present["kode"].astype("str").to_numpy(),
            "nama": present["nama"].astype("str").to_numpy(),
            "lat": points.y.round(5).to_numpy(),
            "lon": points.x.round(5).to_numpy(),
        }
    )


class _PlaceLabels(folium.map.Layer, TextMacro):
    """Label tiers that follow the zoom, as one layer of the layer control."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .infra-gap-label { font: 600 11px/1.1 sans-serif; color: #222; white-space: nowrap;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; pointer-events: none; }
          .infra-gap-label.kab { font-size: 12px; text-transform: uppercase; color: #333; }
          .infra-gap-label span { position: relative; left: -50%; top: -0.6em; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (tiers, map) {
            var parent = L.layerGroup();
            var groups = tiers.map(function (tier) {
                var group = L.layerGroup();
                tier.points.forEach(function (p) {
                    L.marker([p[0], p[1]], {interactive: false, keyboard: false,
                        icon: L.divIcon({className: tier.css, html: "<span>" + p[2] + "</span>",
                                         iconSize: null})}).addTo(group);
                });
                return group;
            });
            var follow = function () {
                var z = map.getZoom();
                tiers.forEach(function (tier, i) {
                    var on = z >= tier.min && z < tier.max;
                    if (on && !parent.hasLayer(groups[i])) { parent.addLayer(groups[i]); }
                    if (!on && parent.hasLayer(groups[i])) { parent.removeLayer(groups[i]); }
                });
            };
            var declutter = function () {  // a label that would overlap an earlier one hides
                var placed = [];
                parent.eachLayer(function (group) {
                    group.eachLayer(function (marker) {
                        var el = marker.getElement();
                        if (!el || !el.firstChild) { return; }
                        el.style.visibility = "";
                        var r = el.firstChild.getBoundingClientRect();
                        var hit = placed.some(function (p) {
                            return r.left < p.right && r.right > p.left && r.top < p.bottom
                                && r.bottom > p.top;
                        });
                        if (hit) { el.style.visibility = "hidden"; } else { placed.push(r); }
                    });
                });
            };
            map.on("zoomend", function () { follow(); declutter(); });
            parent.on("add", function () { setTimeout(declutter, 0); });
            map.whenReady(function () { setTimeout(declutter, 50); });
            follow();
            return parent;
        })({{ this.tiers_js }}, {{ this._parent.get_name() }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str, tiers_js: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "PlaceLabels"
        self.tiers_js = tiers_js


def add_place_labels(m: folium.Map, tiers: Sequence[LabelTier], *, name: str) -> int:
    """Add place-name labels to `m`, each tier in its zoom range; the number of labels.

    Parameters
    ----------
    m
        The map.
    tiers
        Label tiers, e.g. kabupaten names below :data:`KECAMATAN_MIN_ZOOM` and kecamatan
        names from it.
    name
        The layer's name in the layer control (escaped here).
    """
    payload = [
        {
            "min": float(tier.min_zoom),
            "max": float(tier.max_zoom),
            "css": tier.css_class,
            "points": [
                [float(lat), float(lon), html.escape(str(nama))]
                for nama, lat, lon in zip(
                    tier.points["nama"], tier.points["lat"], tier.points["lon"], strict=True
                )
            ],
        }
        for tier in tiers
    ]
    _PlaceLabels(name=html.escape(name), tiers_js=safe_json(payload)).add_to(m)
    return sum(len(tier.points) for tier in tiers)
