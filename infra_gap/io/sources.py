"""The sources file (``--sources FILE.toml``): read with a size bound, then parsed."""

from __future__ import annotations

from pathlib import Path

from infra_gap.errors import InputFileError
from infra_gap.provenance import MAX_SOURCES_BYTES, Provenance, SourcesSyntaxError, parse_sources

__all__ = ["read_sources"]


def read_sources(path: Path) -> dict[str, Provenance]:
    """Table name -> :class:`infra_gap.provenance.Provenance` of a sources file.

    Raises
    ------
    InputFileError
        When the file cannot be opened.
    infra_gap.provenance.SourcesError
        When it is too large or not a valid sources document (stable codes
        ``E_SOURCES_*``, see :func:`infra_gap.provenance.parse_sources`).
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_SOURCES_BYTES + 1)
    except OSError as err:
        msg = f"{path}: cannot read the sources file ({err.strerror})"
        raise InputFileError(msg) from None
    if len(data) > MAX_SOURCES_BYTES:
        msg = f"{path}: a sources file is at most {MAX_SOURCES_BYTES:,} bytes"
        raise SourcesSyntaxError(msg)
    return parse_sources(data, name=str(path))
