"""Text from files made safe to print (issue #19, item 6)."""

from __future__ import annotations

from infra_gap.text.safe import binary_kind, printable


def test_control_bytes_are_escaped_and_long_runs_shortened():
    text = "umkm.csv: got 2: \x0e\x0f" + "\x01" * 500 + "abc\u200bdef"
    out = printable(text)
    assert "\\x0e\\x0f" in out
    assert "[494 more non-text characters]" in out
    assert "\x01" not in out
    assert "abc\\u200bdef" in out  # a zero-width space is shown, not hidden


def test_plain_text_and_its_length_cap():
    assert printable("Kecamatan Lahusa, baris 3\nkolom LINTANG") == (
        "Kecamatan Lahusa, baris 3\nkolom LINTANG"
    )
    assert printable("x" * 1000, limit=50) == "x" * 49 + "\u2026"


def test_binary_files_are_told_from_text():
    assert binary_kind(b"\x89PNG\r\n\x1a\n....") == "PNG image"
    assert binary_kind(b"SQLite format 3\x00...") == "SQLite or GeoPackage database"
    assert binary_kind(b"nama;lintang\nUsaha\x00 1;3,4\n") == "binary data"
    assert (
        binary_kind("nama;lintang;bujur\nKedai Kopi Sibolga;1,7;98,8\n".encode("latin-1")) is None
    )
    assert binary_kind("a,b\n1,2\n".encode("utf-16")) is None  # UTF-16 text, not binary
