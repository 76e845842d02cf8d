"""One error root for the library.

Every error the library raises on purpose derives from :class:`InfraGapError`, and
also from the builtin that fits, so callers can catch either (rasterio's pattern).
Each error carries a stable ``code`` that the UI translates.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "EngineError",
    "ExtraError",
    "InfraGapError",
    "InputFileError",
    "LevelError",
    "LimitError",
    "OutputFileError",
    "SchemaError",
    "ScoringError",
    "SecurityError",
    "UsageError",
]


class InfraGapError(Exception):
    """Root of every error raised on purpose by ``infra_gap``."""

    code = "E_INFRA_GAP"


class DataError(InfraGapError, ValueError):
    """The data are well-formed but cannot be used as asked."""

    code = "E_DATA"


class SchemaError(DataError):
    """A layer lacks a required column, or a column has the wrong content."""

    code = "E_SCHEMA"


class LevelError(SchemaError):
    """The level of a boundary layer cannot be read from its codes (mixed, unknown shape)."""

    code = "E_LEVEL"


class InputFileError(InfraGapError, OSError):
    """A file is missing, unreadable, or not of an allowed format.

    The message names the file and, where known, the row and column.
    """

    code = "E_INPUT_FILE"


class OutputFileError(InfraGapError, OSError):
    """An output cannot be written (it exists, its folder is missing or read-only).

    The message names the file.  Nothing is left under the final name on failure.
    """

    code = "E_OUTPUT_FILE"


class ScoringError(InfraGapError, ValueError):
    """The weights cannot produce a ranking (for example all are zero)."""

    code = "E_SCORING"


class SecurityError(InfraGapError, PermissionError):
    """An input or the environment breaks a security rule (hostile file, unsafe GDAL)."""

    code = "E_SECURITY"


class EngineError(InfraGapError, RuntimeError):
    """The Dask cluster cannot be reached or started."""

    code = "E_ENGINE"


class UsageError(InfraGapError, ValueError):
    """A command-line option is wrong: checked before any work, exit code 2."""

    code = "E_USAGE"


class ExtraError(InfraGapError, ImportError):
    """A part of infra-gap needs an optional dependency (an extra) that is not installed."""

    code = "E_EXTRA"


class LimitError(InfraGapError, ValueError):
    """An input is over a size budget of :class:`infra_gap.config.Limits`.

    Raised before the work that would need the memory or time.  ``limit`` names the
    ``Limits`` field, ``value`` is what the file declared or held.
    """

    code = "E_LIMIT"

    def __init__(self, message: str, *, limit: str = "", value: object = None) -> None:
        super().__init__(message)
        self.limit = limit
        self.value = value

    def __reduce__(self) -> tuple[object, ...]:  # survive pickling from a worker process
        return (_limit_error, (str(self), self.limit, self.value))


def _limit_error(message: str, limit: str, value: object) -> LimitError:
    return LimitError(message, limit=limit, value=value)
