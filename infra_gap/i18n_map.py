"""UI text of the map, its printout and the display of numbers (issue #19, items 3, 5-7).

Merged into ``TEXT`` by :mod:`infra_gap.i18n`; Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MAP_TEXT"]

# fmt: off
MAP_TEXT: dict[str, Mapping[str, str]] = {
    "layer_labels": {"id": "Nama wilayah", "en": "Place names"},
}
# fmt: on
