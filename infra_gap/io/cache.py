"""A cache directory that proves itself: a manifest of content hashes and a lock.

Every artefact is written atomically (temporary name, then rename), and the directory's
``manifest.json`` records the SHA-256 of each once all are written.  On read each file is
hashed and compared: a truncated or altered file is reported once (a ``UserWarning``) and
the whole set rebuilt.  Builders take an exclusive ``fcntl.flock`` on ``.lock`` in the
directory, so two processes building the same cache do it one after the other; the second
finds the first's valid cache and reads it.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from infra_gap.errors import InfraGapError
from infra_gap.io.budget import reading
from infra_gap.io.files import file_sha256, read_json, write_json

__all__ = ["MANIFEST", "CacheWarning", "cache_lock", "cache_problem", "load_or_build"]

MANIFEST = "manifest.json"
T = TypeVar("T")


class CacheWarning(UserWarning):
    """A cached artefact failed its check and is being rebuilt."""


@contextmanager
def cache_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (created if missing) while building it.

    Uses ``fcntl.flock`` (released by the OS if the process dies).  Where ``fcntl`` does
    not exist (Windows) there is no lock; the atomic renames still keep each file whole.
    """
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(directory / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def cache_problem(directory: Path, files: tuple[str, ...]) -> str | None:
    """Why the cache in ``directory`` cannot be trusted, or None when every hash matches.

    Returns ``"missing"`` when nothing (or no manifest) is there: a cache never built or
    whose build stopped half-way, which is rebuilt without a warning.
    """
    manifest = directory / MANIFEST
    if not manifest.is_file():
        return "missing"
    try:
        with reading(str(manifest), "a cache manifest"):
            recorded = read_json(manifest)
    except InfraGapError as err:
        return f"its manifest is damaged ({err})"
    hashes = recorded.get("sha256", {}) if isinstance(recorded, dict) else {}
    for name in files:
        path = directory / name
        if not path.is_file():
            return f"{name} is missing"
        if hashes.get(name) != file_sha256(path):
            return f"{name} does not match its recorded SHA-256 (truncated or changed)"
    return None


def load_or_build(
    directory: Path,
    files: tuple[str, ...],
    *,
    read: Callable[[Path], T],
    build: Callable[[Path], T],
) -> T:
    """Read a verified cache, or build it (under the lock) and record its hashes.

    Parameters
    ----------
    directory
        The cache directory.
    files
        The artefacts, relative to ``directory``; ``build`` writes each of them.
    read
        Reads the artefacts (called only after every hash matched).
    build
        Writes the artefacts and returns the same value ``read`` would.
    """
    with cache_lock(directory):
        problem = cache_problem(directory, files)
        if problem is None:
            try:
                return read(directory)
            except InfraGapError as err:  # hashes match yet unreadable: rebuild as well
                problem = f"it cannot be read ({err})"
        if problem != "missing":
            msg = f"cache {directory}: {problem}; rebuilding it"
            warnings.warn(msg, CacheWarning, stacklevel=2)
        (directory / MANIFEST).unlink(missing_ok=True)
        value = build(directory)
        hashes = {name: file_sha256(directory / name) for name in files}
        write_json({"sha256": hashes}, directory / MANIFEST)
        return value
