"""MSME registers read in chunks give the same results as read whole (issues 20 and 22).

The fixture is a desa file shaped like a BIG delivery (``KDEPUM``, ``NAMOBJ``, UTM 47N)
with two overlapping desa and a shared edge, and a register as office staff export it
(``;``, decimal comma, Latin-1) holding every kind of row: placed, placed by code, on an
edge, in the overlap, outside every area, swapped, blank, non-numeric, out of range.  The
whole ``rank`` command runs with ``chunk_rows`` = 7 and with the default, and writes the
same ranking and the same rejected rows.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from shapely.geometry import box
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.cli.main import app
from infra_gap.point_frames import as_points, is_lean, point_xy

UTM = "EPSG:32647"
X0, Y0, SIDE = 460_000.0, 395_000.0, 2_000.0
# Four desa in a row; 1002 reaches 500 m into 1003 (an overlap: the lowest code wins).
DESA = [
    ("12.71.01.1001", box(X0, Y0, X0 + SIDE, Y0 + SIDE)),
    ("12.71.01.1002", box(X0 + SIDE, Y0, X0 + 2 * SIDE + 500, Y0 + SIDE)),
    ("12.71.01.1003", box(X0 + 2 * SIDE, Y0, X0 + 3 * SIDE, Y0 + SIDE)),
    ("12.71.02.1001", box(X0 + 3 * SIDE, Y0, X0 + 4 * SIDE, Y0 + SIDE)),
]


def _degrees(x: float, y: float) -> tuple[str, str]:
    p = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=UTM).to_crs(4326).iloc[0]
    return f"{p.y:.7f}".replace(".", ","), f"{p.x:.7f}".replace(".", ",")


def _register(folder: Path) -> tuple[Path, pd.DataFrame]:
    rows = []
    for i in range(40):  # ordinary points along the strip, a few per desa
        x = X0 + 100 + i * (4 * SIDE - 200) / 39
        lat, lon = _degrees(x, Y0 + 300 + (i % 5) * 300)
        rows.append((f"U{i:03d}", "", lat, lon, "ya" if i % 3 else "tidak", "dagang"))
    edge = _degrees(X0 + SIDE, Y0 + SIDE / 2)  # on the 1001|1002 edge
    overlap = _degrees(X0 + 2 * SIDE + 250, Y0 + SIDE / 2)  # inside 1002 and 1003
    outside = _degrees(X0 - 5_000, Y0 + SIDE / 2)
    lat_o, lon_o = _degrees(X0 + 500, Y0 + 500)
    rows += [
        ("E1", "", *edge, "ya", "jasa"),
        ("O1", "", *overlap, "tidak", "jasa"),
        ("X1", "", *outside, "ya", "jasa"),
        ("S1", "", lon_o, lat_o, "ya", "jasa"),  # lat and lon swapped
        ("B1", "12.71.01.1003", "", "", "ya", "jasa"),  # no coordinates: placed by code
        ("B2", "12.71.09.9999", "", "", "ya", "jasa"),  # unknown code
        ("B3", "", "", "", "tidak", "jasa"),  # blank, no code
        ("N1", "", "dua", lon_o, "ya", "jasa"),
        ("R1", "", "95,5", lon_o, "ya", "jasa"),
        ("Ñ1", "", lat_o, lon_o, "ya", "kerajinan"),
    ]
    frame = pd.DataFrame(
        rows, columns=["ID_UMKM", "KODE_DESA", "LINTANG", "BUJUR", "ONLINE", "SEKTOR"]
    )
    path = folder / "umkm.csv"
    path.write_bytes(frame.to_csv(sep=";", index=False).encode("latin-1"))
    return path, frame


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    desa = folder / "desa.gpkg"
    gpd.GeoDataFrame(
        {
            "KDEPUM": [c for c, _ in DESA],
            "NAMOBJ": ["Hulu", "Tengah", "Hilir", "Seberang"],
            "WADMKC": ["Medan Tuntungan"] * 3 + ["Medan Johor"],
        },
        geometry=[g for _, g in DESA],
        crs=UTM,
    ).to_file(desa, layer="ADMINISTRASIDESA_AR")
    msme, frame = _register(folder)
    parquet = folder / "umkm.parquet"
    frame.to_parquet(parquet)
    cov = folder / "cov.tif"
    with rasterio.open(
        cov, "w", driver="GTiff", width=4, height=1, count=1, dtype="uint8", crs=UTM,
        transform=Affine(SIDE, 0, X0, 0, -SIDE, Y0 + SIDE), nodata=255,
    ) as dst:  # fmt: skip
        dst.write(np.array([[1, 0, 255, 1]], dtype="uint8"), 1)
    return {"desa": desa, "msme": msme, "parquet": parquet, "cov": cov, "rows": len(frame)}


def _rank(office, out: Path, msme: Path) -> str:
    result = CliRunner().invoke(
        app,
        [
            "rank",
            "--level",
            "desa",
            "--areas",
            str(office["desa"]),
            "--msme",
            str(msme),
            "--coverage",
            str(office["cov"]),
            "--stability",
            "20",
            "--out",
            str(out / "r.csv"),
            "--rejected",
            str(out / "rejected.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["msme", "parquet"])
def test_rank_in_chunks_of_7_equals_whole(office, tmp_path, monkeypatch, fmt):
    whole, chunked = tmp_path / "whole", tmp_path / "chunked"
    whole.mkdir()
    chunked.mkdir()
    said = _rank(office, whole, office[fmt])
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7")
    said_chunked = _rank(office, chunked, office[fmt])
    for name in ("r.csv", "rejected.csv"):
        assert (whole / name).read_bytes() == (chunked / name).read_bytes(), name
    accounting = [line for line in said.splitlines() if line.startswith("rows:")]
    assert accounting == [line for line in said_chunked.splitlines() if line.startswith("rows:")]
    n = office["rows"]
    # rows in = used + rejected: outside, swapped, unknown code, blank, non-numeric, range
    assert f"msme read {n}, placed {n - 6}, rejected 6" in said
    rejected = pd.read_csv(chunked / "rejected.csv", dtype=str)
    first = 2 if fmt == "msme" else 1  # a CSV's first data row is line 2
    by_row = dict(zip(rejected["row"].astype(int) - first, rejected["reason"], strict=True))
    assert by_row[42] == "outside every area"
    assert "swapped" in by_row[43]
    assert by_row[45] == "unknown area code (no coordinates)"
    assert by_row[46] == "missing coordinate"
    assert by_row[47] == "non-numeric coordinate"
    assert by_row[48] == "coordinate out of range"
    ranked = pd.read_csv(chunked / "r.csv", dtype={"kode": str}).set_index("kode")
    # 1001 keeps the edge point, 1002 the overlap point; 1003 the point placed by code
    totals = ranked["msme_total"]
    assert totals.sum() == n - 6
    assert totals["12.71.01.1003"] >= 1


@pytest.mark.catalogue("F11")
def test_lean_register_matches_points_in_any_chunking(office, monkeypatch):
    lean, rejected = io.read_msme_points(office["msme"])
    assert is_lean(lean)
    assert lean["row"].dtype == np.int64
    assert lean["sektor"].dtype == "category"
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7")
    lean7, rejected7 = io.read_msme_points(office["msme"])
    pd.testing.assert_frame_equal(lean, lean7)
    pd.testing.assert_frame_equal(rejected, rejected7)
    assert len(lean) + len(rejected) == office["rows"]
    points, rejected_pts = io.read_msme_table(office["msme"])
    pd.testing.assert_frame_equal(rejected, rejected_pts)
    x, y = point_xy(lean)
    np.testing.assert_array_equal(x, points.geometry.x.to_numpy())
    np.testing.assert_array_equal(y, points.geometry.y.to_numpy())
    assert points["row"].tolist() == as_points(lean)["row"].tolist()
    assert "umkm_id" not in lean  # unused text is not kept


def test_a_bad_flag_names_its_file_line_in_any_chunk(office, tmp_path, monkeypatch):
    text = office["msme"].read_bytes().decode("latin-1").splitlines()
    text[20] = text[20].replace(";ya;", ";mungkin;").replace(";tidak;", ";mungkin;")
    path = tmp_path / "umkm.csv"
    path.write_bytes(("\n".join(text) + "\n").encode("latin-1"))
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7")
    with pytest.raises(Exception, match=r"row 21, column 'ONLINE'") as err:
        io.read_msme_points(path)
    assert getattr(err.value, "code", None) == "E_SCHEMA"


def test_plain_chunks_taken_from_arrow_equal_the_rules_read_whole(tmp_path, monkeypatch):
    from infra_gap.io import msme_lean

    rows = [f"U{i},{2.5 + i * 1e-4:.6f},{98.6 + i * 1e-4:.6f},{'True' if i % 2 else 'ya'},jasa"
            for i in range(35)]  # fmt: skip
    rows[8] = rows[8].replace(",ya,", ", ya ,")  # a flag to trim: chunk 2 by the rules
    rows[16] = rows[16].replace(",2.5", ",dua")  # a row to reject: chunk 3 by the rules
    rows[30] = rows[30].replace(",True,", ",FALSE,")  # chunk 5 stays plain (upper case)
    path = tmp_path / "umkm.csv"
    path.write_text("ID_UMKM,lat,lon,online,sektor\n" + "\n".join(rows) + "\n")
    whole, rejected = io.read_msme_points(path)  # one chunk, read whole by pandas
    rules = msme_lean._parse_chunk
    by_rules: list[int] = []

    def counted(frame, first_line, *args, **kwargs):
        by_rules.append(first_line)
        return rules(frame, first_line, *args, **kwargs)

    monkeypatch.setattr(msme_lean, "_parse_chunk", counted)
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7")
    chunked, rejected7 = io.read_msme_points(path)
    pd.testing.assert_frame_equal(whole, chunked)
    pd.testing.assert_frame_equal(rejected, rejected7)
    assert rejected["row"].tolist() == ["18"]  # the line of "dua"
    assert by_rules == [9, 16]  # the first lines of chunks 2 and 3; the others from Arrow


def test_a_raster_declaring_100m_pixels_is_sampled_in_windows(office, tmp_path, monkeypatch):
    # The coverage of the fixture at 10 m pixels inside a sparse 100 x 100 km GeoTIFF:
    # over io.MAX_RASTER_CELLS, so never read whole; windows of 4,096 pixels at most.
    big = tmp_path / "big.tif"
    left, top = X0 - 20_000, Y0 + SIDE + 30_000
    band = np.repeat(np.array([1, 0, 255, 1], dtype="uint8"), 200)
    with rasterio.open(
        big, "w", driver="GTiff", width=10_000, height=10_000, count=1, dtype="uint8",
        crs=UTM, transform=Affine(10, 0, left, 0, -10, top), nodata=255, tiled=True,
        blockxsize=256, blockysize=256, sparse_ok=True, compress="deflate",
    ) as dst:  # fmt: skip
        dst.write(np.tile(band, (200, 1)), 1, window=rasterio.windows.Window(2000, 3000, 800, 200))
    assert io.MAX_RASTER_CELLS < 10_000 * 10_000
    small, windowed = tmp_path / "small", tmp_path / "windowed"
    small.mkdir()
    windowed.mkdir()
    _rank(office, small, office["msme"])
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_window_cells=4096,chunk_rows=7")

    def whole(*args, **kwargs):
        msg = "the large raster was read whole"
        raise AssertionError(msg)

    monkeypatch.setattr(io, "read_geotiff", whole)
    _rank({**office, "cov": big}, windowed, office["msme"])
    a = pd.read_csv(small / "r.csv", dtype={"kode": str})
    b = pd.read_csv(windowed / "r.csv", dtype={"kode": str})
    assert a["msme_uncovered"].sum() > 0
    assert a["msme_coverage_unknown"].sum() > 0
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
    assert (small / "rejected.csv").read_bytes() == (windowed / "rejected.csv").read_bytes()


def test_speed_tiles_in_chunks_of_7_equal_whole_and_name_a_bad_line(tmp_path, monkeypatch):
    sample = (Path(__file__).parent / "data" / "ookla_sample.csv").read_text().splitlines()
    path = tmp_path / "tiles.csv"
    path.write_text("\n".join([sample[0], *(sample[1:] * 4)]) + "\n")
    whole = io.read_speed_tiles(path)
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7")
    chunked = io.read_speed_tiles(path)
    assert len(whole) == 4 * (len(sample) - 1)
    pd.testing.assert_frame_equal(whole.to_wkt(), chunked.to_wkt())
    lines = path.read_text().splitlines()
    lines[16] = lines[16].replace("POLYGON", "POLYGONE", 1)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(Exception, match=r"row 17, column `tile`") as err:
        io.read_speed_tiles(path)
    assert getattr(err.value, "code", None) == "E_DATA"


def test_running_out_of_memory_is_e_limit_not_a_traceback(office, tmp_path, monkeypatch, capsys):
    from infra_gap.cli import main as cli

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(io, "read_msme_points", exhausted)
    argv = ["infra-gap", "rank", "--areas", str(office["desa"]), "--msme", str(office["msme"])]
    monkeypatch.setattr("sys.argv", [*argv, "--out", str(tmp_path / "r.csv")])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 1
    err = capsys.readouterr().err
    assert "error [E_LIMIT]" in err
    assert "chunk_rows" in err
    assert "Traceback" not in err
    assert not (tmp_path / "r.csv").exists()


def test_the_script_ends_at_once_only_after_a_whole_local_rank(office, tmp_path, monkeypatch):
    import subprocess
    import sys

    from infra_gap.cli import main as cli

    args = ["rank", "--areas", str(office["desa"]), "--msme", str(office["msme"])]
    args += ["--coverage", str(office["cov"])]
    monkeypatch.setattr("sys.argv", ["infra-gap", *args, "--out", str(tmp_path / "r.csv")])
    with pytest.raises(SystemExit) as done:  # in-process: main() returns, never os._exit
        cli.main()
    assert done.value.code in (None, 0)
    written = (tmp_path / "r.csv").read_bytes()
    # The script (run(): ends without Python's teardown) flushes the CSV on stdout whole.
    proc = subprocess.run(
        [sys.executable, "-m", "infra_gap", *args, "--out", "-"],
        capture_output=True, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == written
    assert b"rows: msme read" in proc.stderr
    assert b"source: 4G coverage" in proc.stderr  # the last lines of the report


@pytest.mark.parametrize(
    ("tail", "encoding"),
    [
        (b"x" * 15 + "é".encode(), "utf8"),  # a character across two blocks, then ASCII
        # A character cut by a whole ASCII block, the rest after it: not UTF-8.
        (b"x" * 15 + b"\xc3" + b"x" * 16 + b"\xa9", "cp1252"),
        (b"x" * 40 + "Sé".encode("latin-1"), "cp1252"),  # Latin-1 in a later block
        (b"x" * 40, "utf8"),  # ASCII only
    ],
)
def test_the_scan_tells_utf8_across_blocks(tmp_path, monkeypatch, tail, encoding):
    from infra_gap.config import Limits
    from infra_gap.io import msme_lean

    monkeypatch.setattr(msme_lean, "_BLOCK", 16)
    head = b"id;nama;lat;lon\n1;ab" + b"c" * 12  # 32 bytes: two whole blocks
    path = tmp_path / "umkm.csv"
    path.write_bytes(head + tail + b";3,5;98,7\n2;d;3,6;98,8\n")
    rows, found, sep, names = msme_lean._scan_csv(path, "umkm.csv", Limits())
    assert (rows, found, sep, names) == (2, encoding, ";", ["id", "nama", "lat", "lon"])
