"""The hardened GDAL/PROJ environment and guards for untrusted uploads.

GDAL reads its driver list when drivers register, at the first import of rasterio or
pyogrio, so the front ends call :func:`apply_hardened_env` first thing: the CLI in its
entry point (:func:`infra_gap.cli.main.main`), the app on the first line of its main script
(``infra_gap/app/main.py``).  Both then call :func:`check_environment` and refuse to run (fail
closed) when anything differs.  Importing the library changes nothing: a notebook keeps its
own GDAL setup (VRT, SQLite, proxies).  Library users who read untrusted files use
:func:`hardened_env`.
Catalogue: ``shared/reference/reliability.md`` §2 and §3 A-B.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from types import MappingProxyType

from infra_gap.errors import InfraGapError, SecurityError

__all__ = [
    "HARDENED_ENV",
    "SKIPPED_DRIVERS",
    "ZipLimits",
    "apply_hardened_env",
    "check_environment",
    "guard_zip",
    "hardened_env",
    "safe_label",
]

#: Network, indirection and executing drivers: never offered to an upload (GDAL_SKIP).
SKIPPED_DRIVERS = (
    "VRT", "OGR_VRT", "GTI", "GDALG", "DERIVED", "WMS", "WMTS", "WCS", "WFS", "CSW", "OAPIF",
    "OGCAPI", "HTTP", "STACTA", "STACIT", "EEDA", "EEDAI", "PLSCENES", "PLMOSAIC", "NGW",
    "ESRIC", "Elasticsearch", "Carto", "AmigoCloud", "DAAS", "ADBC", "GNMDatabase", "MRF",
    "PDF", "MBTiles", "Rasterlite", "KMLSUPEROVERLAY", "GPSBabel", "SQLite", "XYZ", "GeoRSS",
)  # fmt: skip
HARDENED_ENV = MappingProxyType(
    {
        "GDAL_SKIP": ",".join(SKIPPED_DRIVERS),
        "OGR_SKIP": ",".join(SKIPPED_DRIVERS),
        "GDAL_VRT_ENABLE_PYTHON": "NO",
        "GDAL_VRT_ENABLE_RAWRASTERBAND": "NO",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".infra-gap-no-remote-files",
        "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
        "GDAL_PAM_ENABLED": "NO",
        "PROJ_NETWORK": "OFF",
        # rasterio and pyogrio each bundle a GDAL built with different drivers; each warns at
        # start-up about skipped names it does not have.  Those go to GDAL's default log
        # before the libraries install their own handlers; later errors are unaffected.
        "CPL_LOG": os.devnull,
    }
)
_REMOVED = ("GDAL_HTTP_PROXY", "GDAL_HTTP_USERPWD", "GDAL_HTTP_HEADERS", "GDAL_HTTP_AUTH")


class _SkipNoise(logging.Filter):
    """Drop GDAL's notes that a skipped driver is absent from one of the bundled builds."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "to unload from GDAL_SKIP" not in record.getMessage()


_NOISE_FILTER = _SkipNoise()


def apply_hardened_env() -> None:
    """Set the hardened values in the process environment (before GDAL is imported).

    For a process's entry point (the CLI, the app); it is not undone.
    """
    logging.getLogger("rasterio._env").addFilter(_NOISE_FILTER)
    os.environ.update(HARDENED_ENV)
    for key in _REMOVED:
        os.environ.pop(key, None)


@contextmanager
def hardened_env() -> Iterator[None]:
    """The hardened environment for a block of library calls, restored afterwards.

    GDAL and PROJ read most of these settings at each call (network access, remote files,
    directory listing, VRT pixel functions), so they hold for every read inside the block.
    The skipped drivers (``GDAL_SKIP``) take effect only when rasterio and pyogrio are first
    imported inside the block: for a server, call :func:`apply_hardened_env` at start-up
    instead.  Not for concurrent use by several threads (the environment is the process's).

    Examples
    --------
    >>> from infra_gap.hardening import hardened_env
    >>> with hardened_env():
    ...     pass  # read an uploaded file here
    """
    saved = {k: os.environ.get(k) for k in (*HARDENED_ENV, *_REMOVED)}
    apply_hardened_env()
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        logging.getLogger("rasterio._env").removeFilter(_NOISE_FILTER)


def check_environment() -> None:
    """Verify the hardened environment is in force; raise :class:`SecurityError` if not.

    Checks the variables, that no skipped driver is registered in rasterio or pyogrio, and
    that PROJ's network access is off.
    """
    wrong = {k: os.environ.get(k) for k, v in HARDENED_ENV.items() if os.environ.get(k) != v}
    wrong |= {k: "set" for k in _REMOVED if k in os.environ}
    import pyogrio
    import pyproj
    import rasterio

    with rasterio.Env() as env:
        raster_drivers = set(env.drivers())
    present = sorted((raster_drivers | set(pyogrio.list_drivers())) & set(SKIPPED_DRIVERS))
    if present:
        wrong["drivers"] = ", ".join(present)
    if pyproj.network.is_network_enabled():  # type: ignore[attr-defined]
        wrong["PROJ network"] = "enabled"
    if wrong:
        msg = f"unsafe GDAL/PROJ environment, refusing to start: {wrong}"
        raise SecurityError(msg)


class ZipLimits:
    """Budgets for an uploaded archive (reliability.md §3 A).

    Attributes
    ----------
    max_entries
        Files in the archive (a shapefile needs 3-8).
    max_total_bytes
        Uncompressed bytes in all.
    max_ratio
        Uncompressed / compressed size of any entry (zip bombs reach thousands).
    """

    max_entries: int = 64
    max_total_bytes: int = 1 << 30
    max_ratio: float = 200.0


#: Compression methods GDAL's /vsizip/ reads (stored, deflate).
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def guard_zip(data: bytes, *, name: str, limits: ZipLimits | None = None) -> None:
    """Check an uploaded zip while streaming it, before GDAL sees it.

    Refuses: unreadable archives, too many entries, unsafe entry paths (absolute, ``..``,
    drive letters, backslashes), nested archives, symbolic links, encrypted entries or
    compression other than stored/deflate, damaged entries (CRC, truncated or lying
    sizes), and entries whose real decompressed size breaks the byte or ratio budget
    (sizes are counted while decompressing, so a lying header does not help).

    Raises
    ------
    SecurityError
        Naming the archive and the entry.
    """
    limits = limits or ZipLimits()
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError) as err:
        msg = f"{name}: not a readable zip archive"
        raise SecurityError(msg) from err
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            msg = f"{name}: {len(infos)} entries, more than {limits.max_entries}"
            raise SecurityError(msg)
        total = 0
        for info in infos:
            entry = info.filename
            if (
                entry.startswith(("/", "\\"))
                or "\\" in entry
                or re.match(r"^[A-Za-z]:", entry)
                or ".." in entry.split("/")
            ):
                msg = f"{name}: unsafe path in archive: {entry!r}"
                raise SecurityError(msg)
            if entry.lower().endswith((".zip", ".gz", ".7z", ".rar", ".tar")):
                msg = f"{name}: nested archive {entry!r} is not accepted"
                raise SecurityError(msg)
            if info.flag_bits & 0x1 or info.compress_type not in _ZIP_METHODS:
                msg = (
                    f"{name}: entry {entry!r} uses encryption or an unsupported compression "
                    f"(method {info.compress_type}); zip it again without a password, "
                    "with standard compression"
                )
                raise SecurityError(msg)
            if stat.S_ISLNK(info.external_attr >> 16):
                msg = f"{name}: entry {entry!r} is a symbolic link, not accepted"
                raise SecurityError(msg)
            try:
                total = _stream_entry(archive, info, name=name, total=total, limits=limits)
            except InfraGapError:
                raise
            except (
                zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
                ValueError, OSError,
            ) as err:  # fmt: skip
                msg = f"{name}: entry {entry!r} is damaged or lies about its size ({err})"
                raise SecurityError(msg) from err


def _stream_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, name: str, total: int, limits: ZipLimits
) -> int:
    """Decompress one entry in blocks under the budgets; return the new running total."""
    size = 0
    with archive.open(info) as fh:
        while block := fh.read(1 << 20):
            size += len(block)
            total += len(block)
            if total > limits.max_total_bytes:
                msg = f"{name}: more than {limits.max_total_bytes:,} bytes uncompressed"
                raise SecurityError(msg)
            if size > limits.max_ratio * max(info.compress_size, 1) and size > 1 << 20:
                msg = f"{name}: entry {info.filename!r} expands over {limits.max_ratio:.0f}x"
                raise SecurityError(msg)
    return total


def safe_label(text: str, *, max_length: int = 80) -> str:
    """A file-name-safe slug of user text (letters, digits, ``-`` and ``_``)."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:max_length]
    return slug or "file"
