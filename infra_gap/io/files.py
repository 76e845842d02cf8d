"""Plain files: hashes, atomic writes, JSON."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from infra_gap.errors import InfraGapError, InputFileError, OutputFileError

__all__ = [
    "atomic_path",
    "file_sha256",
    "read_json",
    "read_npy",
    "require_file",
    "source_name",
    "write_bytes",
    "write_json",
    "write_npy",
]


def source_name(source: Path | bytes, name: str | None) -> str:
    """The name used for format detection and messages: given, or the path's file name."""
    if name is not None:
        return name
    if isinstance(source, Path):
        return str(source)
    msg = "uploaded bytes need a file name"
    raise InputFileError(msg)


def require_file(path: Path) -> None:
    """Raise :class:`InputFileError` naming ``path`` unless it is a file."""
    if not path.is_file():
        msg = f"{path}: file not found"
        raise InputFileError(msg)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _new_temp(path: Path) -> Path:
    """Create an empty temporary file beside ``path`` with the user's umask (0666 & ~umask)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(100):
            tmp = path.with_name(f".{path.stem}.{secrets.token_hex(6)}{path.suffix}")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            os.close(fd)
            return tmp
    except OSError as err:
        msg = f"{path}: cannot write: {err.strerror or err}"
        raise OutputFileError(msg) from err
    msg = f"{path}: cannot create a temporary file beside it"
    raise OutputFileError(msg)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    Two processes generating the same cache never see each other's half-written files, and
    a failed write leaves nothing under the final name.  The file gets the permissions a
    plain ``open`` would (the user's umask), not ``mkstemp``'s 0600.

    Raises
    ------
    OutputFileError
        Naming ``path`` when its folder cannot be made or written, or the rename fails.
    """
    tmp = _new_temp(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as err:
        if isinstance(err, InfraGapError):
            raise
        msg = f"{path}: cannot write: {err.strerror or err}"
        raise OutputFileError(msg) from err
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(data: bytes, path: Path) -> None:
    """Write bytes atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def read_json(path: Path) -> Any:
    """Read a JSON file."""
    require_file(path)
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(obj: Any, path: Path) -> None:
    """Write a JSON file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True), encoding="utf-8")


def read_npy(path: Path) -> np.ndarray:
    """Read a NumPy ``.npy`` array (no pickled objects)."""
    require_file(path)
    return np.asarray(np.load(path, allow_pickle=False))


def write_npy(array: np.ndarray, path: Path) -> None:
    """Write a NumPy ``.npy`` array atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        np.save(fh, array, allow_pickle=False)
