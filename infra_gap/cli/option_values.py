"""Option values taken as typed when typer's checks would return them unchanged (issue #20).

Typer 0.29 converts every option's value through a pydantic ``TypeAdapter`` built for that
option on first use, also for an option that was not given (its default ``None``): a
``rank`` of own files built 38 of them and imported pydantic for it: 0.11-0.18 s of CPU
to read its options (three runs, on a busy machine), 0.004 s with this shortcut, before any
data was read.

:func:`quick_option_values` puts a shortcut in front of that conversion for the values it
returns unchanged, with the same result: a missing value (``None``: typer returns ``None``,
or ``()`` for a repeatable option), a text value of a text option, an enum member of an
enum option, and a path given as text to a path option (checked by typer's own
:func:`typer._param_types.coerce_cli_path`: existence, file or folder, with its messages).
Every other value (numbers, lists, a value typer converts or rejects) goes through typer
unchanged.  Typer versions without this machinery are left alone.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

__all__ = ["quick_option_values"]

_MARK = "_infra_gap_quick"


def _taken_as_typed(param: Any, value: Any) -> bool:
    """True for a text, enum or path value that typer returns as given (a path: checked)."""
    desc = param.type_descriptor
    info = desc.parameter_info
    plain = not (param.multiple or param.nargs == -1) and desc.file_annotation is None
    if not plain or info.parser is not None or getattr(info, "click_type", None) is not None:
        return False
    kind = desc.annotation
    if kind is Path:
        return info.path_type is None and type(value) is str and bool(value) and "\0" not in value
    return (kind is str and type(value) is str) or (
        isinstance(kind, type) and issubclass(kind, Enum) and type(value) is kind
    )


def _shortcut(param: Any, ctx: Any, value: Any) -> tuple[bool, Any]:
    """``(True, result)`` when typer would give ``result`` for ``value``, else ``(False, None)``."""
    if value is None:
        return True, (() if param.multiple or param.nargs == -1 else None)
    if not _taken_as_typed(param, value):
        return False, None
    if param.type_descriptor.annotation is Path:
        from typer._param_types import coerce_cli_path

        info = param.type_descriptor.parameter_info
        return True, coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    return True, value


def quick_option_values() -> None:
    """Install the shortcut on typer's parameter class (once; idempotent)."""
    try:
        from typer.core import _TyperParameter
    except ImportError:  # an older typer: no per-option pydantic conversion
        return
    typed = getattr(_TyperParameter, "process_value", None)
    if typed is None or getattr(typed, _MARK, False):
        return

    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        try:
            known, result = _shortcut(self, ctx, value)
        except AttributeError:  # a typer whose parameters are laid out otherwise: its way
            known, result = False, None
        if not known:
            return typed(self, ctx, value)
        if self.required and self.value_is_missing(result):
            from typer import _click

            raise _click.exceptions.MissingParameter(ctx=ctx, param=self)
        if self.callback is not None:
            result = self.callback(ctx, self, result)
        return result

    setattr(process_value, _MARK, True)
    process_value.__wrapped__ = typed  # type: ignore[attr-defined]
    _TyperParameter.process_value = process_value  # type: ignore[method-assign]
