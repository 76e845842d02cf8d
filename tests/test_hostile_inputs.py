"""Every reader answers a hostile or faulty file with a stable code, never a traceback.

The corpus (``tests/hostile_corpus.py``) is generated in code.  Each case runs in this
process and must end in an :class:`~infra_gap.errors.InfraGapError` with one of its
expected codes (or read cleanly, with every row kept or rejected).  Memory: the whole
corpus also runs in one child process whose address space is capped at 1.5 GB above its
start (the issue's budget per case), so an allocation that grows with a declared size
fails the test instead of the machine.  Time and peak memory per case: ``bench/bench_hostile.py``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable

import pyarrow as pa
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra_gap import io
from infra_gap.errors import InfraGapError, LimitError
from infra_gap.io import budget
from infra_gap.ranking.scenario import scenario_from_bytes
from tests.hostile_corpus import CASES, run_case


@pytest.mark.catalogue("C1", "D7", "F11")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_hostile_input_gives_a_stable_code(case, monkeypatch):
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)
    assert run_case(case) in case.expect


def test_limit_errors_name_the_limit_and_the_value(monkeypatch):
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_table_rows=3")
    data = b"lat,lon\n" + b"2.0,98.0\n" * 4
    with pytest.raises(LimitError) as err:
        io.read_msme_table(data, name="umkm.csv")
    assert (err.value.code, err.value.limit, err.value.value) == ("E_LIMIT", "max_table_rows", 4)
    assert "umkm.csv" in str(err.value)
    assert "max_table_rows = 3" in str(err.value)


def test_an_unknown_limit_in_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_everything=1")
    with pytest.raises(InfraGapError, match="INFRA_GAP_LIMITS"):
        io.read_msme_table(b"lat,lon\n2,98\n", name="umkm.csv")


def test_a_native_out_of_memory_is_e_limit():
    native = "std::bad_alloc"  # what GEOS raises when shapely.points cannot allocate
    with pytest.raises(LimitError) as err, budget.reading("umkm.csv", "MSME points"):
        raise shapely.errors.GEOSException(native)
    assert (err.value.code, err.value.limit) == ("E_LIMIT", "worker_memory_bytes")


def test_no_room_for_a_reader_thread_is_e_limit_not_a_bad_file():
    # Arrow's CSV reader under the upload worker's address-space cap, on a well-formed file
    said = "Unknown error: Failed to launch worker thread: Resource temporarily unavailable"
    with pytest.raises(LimitError) as err, budget.reading("umkm.csv", "a table"):
        raise pa.ArrowException(said)
    assert (err.value.code, err.value.limit) == ("E_LIMIT", "worker_memory_bytes")


# Each case in a child process whose address space is capped 1.5 GB above its start: a
# case that needs more fails with MemoryError, which the readers report as E_LIMIT with
# the limit ``worker_memory_bytes``, so the child lists those separately.
_MEMORY_CHILD = textwrap.dedent(
    """
    import resource
    from infra_gap.errors import InfraGapError, LimitError
    from tests.hostile_corpus import CASES, build, read
    cases = [(c, build(c)) for c in CASES if not c.env]  # lowered limits: tested in process
    base = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
    cap = base + int(1.5 * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    bad = []
    for case, data in cases:
        try:
            read(case, data)
            code, limit = "ok", ""
        except InfraGapError as err:
            code, limit = err.code, getattr(err, "limit", "")
        if code not in case.expect or limit == "worker_memory_bytes":
            bad.append((case.name, code, limit))
    print("BAD", bad)
    """
)


def test_the_corpus_stays_under_1_5_gb_each():
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "BAD []" in out.stdout, out.stdout


# --- property tests: CSV, TOML and quadkey readers never fail uncoded -------------------


def _outcome(call: Callable[[], object]) -> str:
    """``"ok"`` or the code of the InfraGapError raised; anything else propagates."""
    try:
        call()
    except InfraGapError as err:
        return err.code
    return "ok"


_CODES = {"ok", "E_DATA", "E_SCHEMA", "E_INPUT_FILE", "E_LIMIT", "E_SECURITY", "E_SCORING"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_as_a_csv_register_read_or_coded(data):
    assert _outcome(lambda: io.read_msme_table(b"lat;lon\n" + data, name="umkm.csv")) in _CODES


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("[]{}=\"'#,.ab1\n "), max_size=300))
def test_any_toml_text_parses_or_is_coded(text):
    assert _outcome(lambda: scenario_from_bytes(text.encode())) in _CODES


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=30))
def test_any_quadkey_text_reads_or_is_coded(quadkey):
    tile = "POLYGON((98 2,98.01 2,98.01 2.01,98 2.01,98 2))"
    row = ",".join(['"' + quadkey.replace('"', '""') + '"', f'"{tile}"', "1", "1", "1", "1", "1"])
    data = f"quadkey,tile,avg_d_kbps,avg_u_kbps,avg_lat_ms,tests,devices\n{row}\n".encode()
    code = _outcome(lambda: io.read_speed_tiles(data, name="tiles.csv"))
    assert code in {"ok", "E_DATA", "E_INPUT_FILE"}
    if code == "ok":  # only a real quadkey is kept
        assert 1 <= len(quadkey.strip()) <= 23
        assert set(quadkey.strip()) <= set("0123")
