"""The GeoJSON guard that reads one feature at a time refuses what the whole guard refuses.

An MSME point layer in GeoJSON is checked by :mod:`infra_gap.io.geojson_stream` (issue 22,
item 2) instead of :func:`infra_gap.io.geojson_guard.guard_geojson`: the same members that
could make GDAL fetch a URL or read a file are refused wherever they are (catalogue B5), a
named CRS is read, and the text is read in blocks that may cut a feature or a number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra_gap import io
from infra_gap.config import Limits
from infra_gap.errors import InputFileError, SecurityError
from infra_gap.io import geojson_stream
from infra_gap.io.geojson_stream import scan_feature_collection


def _points(n: int = 3, **members: tuple[str, object]) -> bytes:
    features = [
        {
            "type": "Feature",
            "properties": {"NAMA_USAHA": f"Usaha {i}", "ONLINE": i % 2 == 0},
            "geometry": {"type": "Point", "coordinates": [98.6 + i / 1000, 3.5]},
        }
        for i in range(n)
    ]
    doc = {"type": "FeatureCollection", "features": features}
    for where, (key, value) in members.items():
        target = {"top": doc, "feature": features[-1], "geometry": features[-1]["geometry"]}
        target[where][key] = value
    return json.dumps(doc).encode()


@pytest.mark.parametrize(
    "members",
    [
        {"top": ("crs", {"type": "link", "properties": {"href": "http://127.0.0.1:9/x"}})},
        {"feature": ("crs", {"type": "url", "properties": {"url": "http://127.0.0.1:9/x"}})},
        {"geometry": ("crs", {"type": "link", "properties": {"href": "/etc/passwd"}})},
        {"top": ("crs", {"type": "name", "properties": {"name": "/etc/passwd"}})},
        {"top": ("coordRefSys", {"type": "Reference", "href": "http://127.0.0.1:9/x"})},
        {"feature": ("$ref", "http://127.0.0.1:9/x.json")},
    ],
    ids=["link", "feature-url", "geometry-file", "name-file", "jsonfg", "ref"],
)
def test_members_that_point_elsewhere_are_refused_in_any_feature(members, monkeypatch):
    monkeypatch.setattr(geojson_stream, "BLOCK_BYTES", 64)  # the member cut across blocks
    with pytest.raises(SecurityError, match=r"umkm\.geojson: the '") as err:
        io.read_msme_points(_points(**members), name="umkm.geojson")
    assert err.value.code == "E_SECURITY"


def test_a_named_crs_is_read_and_blocks_cut_features_and_numbers(monkeypatch, tmp_path):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    data = _points(40, top=("crs", crs))
    path = tmp_path / "umkm.geojson"
    path.write_bytes(data)
    whole = io.read_msme_points(path)[0]
    monkeypatch.setattr(geojson_stream, "BLOCK_BYTES", 7)
    assert scan_feature_collection(path, name="umkm.geojson", limits=Limits()) == (40, 2)
    cut = io.read_msme_points(path)[0]
    assert cut["lon"].tolist() == whole["lon"].tolist()
    assert cut["lon"].round(6).tolist() == [round(98.6 + i / 1000, 6) for i in range(40)]
    assert cut["online"].tolist() == [i % 2 == 0 for i in range(40)]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (b'{"type": "FeatureCollection", "features": [{"type": "Feature"},', "is it truncated"),
        (b'{"type": "FeatureCollection", "features": [1 2]}', "after feature 1"),
        (b'{"type": "FeatureCollection" "features": []}', "after the member 'type'"),
        (b'[{"type": "Feature"}]', "where a GeoJSON object starts"),
        (b'{"features": []} []', "text after the end"),
        (b"", "the end of the file"),
    ],
    ids=["truncated", "no-comma", "no-comma-top", "array", "trailing", "empty"],
)
def test_broken_text_is_an_input_error_naming_the_place(text, said):
    with pytest.raises(InputFileError, match=said) as err:
        scan_feature_collection(text, name="umkm.geojson", limits=Limits())
    assert err.value.code == "E_INPUT_FILE"


def test_an_empty_collection_has_no_features(tmp_path):
    path = Path(tmp_path / "umkm.geojson")
    path.write_bytes(b'\xef\xbb\xbf{"type": "FeatureCollection", "features": [ ]}')
    assert scan_feature_collection(path, name="umkm.geojson", limits=Limits()) == (0, 0)
