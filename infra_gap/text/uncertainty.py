"""Text of the stability draws' method note and warnings, (Indonesian, English).

Merged into the one catalogue by :mod:`infra_gap.text.i18n` as ``unc.<key>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["UNCERTAINTY_TEXT"]

# fmt: off
UNCERTAINTY_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType({
    "head": ("Ketidakpastian (Buku Pegangan OECD/JRC 2008): {draws} undian, tiap undian "
             "mengubah bersama:",
             "Uncertainty (OECD/JRC Handbook 2008): {draws} draws, each varying together:"),
    "weights": ("bobot: Dirichlet di sekitar bobot terpilih (konsentrasi {conc})",
                "weights: Dirichlet around the chosen weights (concentration {conc})"),
    "normalisation": ("normalisasi: min-maks, persentil atau skor-z (masing-masing 1/3)",
                      "normalisation: min-max, percentile or z-score (1/3 each)"),
    "leave_one_out": ("satu indikator dikeluarkan: pemicu acak 0..{k} (0 = semua dipakai)",
                      "one indicator left out: a trigger drawn from 0..{k} (0 = all kept)"),
    "data_error": ("galat data: jumlah (UMKM, menara, tes) x faktor acak dalam +/-{m}% per "
                   "wilayah, {r} salinan data",
                   "data error: counts (MSMEs, towers, tests) x a random factor within "
                   "+/-{m}% per area, {r} copies of the data"),
    "off": ("{name}: tidak diubah", "{name}: not varied"),
    "name_weights": ("bobot", "weights"),
    "name_normalisation": ("normalisasi", "normalisation"),
    "name_leave_one_out": ("satu indikator dikeluarkan", "leave one indicator out"),
    "name_data_error": ("galat data", "data error"),
    "corr": ("Peringatan: {a} dan {b} berkorelasi peringkat {rho} (> {limit}); keduanya "
             "mengukur hal yang sama sehingga terhitung dua kali. Pertimbangkan memberi bobot "
             "pada salah satunya saja.",
             "Warning: {a} and {b} have a rank correlation of {rho} (> {limit}); they measure "
             "one thing, which is counted twice. Consider weighting only one of them."),
    "cost": ("Stabilitas: {draws} undian ({factors}) dalam {sec} detik.",
             "Stability: {draws} draws ({factors}) in {sec} s."),
    "result": ("Dilaporkan: peringkat persentil 5-95 dan porsi undian di {n} besar, dari "
               "semua faktor bersama.",
               "Reported: the 5th-95th percentile rank and the share of draws in the top "
               "{n}, over all factors together."),
})
# fmt: on
