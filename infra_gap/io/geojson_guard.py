"""The guard of a GeoJSON before GDAL reads it (catalogue B5), and its size.

Python's ``json`` parses the file (its size is bounded by the upload limits) with its arrays
of numbers emptied first, so GDAL never sees a member that could make it fetch a URL or
read a file, and the features and columns are counted without a GDAL pass.
"""

from __future__ import annotations

import json
import re

from infra_gap.errors import InputFileError, SecurityError

__all__ = ["guard_geojson", "unsafe_member"]

#: CRS names GDAL resolves without a file or the network (EPSG:4326, OGC:CRS84,
#: urn:ogc:def:crs:EPSG::32749, http://www.opengis.net/def/crs/EPSG/0/4326).
_SAFE_CRS_NAME = re.compile(
    r"(?:urn:ogc:def:crs:|https?://(?:www\.)?opengis\.net/def/crs/)[A-Za-z0-9:._/-]*"
    r"|[A-Za-z][A-Za-z0-9_]*:{1,2}[A-Za-z0-9._-]+|CRS84",
    re.IGNORECASE,
)
#: Members holding only numbers: not walked (they are most of a file).
_COORDINATE_MEMBERS = frozenset({"coordinates", "arcs", "bbox", "rings", "paths"})
#: A coordinates/bbox member of numbers only; no member can hide in it (it has no quote).
_NUMBERS = re.compile(rb'"(?:coordinates|bbox)"\s*:\s*\[[-+0-9.eE,\s\[\]]*\]')


def _without_numbers(data: bytes) -> bytes:
    """Each coordinates/bbox array of numbers emptied (unless its brackets do not balance)."""

    def empty(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        if text.count(b"[") != text.count(b"]"):
            return text
        return text[: text.index(b":") + 1] + b"[]"

    return _NUMBERS.sub(empty, data)


def _collection_size(doc: object) -> tuple[int, int] | None:
    """Features and property names of a FeatureCollection (None: another shape)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        return None
    features = doc["features"]
    if not all(isinstance(f, dict) for f in features):
        return None
    fields: set[str] = set()
    for f in features:
        props = f.get("properties")
        if isinstance(props, dict):
            fields.update(props)
    return len(features), len(fields) + any("id" in f for f in features)


def _safe_crs_name(value: object) -> bool:
    return isinstance(value, str) and _SAFE_CRS_NAME.fullmatch(value.strip()) is not None


def unsafe_member(key: str, value: object) -> bool:
    """Whether a JSON member could make GDAL read a URL or a file."""
    if key == "crs":
        # GeoJSON 2008: only a named CRS; "link"/"url" types are fetched by GDAL (SSRF).
        if value is None:
            return False
        if not isinstance(value, dict) or str(value.get("type", "")).lower() != "name":
            return True
        props = value.get("properties")
        return not isinstance(props, dict) or not _safe_crs_name(props.get("name"))
    if key == "coordRefSys":
        # JSON-FG: a CRS URI, a list of them, or an object that may hold an "href".
        items = value if isinstance(value, list) else [value]
        return not all(_safe_crs_name(item) for item in items)
    if key == "$ref":
        return not (isinstance(value, str) and value.startswith("#"))
    return False


def guard_geojson(data: bytes, *, name: str) -> tuple[int, int] | None:
    """Refuse a GeoJSON whose members could make GDAL fetch a URL or read a file.

    The upload is parsed with Python's ``json`` first (its size is bounded by the upload
    limits), so GDAL never sees such a file: any ``crs`` member (top level, feature or
    geometry) that is not a named CRS, a JSON-FG ``coordRefSys`` that is not a CRS name
    and any non-local ``$ref`` (catalogue B5).  Arrays of numbers (coordinates, bbox) are
    emptied before parsing: they hold no member.

    Returns
    -------
    The features and property columns of a FeatureCollection (from the parsed text,
    instead of a third parse by GDAL), None for another shape.

    Raises
    ------
    InputFileError
        The bytes are not JSON.
    SecurityError
        Naming the file and the member.
    """
    data = _without_numbers(data)
    try:
        doc = json.loads(data)
    except UnicodeDecodeError:
        try:
            doc = json.loads(data.decode("utf-8", errors="replace"))
        except (ValueError, RecursionError) as err:
            msg = f"{name}: not valid JSON ({err})"
            raise InputFileError(msg) from err
    except (ValueError, RecursionError) as err:
        msg = f"{name}: not valid JSON ({err})"
        raise InputFileError(msg) from err
    stack: list[object] = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if unsafe_member(str(key), value):
                    msg = (
                        f"{name}: the {key!r} member {json.dumps(value)[:200]} may point to a "
                        "URL or file and is not accepted; save the file with a named CRS "
                        "(e.g. EPSG:4326)"
                    )
                    raise SecurityError(msg)
                if key not in _COORDINATE_MEMBERS and isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, dict | list))
    return _collection_size(doc)
