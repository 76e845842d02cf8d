"""Plain files: hashes, atomic writes, JSON."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from infra_gap.errors import InputFileError

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


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    Two processes generating the same cache never see each other's half-written files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
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
