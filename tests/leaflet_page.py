"""The score layer's own script run in node against a stub of Leaflet: what a browser draws.

Tests read the outlines, colours and tooltips from the page's JavaScript itself, never from a
Python copy of it. Node is a Debian package installed by ``.ci/debian-deps``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from typing import Any

import pytest

STUB_LEAFLET = """
var captured = {styles: {}, tips: {}};
var window = {};  // the page's global object
var L = {geoJson: function (collection, options) {
    captured.collection = collection;
    collection.features.forEach(function (f) {
        captured.styles[f.id] = options.style(f);
        options.onEachFeature(f, {on: function () {}, bindTooltip: function (html) {
            captured.tips[f.id] = html;
        }});
    });
    return {eachLayer: function () {}, addTo: function () {}};
}};
"""


def run_score_layer(page: str) -> dict[str, Any]:
    """``{"collection": GeoJSON, "styles": {code: style}, "tips": {code: html}}`` as the
    page's score-layer script makes them for ``L.geoJson``."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing in CI: .ci/debian-deps should have installed nodejs")
        pytest.skip("node is not installed (Debian nodejs, see .ci/debian-deps)")
    name = re.search(r"var (score_layer_\w+)_data = ", page)
    assert name is not None, "no score layer in the page"
    script = page[name.start() : page.index(f"{name.group(1)}.addTo(")]
    run = subprocess.run(
        [node, "-e", STUB_LEAFLET + script + "console.log(JSON.stringify(captured));"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(run.stdout)  # type: ignore[no-any-return]
