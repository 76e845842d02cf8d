"""JSON text safe to place inside a folium element's ``<script>``."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["safe_json"]

_JINJA_OPEN = re.compile(r"\{(?=[{%#])")


def safe_json(obj: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` of a folium element.

    ``<``, ``>`` and ``&`` are escaped, so no value can close the script, and so is a
    ``{`` that opens a Jinja tag (``{{``, ``{%``, ``{#``): a second guard, should the text
    ever be rendered as a template again (branca does that to every element's output;
    :mod:`infra_gap.maps.folium_text` stops it for our maps).
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    # In compact JSON a structural "{" is followed by '"' or "}", so these are in strings.
    text = _JINJA_OPEN.sub(r"\\u007b", text)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
