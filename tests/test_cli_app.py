"""``infra-gap app`` (#18.4): the Streamlit app from the installed package.

No server is started here: the command's last step (``os.execv`` into ``python -m streamlit
run``) is replaced by a recorder.  ``.ci/wheel-check`` starts the real server from a wheel.
"""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infra_gap.cli import app as cli_app
from infra_gap.cli.main import app
from infra_gap.paths import default_cache_dir, default_data_dir
from tests.conftest import ROOT

APP_DIR = ROOT / "infra_gap" / "app"


class Exec:
    """Stands in for os.execv: records the command instead of becoming it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def __call__(self, path: str, argv: list[str]) -> None:
        self.calls.append((path, argv))


@pytest.fixture
def launch(monkeypatch: pytest.MonkeyPatch) -> tuple[Exec, list[tuple[Path, Path]]]:
    """The exec recorder, and the demo builds asked for (the demo itself is not built)."""
    exec_ = Exec()
    demos: list[tuple[Path, Path]] = []
    monkeypatch.setattr(cli_app.os, "execv", exec_)
    monkeypatch.setattr(
        "infra_gap.synthetic.demo.load_demo", lambda data, cache: demos.append((data, cache))
    )
    return exec_, demos


def _flags(argv: list[str]) -> dict[str, str]:
    pairs = argv[argv.index("run") + 2 :]
    return dict(zip(pairs[::2], pairs[1::2], strict=True))


def test_app_builds_the_demo_then_runs_the_packaged_script_with_its_settings(launch) -> None:
    exec_, demos = launch
    result = CliRunner().invoke(app, ["app", "--port", "8600", "--address", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert demos == [(default_data_dir(), default_cache_dir())]
    [(path, argv)] = exec_.calls
    assert argv[:4] == [path, "-m", "streamlit", "run"]
    assert Path(argv[4]) == APP_DIR / "main.py"
    flags = _flags(argv)
    assert flags["--server.port"] == "8600"
    assert flags["--server.address"] == "0.0.0.0"
    # every setting of the packaged config file goes along as a flag
    config = tomllib.loads((APP_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert flags["--server.enableStaticServing"] == "true"
    assert flags["--server.maxUploadSize"] == str(config["server"]["maxUploadSize"])
    assert flags["--client.showErrorDetails"] == "none"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert len(flags) == sum(len(v) for v in config.values()) + 2
    assert "serving the app at http://0.0.0.0:8600" in result.output


def test_app_defaults_to_this_machine_on_streamlits_port(launch) -> None:
    exec_, _ = launch
    result = CliRunner().invoke(app, ["app", "-q"])
    assert result.exit_code == 0, result.output
    flags = _flags(exec_.calls[0][1])
    assert (flags["--server.address"], flags["--server.port"]) == ("127.0.0.1", "8501")
    assert result.output == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "0"], "--port must be between 1 and 65535, got 0"),
        (["--port", "70000"], "--port must be between 1 and 65535, got 70000"),
        (["--address", "127.0.0.1; rm -rf /"], "--address must be an IP address or a host"),
        (["--address", "http://x"], "--address must be an IP address or a host"),
    ],
)
def test_bad_port_or_address_is_a_usage_error_before_any_work(launch, args, message) -> None:
    exec_, demos = launch
    result = CliRunner().invoke(app, ["app", *args])
    assert result.exit_code == 2, result.output
    assert f"error [E_USAGE]: {message}" in result.output
    assert exec_.calls == []
    assert demos == []


def test_without_the_app_extra_a_clear_error(launch, monkeypatch: pytest.MonkeyPatch) -> None:
    exec_, demos = launch
    real = importlib.util.find_spec

    def no_streamlit(name: str, *args: object) -> object:
        return None if name.startswith("streamlit") else real(name, *args)

    monkeypatch.setattr(cli_app.importlib.util, "find_spec", no_streamlit)
    result = CliRunner().invoke(app, ["app"])
    assert result.exit_code == 1, result.output
    assert "error [E_EXTRA]: the app needs streamlit, streamlit_folium" in result.output
    assert "pip install 'infra-gap[app]'" in result.output
    assert exec_.calls == []
    assert demos == []


def test_the_clone_config_is_the_packaged_one() -> None:
    """AppTest reads the working directory's .streamlit/; the package carries the source."""
    packaged = (APP_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8") == packaged
