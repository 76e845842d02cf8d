"""Command-line conventions (#21.4) and a front door without side effects (#18.2-3).

Exit codes, stdout for data only with ``--out -``, notes on stderr, options checked before
any work, the umask, refusing to overwrite, one name for the code filter, no heavy import
and no change to ``os.environ`` on import, the app never importing the CLI.
"""

from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from infra_gap import __version__
from infra_gap.cli.main import app
from infra_gap.errors import OutputFileError
from tests.conftest import ROOT
from tests.own_files import OwnFiles, build

HEAVY = ("matplotlib", "folium", "streamlit", "fpdf", "dask", "openpyxl", "xlsxwriter")


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> OwnFiles:
    return build(tmp_path_factory.mktemp("own"))


def _kec(own: OwnFiles) -> list[str]:
    return [
        "--areas", str(own.kec), "--level", "kecamatan", "--name-col", "NMKEC",
        "--msme", str(own.msme), "--coverage", str(own.coverage), "--stability", "10",
    ]  # fmt: skip


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_importing_the_cli_loads_no_heavy_module() -> None:
    code = (
        "import sys, infra_gap.cli.main;"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_importing_the_library_leaves_the_environment_alone() -> None:
    code = (
        "import os, json; before = dict(os.environ);"
        "import infra_gap, infra_gap.io, infra_gap.analysis.pipeline;"
        "import infra_gap.analysis.inputs, infra_gap.cli.main;"
        "from infra_gap import Layers;"  # the lazy names load their modules
        "after = dict(os.environ);"
        "print(json.dumps(sorted(set(before.items()) ^ set(after.items()))))"
    )
    from infra_gap.hardening import HARDENED_ENV

    env = {k: v for k, v in os.environ.items() if k not in HARDENED_ENV}
    env["GDAL_HTTP_PROXY"] = "http://proxy.example:3128"  # a notebook user's own setting
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_hardened_env_is_a_context_that_restores() -> None:
    from infra_gap.hardening import HARDENED_ENV, hardened_env

    code = (
        "import os; from infra_gap.hardening import hardened_env;"
        "os.environ['GDAL_HTTP_PROXY'] = 'http://p:1'; os.environ.pop('GDAL_SKIP', None)\n"
        "with hardened_env():\n"
        "    inside = (os.environ.get('GDAL_SKIP'), os.environ.get('GDAL_HTTP_PROXY'))\n"
        "print(inside[0] is not None and 'VRT' in inside[0], inside[1],"
        " os.environ.get('GDAL_SKIP'), os.environ.get('GDAL_HTTP_PROXY'))"
    )
    proc = _python(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "None", "None", "http://p:1"]
    assert "VRT" in HARDENED_ENV["GDAL_SKIP"]
    assert callable(hardened_env)


def test_the_app_never_imports_the_cli() -> None:
    files = sorted((ROOT / "infra_gap" / "app").rglob("*.py"))
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            bad = [n for n in names if n.split(".")[:2][-1].startswith("cli")]
            assert not bad, f"{path.name} imports {bad}"


def test_version() -> None:
    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0
    assert res.stdout.strip() == f"infra-gap {__version__}"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rank", "--sep", "|"], "--sep must be ',' or ';'"),
        (["rank", "--level", "provinsi"], "--level must be one of"),
        (["rank", "--out", "x.docx"], "--out must end in"),
        (["rank", "--msme", "{msme}"], "--msme needs --areas"),
        (["dossier", "--out", "d.pdf", "--lang", "fr"], "--lang must be one of"),
        (["sites", "--out", "s.csv", "--within", "12.14", "--area", "12.04"], "not both"),
        (["sites", "--out", "s.csv", "--sep", "|"], "--sep must be"),
        (["national", "rank", "--within", "12.14"], "province code"),
    ],
)
def test_usage_errors_exit_2_before_any_work(
    own: OwnFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    def no_work(*_a: object, **_k: object) -> None:
        msg = "data were read before the options were checked"
        raise AssertionError(msg)

    monkeypatch.setattr("infra_gap.synthetic.demo.load_demo", no_work)
    monkeypatch.setattr("infra_gap.analysis.inputs.load_layers", no_work)
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, [a.format(msme=own.msme) for a in args])
    assert res.exit_code == 2, res.output
    assert message in res.stderr
    assert res.stdout == ""
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not list(tmp_path.iterdir())  # nothing written


def test_bad_sep_in_a_fresh_process_has_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "infra_gap", "rank", "--sep", "|", "--out", str(tmp_path / "x.csv")],
        capture_output=True, text=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "--sep must be ',' or ';'" in proc.stderr


def test_out_dash_puts_only_the_csv_on_stdout(own: OwnFiles) -> None:
    res = CliRunner().invoke(app, ["rank", *_kec(own), "--out", "-"])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(io.StringIO(res.stdout.lstrip("\ufeff")), dtype={"kode": str})
    assert len(table) == 4
    assert table["kode"].str.startswith("12.71.").all()
    assert "rows: msme read" in res.stderr  # the summary moved to stderr
    assert "rows:" not in res.stdout


def test_messages_warnings_and_verbosity(own: OwnFiles, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    args = ["rank", *_kec(own), "--weight", "msme_uncovered=1", "--weight", "island=1"]
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "warning: weighted indicator(s) not in this data" in res.stderr
    assert "warning:" not in res.stdout
    assert "rows: msme read 25" in res.stdout
    quiet = CliRunner().invoke(app, ["-q", *args, "--out", str(out), "--overwrite"])
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == ""
    assert "warning: weighted indicator(s)" in quiet.stderr  # warnings stay
    loud = CliRunner().invoke(app, [*args, "--out", str(out), "--overwrite", "-v"])
    assert "Reading the inputs:" in loud.stderr
    assert "Computing the indicators:" in loud.stderr


def test_existing_output_is_refused_unless_overwrite(own: OwnFiles, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.write_text("keep me", encoding="utf-8")
    res = CliRunner().invoke(app, ["rank", *_kec(own), "--out", str(out)])
    assert res.exit_code == 1
    assert f"error [E_OUTPUT_FILE]: {out}: exists; add --overwrite" in res.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    res = CliRunner().invoke(app, ["rank", *_kec(own), "--out", str(out), "--overwrite"])
    assert res.exit_code == 0, res.output
    assert out.read_text(encoding="utf-8-sig").startswith("rank,kode,nama")


@pytest.mark.parametrize("command", ["rank", "sites"])
def test_an_input_is_never_overwritten_by_the_output(
    own: OwnFiles, tmp_path: Path, command: str
) -> None:
    msme = tmp_path / "umkm.csv"  # the register, then --out umkm.csv --overwrite by mistake
    msme.write_bytes(own.msme.read_bytes())
    before = msme.read_bytes()
    args = [str(msme) if a == str(own.msme) else a for a in _kec(own)]
    if command == "sites":
        args = [*args[: args.index("--stability")], "--count", "1"]
    res = CliRunner().invoke(app, [command, *args, "--out", str(msme), "--overwrite"])
    assert res.exit_code == 1
    assert f"error [E_OUTPUT_FILE]: {msme}: is the --msme input" in res.stderr
    assert msme.read_bytes() == before


def test_output_under_a_file_is_a_clear_error(own: OwnFiles, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "r.csv"
    res = CliRunner().invoke(app, ["rank", *_kec(own), "--out", str(out)])
    assert res.exit_code == 1
    assert f"error [E_OUTPUT_FILE]: {out}" in res.stderr
    assert "Traceback" not in res.output


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_files_follow_the_umask(tmp_path: Path, mask: int) -> None:
    from infra_gap.io import write_bytes

    old = os.umask(mask)
    try:
        write_bytes(b"x", tmp_path / "f.csv")
    finally:
        os.umask(old)
    assert (tmp_path / "f.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_failed_write_leaves_nothing_under_the_final_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from infra_gap.io import write_bytes

    def read_only(*_a: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(OutputFileError, match=r"r\.csv: cannot write: Permission denied"):
        write_bytes(b"data", tmp_path / "r.csv")
    assert list(tmp_path.iterdir()) == []  # no final file, no temporary left


def test_one_name_for_the_code_filter_old_names_hidden() -> None:
    for args in (["sites", "--help"], ["national", "rank", "--help"], ["rank", "--help"]):
        res = CliRunner().invoke(app, args, terminal_width=200)
        assert "--within" in res.stdout
        assert "--area " not in res.stdout
        assert "--province" not in res.stdout
