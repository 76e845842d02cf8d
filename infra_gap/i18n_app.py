"""UI text of the app's planner features (issue #19): workspaces, links, downloads, the map.

Kept beside :mod:`infra_gap.i18n` (which merges it into ``TEXT``) so that catalogue stays
short enough to read; the same rules hold: Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["APP_TEXT"]

# fmt: off
APP_TEXT: dict[str, Mapping[str, str]] = {
    "err_E_WORKSPACE": {"id": "Ruang kerja tidak dapat dipakai",
                        "en": "The workspace cannot be used"},
    "err_E_CONFLICT": {"id": "Sudah diubah oleh penyunting lain",
                       "en": "Changed by another editor"},
}
# fmt: on
