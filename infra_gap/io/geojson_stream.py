"""The guard of a GeoJSON, feature by feature, in memory bounded by one feature (issue 22).

:func:`infra_gap.io.geojson_guard.guard_geojson` parses the whole text with Python's
``json``: a 370 MB layer of 2 million points takes 2.8 GB that way.  An MSME point layer in
GeoJSON is read by GDAL in Arrow batches instead (:mod:`infra_gap.io.point_layer`; GDAL's
GeoJSON driver streams a FeatureCollection: about 300 MB for those 2 million points), so its
guard streams too: the text is read in blocks of :data:`BLOCK_BYTES`, and each JSON value,
one feature of ``features`` or one other member of the top-level object, is decoded on
its own (the C scanner of ``json.JSONDecoder``).  Every member of every decoded
object, with duplicates, is checked by the same rule as the whole guard
(:func:`~infra_gap.io.geojson_guard.unsafe_member`: a ``crs`` that is not a named CRS, a
JSON-FG ``coordRefSys``, a non-local ``$ref``), so GDAL never sees a member that could
make it fetch a URL or read a file.

A value longer than ``Limits.max_feature_bytes`` stops with ``E_LIMIT`` (no point feature
comes near it), text that is not one JSON object or ends early with ``E_INPUT_FILE``, a
member that could fetch with ``E_SECURITY``; features count against ``max_table_rows`` and
their property names against ``max_columns`` as they are read.
"""

from __future__ import annotations

import codecs
import json
import re
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from infra_gap.config import Limits
from infra_gap.errors import InputFileError, SecurityError
from infra_gap.io import budget
from infra_gap.io.geojson_guard import unsafe_member

__all__ = ["BLOCK_BYTES", "scan_feature_collection"]

#: Bytes read from the file at once.
BLOCK_BYTES = 1 << 20
_SPACE = re.compile(r"[ \t\n\r]*")
#: The only member names :func:`~infra_gap.io.geojson_guard.unsafe_member` can refuse.
_WATCHED = frozenset({"crs", "coordRefSys", "$ref"})
#: Text that may hold one of them: the names, or any escape (``"\u0063rs"`` is ``crs``).
_RISKY = re.compile(r"crs|coordRefSys|\$ref|\\")


class _Text:
    """The text of a file, decoded block by block, with a cursor and one value at a time."""

    def __init__(self, fh: IO[bytes], name: str, limits: Limits) -> None:
        self.fh, self.name, self.limits = fh, name, limits
        self.decode = codecs.getincrementaldecoder("utf-8-sig")(errors="replace").decode
        self.buf, self.pos, self.eof = "", 0, False
        # Text without a watched name or an escape (almost every feature) cannot hold an
        # unsafe member: it is decoded plainly; the rest again, each member checked.
        self.plain = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
        self.checked = json.JSONDecoder(object_pairs_hook=self.check_members).scan_once  # type: ignore[attr-defined]

    def check_members(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        members = dict(pairs)
        if _WATCHED.isdisjoint(members):  # the usual case, in one set operation
            return members
        for key, value in pairs:
            if unsafe_member(key, value):
                msg = (
                    f"{self.name}: the {key!r} member {json.dumps(value)[:200]} may point to a "
                    "URL or file and is not accepted; save the file with a named CRS "
                    "(e.g. EPSG:4326)"
                )
                raise SecurityError(msg)
        return members

    def _more(self) -> bool:
        """Read one more block (dropping what was read); False at the end of the file."""
        if self.eof:
            return False
        block = self.fh.read(BLOCK_BYTES)
        self.eof = not block
        self.buf = self.buf[self.pos :] + self.decode(block, final=self.eof)
        self.pos = 0
        return bool(block) or bool(self.buf)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end of the file)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, chars: str, where: str) -> str:
        """Take the next character, one of ``chars``."""
        if self.pos < len(self.buf) and self.buf[self.pos] in chars:  # no white space first
            self.pos += 1
            return self.buf[self.pos - 1]
        found = self.peek()
        if not found or found not in chars:
            shown = repr(found) if found else "the end of the file"
            msg = f"{self.name}: not a complete GeoJSON ({shown} {where}; is it truncated?)"
            raise InputFileError(msg)
        self.pos += 1
        return found

    def value(self, what: str) -> Any:
        """Decode the next JSON value, reading blocks until it is whole.

        A value that ends with the text read so far may go on (a number cut by the block):
        it is decoded again with more text, up to ``max_feature_bytes``.
        """
        self.peek()
        while True:
            try:
                value, end = self.plain(self.buf, self.pos)
                if _RISKY.search(self.buf, self.pos, end):
                    value, end = self.checked(self.buf, self.pos)
            except (json.JSONDecodeError, StopIteration) as err:
                if self.eof:
                    why = err.msg if isinstance(err, json.JSONDecodeError) else "no value"
                    msg = f"{self.name}: {what} is not valid JSON ({why}; is it truncated?)"
                    raise InputFileError(msg) from err
            except RecursionError as err:
                msg = f"{self.name}: {what} is nested too deeply"
                raise InputFileError(msg) from err
            else:
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return value
            held = len(self.buf) - self.pos
            said = f"the size of {what} in bytes (read so far)"
            budget.check(self.name, said, held, "max_feature_bytes", self.limits)
            self._more()


def _features(text: _Text, limits: Limits) -> tuple[int, int]:
    """The elements of ``features``, one at a time: their number and property columns."""
    text.expect("[", "where the features start")
    features, fields, ids = 0, set[str](), False
    if text.peek() == "]":
        text.pos += 1
        return 0, 0
    while True:
        feature = text.value(f"feature {features + 1}")
        features += 1
        if features > limits.max_table_rows:
            budget.check(text.name, "the number of features", features, "max_table_rows", limits)
        if isinstance(feature, dict):
            props = feature.get("properties")
            if (isinstance(props, dict) and not props.keys() <= fields) or (
                not ids and "id" in feature
            ):
                fields.update(props if isinstance(props, dict) else ())
                ids = ids or "id" in feature
                columns = len(fields) + ids
                budget.check(text.name, "the number of columns", columns, "max_columns", limits)
        if text.expect(",]", f"after feature {features}") == "]":
            return features, len(fields) + ids


def _scan(text: _Text, limits: Limits) -> tuple[int, int]:
    text.expect("{", "where a GeoJSON object starts")
    size = (0, 0)
    if text.peek() == "}":
        text.pos += 1
    else:
        while True:
            key = text.value("a member name")
            if not isinstance(key, str):
                msg = f"{text.name}: not a GeoJSON object (a member name is {key!r})"
                raise InputFileError(msg)
            text.expect(":", f"after the member {key[:40]!r}")
            if key == "features" and text.peek() == "[":
                size = _features(text, limits)
            else:
                text.check_members([(key, text.value(f"the member {key[:40]!r}"))])
            if text.expect(",}", f"after the member {key[:40]!r}") == "}":
                break
    if text.peek():
        msg = f"{text.name}: text after the end of the GeoJSON object"
        raise InputFileError(msg)
    return size


def scan_feature_collection(source: Path | bytes, *, name: str, limits: Limits) -> tuple[int, int]:
    """Guard a GeoJSON object one value at a time; its features and property columns.

    Parameters
    ----------
    source
        The file, or the bytes of an upload.
    name
        File name for messages.
    limits
        ``max_feature_bytes`` for one value, ``max_table_rows`` for the features,
        ``max_columns`` for the property names (and ``id``).

    Returns
    -------
    The features of ``features`` (0 without it) and the property columns.

    Raises
    ------
    InfraGapError
        ``E_INPUT_FILE`` for text that is not one JSON object (truncated, broken),
        ``E_SECURITY`` for a member that could fetch, ``E_LIMIT`` over a budget.
    """
    with BytesIO(source) if isinstance(source, bytes) else source.open("rb") as fh:
        return _scan(_Text(fh, name, limits), limits)
