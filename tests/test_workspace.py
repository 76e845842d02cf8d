"""Workspaces in a real database: the same operations on SQLite and on PostgreSQL.

PostgreSQL is started by the test from Debian's `postgresql` package (initdb + pg_ctl as the
`postgres` user, in a temporary folder, on a loopback port); the PostgreSQL cases are skipped,
with the reason, only where that cannot be done.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra_gap.workspace import (
    ConflictError,
    Store,
    WorkspaceError,
    database_url,
    open_store,
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL server on 127.0.0.1, stopped and removed afterwards."""
    bin_dir = _pg_bin()
    if bin_dir is None and os.environ.get("CI"):
        pytest.fail("PostgreSQL is missing in CI: .ci/debian-deps should have installed it")
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (Debian package `postgresql`, .ci/debian-deps)")
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("starting PostgreSQL needs root (to run it as the `postgres` user)")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("the `postgres` user does not exist (Debian package `postgresql`)")
    root = Path(tempfile.mkdtemp(prefix="infra-gap-pg-"))
    data = root / "data"
    shutil.chown(root, "postgres")
    as_pg = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*as_pg, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
         "--no-sync", "-E", "UTF8"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = subprocess.run(
        [*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
         str(root / "log"), "-w", "-t", "60", "start"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if started.returncode != 0:
        log = (root / "log").read_text() if (root / "log").exists() else started.stderr
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {log}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_pg, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    else:
        url = request.getfixturevalue("postgres_url")
    s = open_store(url)
    assert s.dialect == request.param
    yield s
    if request.param == "postgresql":  # one server for the module: leave it empty
        from infra_gap.workspace import metadata

        metadata.drop_all(s.engine)
        with s.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS infra_gap_schema")
    s.engine.dispose()


def test_items_last_and_a_second_editor_cannot_overwrite_silently(store):
    ws = store.workspace("Usulan BAKTI 2026")
    assert store.workspace("  Usulan  BAKTI 2026 ") == ws  # same project, spaces tidied
    first = store.put(ws, "checklist", "12.14.31", "lahan", "hibah pemda", expected=0, editor="A")
    assert first.version == 1
    # B read version 1 too; A saves again; B's write on version 1 must be refused.
    store.put(ws, "checklist", "12.14.31", "lahan", "hibah desa", expected=1, editor="A")
    with pytest.raises(ConflictError) as err:
        store.put(ws, "checklist", "12.14.31", "lahan", "sewa", expected=1, editor="B")
    assert err.value.code == "E_CONFLICT"
    assert err.value.current is not None
    assert err.value.current.value == "hibah desa"
    assert err.value.current.updated_by == "A"
    assert store.get(ws, "checklist", "12.14.31", "lahan").value == "hibah desa"
    # two editors creating the same new item: the second is told, not overwritten
    store.put(ws, "note", "12.14.31", "", "jalan rusak", expected=0)
    with pytest.raises(ConflictError):
        store.put(ws, "note", "12.14.31", "", "jalan baik", expected=0)
    # a fresh connection (another server process) sees what was saved
    again = open_store(str(store.engine.url.render_as_string(hide_password=False)))
    assert again.get(ws, "note", "12.14.31").value == "jalan rusak"
    assert again.schema_version() == 1
    again.engine.dispose()


def test_workspaces_are_separate(store):
    a, b = store.workspace("Usulan BAKTI 2026"), store.workspace("Kajian Nias")
    store.put(a, "checklist", "12.04.01", "penjaga", "ada", expected=0)
    assert store.items(b, "checklist") == {}
    assert set(store.items(a, "checklist")) == {("12.04.01", "penjaga")}
    assert store.names() == ["Kajian Nias", "Usulan BAKTI 2026"]


def test_export_then_import_into_another_workspace(store):
    ws = store.workspace("Usulan BAKTI 2026")
    store.put(ws, "checklist", "12.14.31", "status_3t", "3T", expected=0)
    store.put(ws, "scenario", "remote", "", 'level = "kecamatan"\n', expected=0)
    store.put(ws, "view", "", "", "level=kecamatan&kab=12.04,12.14", expected=0)
    data = store.export_workspace(ws)
    doc = json.loads(data)
    assert doc["workspace"] == "Usulan BAKTI 2026"
    assert len(doc["items"]) == 3
    copy, n = store.import_workspace(data, name="Salinan")
    assert n == 3
    assert copy != ws
    assert store.get(copy, "checklist", "12.14.31", "status_3t").value == "3T"
    assert store.get(copy, "view", "").value == "level=kecamatan&kab=12.04,12.14"
    # importing the same file again changes nothing; an item edited since is a conflict
    store.import_workspace(data, name="Salinan")
    store.put(copy, "checklist", "12.14.31", "status_3t", "bukan 3T", expected=1)
    store.put(copy, "checklist", "12.14.31", "status_3t", "bukan 3T lagi", expected=2)
    with pytest.raises(ConflictError):
        store.import_workspace(data, name="Salinan")
    assert store.get(copy, "checklist", "12.14.31", "status_3t").value == "bukan 3T lagi"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b'{"format": "something-else"}',
        b'{"format": "infra-gap-workspace", "format_version": 1, "workspace": "x", "items": 3}',
        b'{"format": "infra-gap-workspace", "format_version": 1, "workspace": "x",'
        b' "items": [{"kind": "secret", "key": "", "field": "", "value": "", "version": 1}]}',
    ],
)
def test_a_bad_workspace_file_is_refused_with_nothing_written(tmp_path, data):
    s = open_store(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    with pytest.raises(WorkspaceError) as err:
        s.import_workspace(data)
    assert "\x89" not in str(err.value)  # binary garbage is never echoed
    assert s.names() == []


def test_bad_names_and_urls():
    with pytest.raises(WorkspaceError):
        open_store("not a url")
    s = open_store("sqlite://")
    for name in ("", "   ", "x" * 500, "a\x07b"):
        with pytest.raises(WorkspaceError):
            s.workspace(name)


def test_database_url_defaults_to_sqlite_beside_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("INFRA_GAP_DB", raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path.resolve() / 'workspaces.sqlite'}"
    monkeypatch.setenv("INFRA_GAP_DB", "postgresql+psycopg://u@db:5432/x")
    assert database_url(tmp_path) == "postgresql+psycopg://u@db:5432/x"
