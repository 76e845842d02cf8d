"""Own files on the Dask engine: ``workload build`` and ``rank --engine dask`` equal ``rank``.

The files are an office's (``tests/office_workload.py``): BIG-style columns, UTM, a ``;``
decimal-comma Latin-1 register with one row of each rejection, boundaries that overlap
across the two kabupaten partitions, towers and speed tiles.  Dask runs on its synchronous
scheduler or an in-process LocalCluster, to stay cheap.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from infra_gap.analysis import pipeline
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.cli.main import app
from infra_gap.config import EvidenceParams
from infra_gap.io.msme_lean import read_msme_points
from infra_gap.io.msme_stream import iter_msme_chunks
from infra_gap.national.build import BuildResult, build_workload, choose_partitioning
from infra_gap.national.engine import engine_spec
from infra_gap.national.partitions import workload_table
from infra_gap.national.workload import is_built, read_workload
from tests.office_workload import OfficeWorkload, build

NAME_COL = {"kecamatan": "NMKEC", "desa": "NAMOBJ"}
SYNC = engine_spec("dask", scheduler="synchronous")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> OfficeWorkload:
    return build(tmp_path_factory.mktemp("office"))


def _paths(office: OfficeWorkload, level: str) -> InputPaths:
    return InputPaths(
        areas=office.kec if level == "kecamatan" else office.desa, msme=office.msme,
        level=level, coverage=office.coverage, towers=office.towers,
        speed_tiles=office.tiles, backbone=office.backbone, name_col=NAME_COL[level],
    )  # fmt: skip


@pytest.fixture(scope="module", params=["kecamatan", "desa"])
def built(
    request: pytest.FixtureRequest, office: OfficeWorkload, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, BuildResult, pipeline.PointFacts, pd.DataFrame]:
    level = request.param
    calls: list[tuple[int, int]] = []
    out = tmp_path_factory.mktemp(f"wl-{level}")
    # 512-byte chunks: the register streams in several pieces.
    result = build_workload(
        _paths(office, level), out, by="kabupaten", chunk_bytes=512,
        progress=lambda r, p: calls.append((r, p)),
    )  # fmt: skip
    assert len(calls) > 3
    assert calls[-1] == (office.msme_rows, result.accounts[0].used)
    layers = load_layers(_paths(office, level)).layers
    facts = pipeline.place_and_cover(layers, covered_min=1.0)
    local = pipeline.indicator_table(layers, facts, level=level)
    return level, result, facts, local


def test_build_accounts_rows_as_rank_does(built: tuple) -> None:
    level, result, facts, _ = built
    assert result.accounts == facts.accounts
    msme = result.accounts[0]
    assert msme.read == msme.used + msme.rejected
    pd.testing.assert_frame_equal(result.rejected, facts.rejected.astype("str"))
    reasons = set(result.rejected["reason"])
    assert {"non-numeric coordinate", "missing coordinate", "outside every area"} <= reasons
    wl = read_workload(result.workload.root)
    assert wl.parts == ("12.01", "12.02")
    assert (wl.finest, wl.levels, wl.partition_level) == (level, (level,), "kabupaten")
    assert wl.prior_rejected["msme"] == msme.rejected
    assert is_built(wl.root)


def test_dask_table_equals_local_table(built: tuple) -> None:
    level, result, facts, local = built
    table, accounts = workload_table(result.workload, level=level, spec=SYNC)
    assert accounts == facts.accounts
    pd.testing.assert_frame_equal(table, local)


def test_in_process_local_cluster_gives_the_same_table(built: tuple) -> None:
    distributed = pytest.importorskip("distributed")
    level, result, _, local = built
    if level != "kecamatan":
        pytest.skip("one level is enough for the cluster path")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        table, _ = workload_table(
            result.workload, level=level, spec=engine_spec("dask"), client=client
        )
    pd.testing.assert_frame_equal(table, local)


def test_chunks_validate_as_rank_reads(office: OfficeWorkload) -> None:
    """Chunks of a few hundred bytes keep and reject what rank's reader does, row for row."""
    lean, rejected = read_msme_points(office.msme)
    chunks = list(iter_msme_chunks(office.msme, chunk_bytes=300))
    assert len(chunks) > 3
    points = pd.concat([c.points for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(
        pd.concat([c.rejected for c in chunks], ignore_index=True), rejected
    )
    for col in ("row", "lat", "lon", "x", "y", "online", "kode_area"):
        np.testing.assert_array_equal(points[col].to_numpy(), lean[col].to_numpy())
    assert sum(c.rows for c in chunks) == office.msme_rows


def test_partitioning_by_size() -> None:
    assert choose_partitioning("auto", msme_bytes=10 << 20, provinces=1) == "provinsi"
    assert choose_partitioning("auto", msme_bytes=2 << 30, provinces=2) == "kabupaten"
    assert choose_partitioning("provinsi", msme_bytes=2 << 30, provinces=1) == "provinsi"


def _inputs(office: OfficeWorkload, level: str) -> list[str]:
    areas = office.kec if level == "kecamatan" else office.desa
    return [
        "--areas", str(areas), "--msme", str(office.msme), "--coverage", str(office.coverage),
        "--towers", str(office.towers), "--speedtests", str(office.tiles),
        "--backbone", str(office.backbone), "--name-col", NAME_COL[level],
    ]  # fmt: skip


def _rank(args: list[str], out: Path, rejected: Path) -> None:
    got = CliRunner().invoke(
        app, ["rank", *args, "--draws", "20", "--out", str(out), "--rejected", str(rejected)]
    )
    assert got.exit_code == 0, got.output


def test_cli_build_then_rank_gives_the_local_bytes(office: OfficeWorkload, tmp_path: Path) -> None:
    runner = CliRunner()
    wl = tmp_path / "wl"
    got = runner.invoke(
        app, ["workload", "build", *_inputs(office, "kecamatan"), "--by", "kabupaten",
              "--out", str(wl), "--rejected", str(tmp_path / "build-rejected.csv")],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "rows: msme read 128, placed 122, rejected 6" in got.output
    _rank(_inputs(office, "kecamatan"), tmp_path / "local.csv", tmp_path / "local-rej.csv")
    dask = ["--engine", "dask", "--scheduler", "synchronous", "--workload", str(wl)]
    _rank(dask, tmp_path / "dask.csv", tmp_path / "dask-rej.csv")
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    assert (tmp_path / "dask-rej.csv").read_bytes() == (tmp_path / "local-rej.csv").read_bytes()
    loop = ["--engine", "local", "--workload", str(wl)]  # the partitions in a plain loop
    _rank(loop, tmp_path / "loop.csv", tmp_path / "loop-rej.csv")
    assert (tmp_path / "loop.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    assert (tmp_path / "build-rejected.csv").read_bytes() == (
        tmp_path / "local-rej.csv"
    ).read_bytes()


def test_cli_rank_dask_takes_own_files(office: OfficeWorkload, tmp_path: Path) -> None:
    _rank(_inputs(office, "desa"), tmp_path / "local.csv", tmp_path / "local-rej.csv")
    dask = [*_inputs(office, "desa"), "--engine", "dask", "--scheduler", "synchronous"]
    _rank(dask, tmp_path / "dask.csv", tmp_path / "dask-rej.csv")
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    assert (tmp_path / "dask-rej.csv").read_bytes() == (tmp_path / "local-rej.csv").read_bytes()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["workload", "build", "--out", "x"], "needs --areas"),
        (["rank", "--engine", "dask", "--workload", ".", "--areas", "README.md"], "not both"),
        (
            [
                "workload",
                "build",
                "--out",
                "infra_gap",
                "--areas",
                "README.md",
                "--msme",
                "README.md",
            ],
            "new or empty folder",
        ),
        (["workload", "build", "--out", "x", "--by", "desa"], "--by must be one of"),
    ],
)
def test_usage_errors(args: list[str], needle: str) -> None:
    got = CliRunner().invoke(app, args)
    assert got.exit_code == 2, got.output
    assert needle in got.output


def test_without_coverage_or_towers_as_rank(office: OfficeWorkload, tmp_path: Path) -> None:
    paths = InputPaths(areas=office.kec, msme=office.msme, level="kecamatan", name_col="NMKEC")
    result = build_workload(paths, tmp_path / "wl", by="provinsi")
    assert any("no coverage raster and no towers" in n for n in result.notes)
    layers = load_layers(paths).layers
    facts = pipeline.place_and_cover(layers, covered_min=1.0)
    local = pipeline.indicator_table(layers, facts, level="kecamatan")
    table, _ = workload_table(result.workload, level="kecamatan", spec=SYNC)
    pd.testing.assert_frame_equal(table, local)
    assert result.workload.parts == ("12",)


def test_workload_on_object_storage_urls(office: OfficeWorkload, tmp_path: Path) -> None:
    """memory:// (fsspec's in-memory filesystem) and file:// workloads rank as a folder does."""
    fsspec = pytest.importorskip("fsspec")
    from infra_gap.national.partitions import partition_facts, read_partition

    runner = CliRunner()
    url = f"memory://infra-gap-test-{tmp_path.name}/wl"
    args = ["workload", "build", *_inputs(office, "kecamatan"), "--by", "kabupaten"]
    got = runner.invoke(app, [*args, "--out", url])
    assert got.exit_code == 0, got.output
    assert runner.invoke(app, [*args, "--out", url]).exit_code == 2  # not empty any more
    local = tmp_path / "wl"
    assert runner.invoke(app, [*args, "--out", str(local)]).exit_code == 0
    for root in (url, f"file://{local}"):
        wl = read_workload(root)
        assert wl.root == root
        table, _ = workload_table(wl, level="kecamatan", spec=SYNC)
        pd.testing.assert_frame_equal(
            table, workload_table(read_workload(local), level="kecamatan", spec=SYNC)[0]
        )
    # A worker reads only its partition: with 12.02's files gone, 12.01 still computes.
    fs = fsspec.filesystem("memory")
    for layer in ("msme", "kecamatan", "speed_tiles"):
        fs.rm(f"{url}/{layer}/part=12.02", recursive=True)
    wl = read_workload(url)
    facts = partition_facts(
        read_partition("12.01", root=url, crs=wl.crs, level="kecamatan"), wl=wl,
        covered_min=1.0, levels=("kecamatan",), params=EvidenceParams(),
    )  # fmt: skip
    assert set(facts["kode"]) >= {"12.01.01", "12.01.02", "12.01.03"}
    fs.rm(url.rsplit("/", 1)[0], recursive=True)
    dask = ["rank", "--engine", "dask", "--scheduler", "synchronous", "--workload", url]
    missing = runner.invoke(app, [*dask, "--out", str(tmp_path / "x.csv")])
    assert missing.exit_code == 1
    assert "manifest.json: file not found" in missing.output


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import openpyxl

    book = openpyxl.load_workbook(path)  # not read-only: that keeps the file open
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_xlsx_from_a_workload_equals_the_local_one(office: OfficeWorkload, tmp_path: Path) -> None:
    """Every sheet, the rejected rows and the row accounting included."""
    args = [*_inputs(office, "kecamatan"), "--draws", "20"]
    runner = CliRunner()
    for name, extra in (
        ("local", []),
        ("dask", ["--engine", "dask", "--scheduler", "synchronous"]),
    ):
        got = runner.invoke(app, ["rank", *args, *extra, "--out", str(tmp_path / f"{name}.xlsx")])
        assert got.exit_code == 0, got.output
    local, dask = _cells(tmp_path / "local.xlsx"), _cells(tmp_path / "dask.xlsx")
    assert "Data ditolak" in dask
    assert dask == local
