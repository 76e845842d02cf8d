"""UI text of the map, its printout and the display of numbers (issue #19, items 3, 5-7).

Merged into ``TEXT`` by :mod:`infra_gap.i18n`; Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MAP_TEXT"]

# fmt: off
MAP_TEXT: dict[str, Mapping[str, str]] = {
    "layer_labels": {"id": "Nama wilayah", "en": "Place names"},
    # Own data: the level of the uploaded boundaries, shown for confirmation.
    "up_level_found": {
        "id": "Batas wilayah dibaca sebagai tingkat **{level}** ({how}): {n} wilayah, mis. "
              "{example}. Bila keliru, pilih tingkatnya di atas lalu muat ulang.",
        "en": "The boundaries are read at **{level}** level ({how}): {n} areas, e.g. {example}. "
              "If that is wrong, choose the level above and load again.",
    },
    "up_level_auto": {"id": "dibaca dari kode wilayah", "en": "read from the area codes"},
    "up_level_given": {"id": "sesuai pilihan Anda", "en": "as you chose"},
}
# fmt: on
