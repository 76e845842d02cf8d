"""The one catalogue of UI text, in Bahasa Indonesia (default) and English.

Numbers are formatted per language: ``1.166.918`` and ``12,5%`` in Indonesian.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["DEFAULT_LANG", "LANGS", "TEXT", "fmt_int", "fmt_num", "fmt_pct", "t"]

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"

TEXT: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "app_title": {
            "id": "infra-gap: UMKM tanpa internet di Sumatera Utara",
            "en": "infra-gap: MSMEs without internet in North Sumatra",
        },
        "app_caption": {
            "id": "Daftar prioritas wilayah untuk usulan infrastruktur (BTS 4G BAKTI, backbone).",
            "en": "A priority list of areas for infrastructure requests "
            "(BAKTI 4G towers, backbone).",
        },
        "synthetic_banner": {
            "id": "DEMO SINTETIS: hanya batas wilayah yang data nyata. Titik UMKM, menara, "
            "cakupan 4G, uji kecepatan dan backbone dibuat secara sintetis untuk demonstrasi, "
            "bukan fakta.",
            "en": "SYNTHETIC DEMO: only the boundaries are real data. MSME points, towers, 4G "
            "coverage, speed tests and backbone are generated for demonstration, not facts.",
        },
        "language": {"id": "Bahasa", "en": "Language"},
        "level": {"id": "Tingkat wilayah", "en": "Area level"},
        "level_desa": {"id": "Desa/kelurahan", "en": "Village (desa)"},
        "level_kecamatan": {"id": "Kecamatan", "en": "District (kecamatan)"},
        "level_kabupaten": {"id": "Kabupaten/kota", "en": "Regency/city (kabupaten)"},
        "weights": {"id": "Bobot indikator", "en": "Indicator weights"},
        "weights_help": {
            "id": "Bobot diseimbangkan ulang agar berjumlah 1.",
            "en": "Weights are re-balanced to sum to 1.",
        },
        "map": {"id": "Peta prioritas", "en": "Priority map"},
        "table": {"id": "Daftar peringkat", "en": "Ranked list"},
        "download_csv": {"id": "Unduh CSV", "en": "Download CSV"},
        "col_rank": {"id": "Peringkat", "en": "Rank"},
        "col_kode": {"id": "Kode", "en": "Code"},
        "col_nama": {"id": "Nama", "en": "Name"},
        "col_score": {"id": "Skor", "en": "Score"},
        "metric_msme": {"id": "UMKM", "en": "MSMEs"},
        "metric_uncovered": {"id": "UMKM tanpa 4G", "en": "MSMEs without 4G"},
        "metric_share": {"id": "Porsi tanpa 4G", "en": "Share without 4G"},
        "rows_line": {
            "id": "Baris UMKM: dibaca {read}, ditempatkan {used}, ditolak {rejected}.",
            "en": "MSME rows: read {read}, placed {used}, rejected {rejected}.",
        },
        "placement_rule": {
            "id": "Aturan penempatan: titik masuk ke wilayah yang memuatnya (termasuk di batas); "
            "bila wilayah tumpang-tindih, wilayah dengan kode terkecil yang dipakai.",
            "en": "Placement rule: a point goes to the area that contains it (boundary included); "
            "where areas overlap, the area with the lowest code wins.",
        },
        "legend_score": {"id": "Skor prioritas (0-1)", "en": "Priority score (0-1)"},
        "layer_priority": {"id": "Prioritas", "en": "Priority"},
        "no_data": {"id": "Tidak ada data", "en": "No data"},
        "error": {"id": "Galat", "en": "Error"},
        "sources": {"id": "Sumber data", "en": "Data sources"},
        "synthetic_yes": {"id": "sintetis", "en": "synthetic"},
        "synthetic_no": {"id": "nyata", "en": "real"},
        "loading": {"id": "Memuat data demo...", "en": "Loading demo data..."},
    }
)


def t(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (``"id"`` or ``"en"``).

    Raises
    ------
    KeyError
        For an unknown key or language: a missing string is a bug, never a silent blank.
    """
    return TEXT[key][lang]


def _group(digits: str, sep: str) -> str:
    head, rest = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3 :]
    return sep.join([head, *(rest[i : i + 3] for i in range(0, len(rest), 3))])


def fmt_num(value: float, lang: str, *, decimals: int = 0) -> str:
    """A number with the language's separators; missing values print as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    thousands, point = (".", ",") if lang == "id" else (",", ".")
    out = _group(whole, thousands) + (point + frac if frac else "")
    return ("-" if value < 0 and float(text) != 0 else "") + out


def fmt_int(value: float, lang: str) -> str:
    """An integer with thousands separators: ``1.166.918`` (id), ``1,166,918`` (en)."""
    return fmt_num(value, lang, decimals=0)


def fmt_pct(share: float, lang: str, *, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage: ``12,5%`` (id), ``12.5%`` (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "\u2013"
    return fmt_num(100.0 * share, lang, decimals=decimals) + "%"
