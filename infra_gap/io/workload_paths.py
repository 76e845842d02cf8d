"""Where a partitioned workload's files are: a local folder or an fsspec URL, and its manifest.

See :mod:`infra_gap.io.partitioned` for the layout.  Every reader takes a :data:`Root` and
opens only the file asked for, through :func:`filesystem` (fsspec for a URL).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, overload

from infra_gap.errors import InputFileError, OutputFileError

__all__ = [
    "Root",
    "as_root",
    "exists",
    "filesystem",
    "is_empty_folder",
    "is_url",
    "join",
    "part_path",
    "read_manifest",
    "require",
    "upload",
]


#: A workload folder or file: a local path, or an fsspec URL kept as text.
Root = Path | str


def is_url(root: Root) -> bool:
    """True for an fsspec URL (``scheme://...``), kept as text; False for a local path."""
    return isinstance(root, str) and "://" in root


def as_root(text: str) -> Root:
    """A ``--workload``/``--out`` value: a URL stays text, anything else is a local path."""
    return text if is_url(text) else Path(text)


@overload
def join(root: Path, *parts: str) -> Path: ...
@overload
def join(root: str, *parts: str) -> Root: ...
def join(root: Root, *parts: str) -> Root:
    """``root / part / ...`` for a path or a URL (a local path stays a :class:`Path`)."""
    if isinstance(root, str) and is_url(root):
        return "/".join([root.rstrip("/"), *parts])
    return Path(root).joinpath(*parts)


def filesystem(path: Root) -> tuple[Any, str]:
    """The filesystem of ``path`` (None: local) and the path on it."""
    if not is_url(path):
        return None, str(path)
    try:
        import fsspec
    except ImportError as err:  # an optional dependency (the dask extra)
        msg = f"{path}: a workload URL needs fsspec (pip install 'infra-gap[dask]')"
        raise InputFileError(msg) from err
    try:
        fs, inner = fsspec.core.url_to_fs(str(path))
    except (ImportError, ValueError) as err:
        msg = f"{path}: cannot open this URL ({err})"
        raise InputFileError(msg) from err
    return fs, inner


@overload
def part_path(root: Path, layer: str, code: str) -> Path: ...
@overload
def part_path(root: str, layer: str, code: str) -> Root: ...
def part_path(root: Root, layer: str, code: str) -> Root:
    """Path of one partition's file of ``layer`` (hive style: ``layer/part=code/``)."""
    return join(root, layer, f"part={code}", "data.parquet")


def exists(path: Root) -> bool:
    """True when the file or folder exists (on its filesystem)."""
    fs, inner = filesystem(path)
    return Path(inner).exists() if fs is None else bool(fs.exists(inner))


def require(path: Root) -> None:
    """Raise :class:`InputFileError` when ``path`` does not exist (on its filesystem)."""
    if not exists(path):
        msg = f"{path}: file not found (is the workload folder visible to every worker?)"
        raise InputFileError(msg)


def read_manifest(root: Root) -> dict[str, Any]:
    """The ``manifest.json`` of a workload folder.

    Raises
    ------
    InputFileError
        When it is missing or is not JSON.
    """
    path = join(root, "manifest.json")
    require(path)
    fs, inner = filesystem(path)
    try:
        if fs is None:
            text = Path(inner).read_text(encoding="utf-8")
        else:
            with fs.open(inner, "rb") as fh:
                text = fh.read().decode("utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as err:
        msg = f"{path}: not a readable workload manifest ({err})"
        raise InputFileError(msg) from err
    if not isinstance(data, dict):
        msg = f"{path}: not a workload manifest"
        raise InputFileError(msg)
    return data


def is_empty_folder(root: Root) -> bool:
    """True when ``root`` does not exist or is an empty folder."""
    fs, inner = filesystem(root)
    if fs is None:
        p = Path(inner)
        return not p.exists() or (p.is_dir() and not any(p.iterdir()))
    return not fs.exists(inner) or (fs.isdir(inner) and not fs.ls(inner))


def upload(local: Path, url: str) -> None:
    """Copy a workload folder to a URL: every file, then ``manifest.json`` last.

    Until the manifest arrives the copy is not a workload, so a reader never sees half of one.
    """
    fs, inner = filesystem(url)
    files = sorted(p for p in local.rglob("*") if p.is_file() and p.name != "manifest.json")
    try:
        for path in [*files, local / "manifest.json"]:
            target = "/".join([inner.rstrip("/"), *path.relative_to(local).parts])
            fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(path), target)
    except OSError as err:
        msg = f"{url}: cannot write the workload there ({err})"
        raise OutputFileError(msg) from err
