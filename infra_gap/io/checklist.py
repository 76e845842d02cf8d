"""The readiness checklist file (``dossier --checklist FILE.toml``, or the earlier JSON)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from infra_gap.errors import DataError, InputFileError

__all__ = ["MAX_CHECKLIST_BYTES", "read_checklist"]

#: Largest checklist file read (a province's hundred areas fit in well under 1 MB).
MAX_CHECKLIST_BYTES = 1_000_000


def read_checklist(path: Path) -> Any:
    """The parsed document of a checklist file: TOML, or JSON for a ``.json`` file.

    The shape is checked by :func:`infra_gap.outputs.dossier.checklist.checklist_entries`.

    Raises
    ------
    InputFileError
        When the file cannot be opened or is larger than :data:`MAX_CHECKLIST_BYTES`.
    DataError
        When it is not UTF-8 or not valid TOML / JSON (the message names the line).
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CHECKLIST_BYTES + 1)
    except OSError as err:
        msg = f"{path}: cannot read the checklist file ({err.strerror})"
        raise InputFileError(msg) from None
    if len(data) > MAX_CHECKLIST_BYTES:
        msg = f"{path}: a checklist file is at most {MAX_CHECKLIST_BYTES:,} bytes"
        raise InputFileError(msg)
    try:
        text = data.decode("utf-8-sig")
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return tomllib.loads(text)
    except UnicodeDecodeError as err:
        msg = f"{path}: the checklist file is not UTF-8 text (byte {err.start})"
        raise DataError(msg) from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        msg = f"{path}: the checklist file is not valid {kind}: {err}"
        raise DataError(msg) from None
