"""Option values the CLI takes as typed: the same results and errors as typer's conversion."""

from __future__ import annotations

from pathlib import Path

from typer import _click
from typer.core import _TyperParameter
from typer.main import get_command

from infra_gap.cli.inputs import GpkgEvidence
from infra_gap.cli.main import app
from infra_gap.cli.option_values import quick_option_values


def _outcome(process, param, ctx, value):
    try:
        return "ok", repr(process(param, ctx, value))
    except (_click.exceptions.ClickException, ValueError) as err:
        return "error", type(err).__name__, str(err)


def _params(command, parent=None):
    ctx = _click.Context(command, info_name=command.name, parent=parent)
    for param in command.params:
        if isinstance(param, _TyperParameter):
            yield param, ctx
    for sub in getattr(command, "commands", {}).values():
        yield from _params(sub, ctx)


def test_every_option_of_every_command_gets_what_typer_gives(tmp_path):
    quick_option_values()
    quick = _TyperParameter.process_value
    typed = quick.__wrapped__
    (tmp_path / "f.csv").write_text("x\n")
    (tmp_path / "d").mkdir()
    values = [None, "", "desa", "-", str(tmp_path / "f.csv"), str(tmp_path / "missing.csv")]
    values += [str(tmp_path / "d"), "clip", "2.5", "3", (), ("a",), *GpkgEvidence]
    checked = 0
    for param, ctx in _params(get_command(app)):
        for value in values:
            assert _outcome(quick, param, ctx, value) == _outcome(typed, param, ctx, value), (
                param.name,
                value,
            )
            checked += 1
    assert checked > 1000


def test_an_option_not_given_builds_no_converter():
    quick_option_values()
    command = get_command(app).commands["rank"]  # type: ignore[attr-defined]
    ctx = _click.Context(command, info_name="rank")
    param = next(p for p in command.params if p.name == "areas")
    param._runtime_param = None
    assert param.process_value(ctx, None) is None
    assert param.process_value(ctx, str(Path(__file__))) == Path(__file__)
    assert param._runtime_param is None  # typer's pydantic converter was never built


def test_a_typer_laid_out_otherwise_gets_its_own_conversion(monkeypatch):
    """Where typer's parameters lack what the shortcut reads, typer converts, no crash."""
    from infra_gap.cli import option_values

    def moved(*_args):
        missing = "type_descriptor"
        raise AttributeError(missing)

    quick_option_values()
    monkeypatch.setattr(option_values, "_shortcut", moved)
    command = get_command(app).commands["rank"]  # type: ignore[attr-defined]
    ctx = _click.Context(command, info_name="rank")
    param = next(p for p in command.params if p.name == "areas")
    assert param.process_value(ctx, str(Path(__file__))) == Path(__file__)
    assert param.process_value(ctx, None) is None
