"""``infra-gap app``: start the Streamlit app of the installed package (the ``[app]`` extra).

The app's main script is the package's ``infra_gap/app/main.py``; its Streamlit settings are
the package's ``infra_gap/app/.streamlit/config.toml``, given to Streamlit as command-line
flags (flags win over every config file, a user's own included), with ``--port`` and
``--address`` from here.  The demo's derived layers are built before the server starts, so
the first visitor does not wait for them.  Then this process becomes ``python -m streamlit
run ...`` (:func:`os.execv`): Ctrl+C and SIGTERM reach the server itself.

The CLI and the app are separate front ends, and the library below the app never imports
Streamlit (import-linter's contracts): this module finds the app's files in the package and
imports neither the app nor Streamlit.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

from infra_gap.cli.common import (
    QuietOpt,
    Reporter,
    VerboseOpt,
    runtime_error,
    start_work,
    usage_error,
)
from infra_gap.errors import ExtraError, InputFileError

__all__ = ["app_command", "app_dir", "check_address", "streamlit_args"]

#: Streamlit's own default port.
DEFAULT_PORT = 8501
#: This machine only; ``--address 0.0.0.0`` serves the network (behind an HTTPS proxy).
DEFAULT_ADDRESS = "127.0.0.1"
#: Modules of the ``[app]`` extra the app needs.
APP_EXTRA = ("streamlit", "streamlit_folium")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")

PortOpt = Annotated[
    int, typer.Option("--port", metavar="N", help="Port to serve the app on (1-65535).")
]
AddressOpt = Annotated[
    str,
    typer.Option(
        "--address",
        help="Address to listen on: 127.0.0.1 serves this machine only; 0.0.0.0 every "
        "network interface (put it behind your office's HTTPS proxy; README, 'Deploying').",
    ),
]


def app_dir() -> Path:
    """The folder of the app in the package (``main.py``, ``static/``, ``.streamlit/``)."""
    folder = resources.files("infra_gap").joinpath("app")
    if not isinstance(folder, Path) or not (folder / "main.py").is_file():
        msg = f"{folder}: the app's main.py is not in the installed package; reinstall infra-gap"
        raise InputFileError(msg)
    return folder


def check_address(address: str) -> str:
    """``--address`` as given when it is an IP address or a host name; else a usage error."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        if not _HOSTNAME.match(address):
            usage_error(
                f"--address must be an IP address or a host name (e.g. 127.0.0.1), got {address!r}"
            )
    return address


def _flag_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def streamlit_args(folder: Path, *, port: int, address: str) -> list[str]:
    """The arguments of ``streamlit``: run the main script with every setting as a flag.

    Parameters
    ----------
    folder
        The app's folder (:func:`app_dir`).
    port, address
        Where to serve; they replace any ``server.port`` / ``server.address`` of the file.

    Returns
    -------
    list of str
        ``["run", MAIN_SCRIPT, "--section.option", "value", ...]``.
    """
    config = tomllib.loads((folder / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    settings = {
        f"{section}.{name}": value
        for section, options in config.items()
        for name, value in options.items()
    }
    settings |= {"server.port": port, "server.address": address}
    args = ["run", str(folder / "main.py")]
    for name, value in settings.items():
        args += [f"--{name}", _flag_value(value)]
    return args


def app_command(
    ctx: typer.Context,
    port: PortOpt = DEFAULT_PORT,
    address: AddressOpt = DEFAULT_ADDRESS,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    r"""Start the Streamlit app (needs the app extra: pip install 'infra-gap\[app]')."""
    if not 1 <= port <= 65535:
        usage_error(f"--port must be between 1 and 65535, got {port}")
    check_address(address)
    missing = [name for name in APP_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        runtime_error(
            ExtraError(
                f"the app needs {', '.join(missing)}, which come with the app extra: "
                "pip install 'infra-gap[app]'"
            )
        )
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose)
    start_work(ctx)
    from infra_gap.errors import InfraGapError

    try:
        folder = app_dir()
        from infra_gap.paths import default_cache_dir, default_data_dir
        from infra_gap.synthetic.demo import load_demo

        with reporter.step("Building the demo's layers", "demo"):
            load_demo(default_data_dir(), default_cache_dir())
    except InfraGapError as err:
        runtime_error(err)
    args = streamlit_args(folder, port=port, address=address)
    reporter.report(f"serving the app at http://{address}:{port} (Ctrl+C stops it)")
    reporter.detail(" ".join(["streamlit", *args]))
    sys.stdout.flush()
    sys.stderr.flush()
    # The hardened environment applied by main() goes with it (and main.py applies it again).
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", *args])
