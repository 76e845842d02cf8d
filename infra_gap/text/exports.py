"""Text of the exports: column labels, notes every format shares, the XLSX and the GeoPackage.

(Indonesian, English) pairs, merged into the one catalogue by :mod:`infra_gap.text.i18n` as
``col.<column>``, ``export.<key>``, ``xlsx.<key>`` and ``gpkg.<layer>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["COLUMN_TEXT", "EXPORT_TEXT", "LAYER_TEXT", "XLSX_TEXT"]

#: Labels of the columns that are not registry indicators (``contrib_*`` are derived).
COLUMN_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "rank": ("Peringkat", "Rank"),
        "kode": ("Kode wilayah", "Area code"),
        "nama": ("Nama wilayah", "Area name"),
        "score": ("Skor (0-1)", "Score (0-1)"),
        "tier": ("Prioritas", "Priority tier"),
        "rank_low": ("Peringkat terbaik (persentil 5)", "Best rank (5th percentile)"),
        "rank_high": ("Peringkat terburuk (persentil 95)", "Worst rank (95th percentile)"),
        "top_n_share": ("Porsi undian di N besar", "Share of draws in top N"),
        "reason": ("Alasan", "Reason"),
        "need_class": (
            "Kelas kebutuhan: % UMKM tanpa 4G (mutlak, di samping Prioritas yang relatif)",
            "Need class: % of MSMEs without 4G (absolute, beside the relative tier)",
        ),
        "speed_low_evidence": ("Bukti kecepatan lemah (< 50 tes)", "Weak speed evidence"),
        "speed_evidence": ("Bukti kecepatan (known/unknown)", "Speed evidence (known/unknown)"),
        "operator_class": ("Kelas operator", "Operator class"),
        "evidence_conflict": ("Bukti bertentangan", "Conflicting evidence"),
        "area_km2": ("Luas (km²)", "Area (km²)"),
        "eligible": ("Memenuhi syarat BAKTI", "BAKTI-eligible"),
        "eligible_basis": ("Dasar kelayakan", "Eligibility basis"),
        "data_status": ("Status data", "Data status"),
        "kode_bps": ("Kode BPS", "BPS code"),
        "nama_kab": ("Kabupaten/kota", "Regency/city"),
        "nama_kec": ("Kecamatan", "District (kecamatan)"),
        "contrib_": ("Kontribusi: ", "Contribution: "),
    }
)


#: Notes every export format prints, (Indonesian, English).
EXPORT_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "synthetic": (
            "DEMO SINTETIS: angka ini berasal dari data sintetis, bukan fakta lapangan.",
            "SYNTHETIC DEMO: these figures come from synthetic data, not facts.",
        ),
        "real": ("Status data: data pengguna.", "Data status: user data."),
        "yes": ("ya", "yes"),
        "no": ("tidak", "no"),
        "score": (
            "Skor = jumlah (bobot x nilai ternormalisasi); bobot dijumlahkan menjadi 1; nilai "
            "kosong menyumbang 0; skor sama (12 desimal) diurutkan menurut kode.",
            "Score = sum of (weight x normalised value); weights sum to 1; a missing value "
            "adds 0; equal scores (12 decimals) are ordered by code.",
        ),
        "tiers": (
            "Prioritas 1: skor > 0, dalam {n} besar dan tetap di {n} besar pada >= 80% "
            "undian bobot. Prioritas 2: skor > 0 dan dalam {n} besar, atau masuk {n} besar "
            "pada >= 5% undian. Prioritas 3: lainnya.",
            "Priority 1: score > 0, in the top {n} and in the top {n} in >= 80% of weight "
            "draws. Priority 2: score > 0 and in the top {n}, or in the top {n} in >= 5% of "
            "draws. Priority 3: the rest.",
        ),
        "placement": (
            "Setiap titik ditempatkan di wilayah yang memuatnya atau yang batasnya "
            "dilaluinya; bila wilayah bertumpuk, kode terendah yang menang.",
            "Each point is placed in the area that contains it or has it on its boundary; "
            "where areas overlap, the area with the lowest code wins.",
        ),
        "ntia": (
            "Titik di piksel tanpa data dihitung tidak tercakup (aturan NTIA) dan dilaporkan "
            "terpisah.",
            "A point on a no-data pixel counts as not covered (NTIA rule) and is reported "
            "separately.",
        ),
        "unknown_on": (
            "Tanpa tes kecepatan = kebutuhan (aturan NTIA BEAD, NOFO 13 Mei 2022): UMKM di ubin "
            "tanpa tes dihitung di bawah 4G, dan wilayah tanpa tes mendapat kecepatan terburuk "
            "yang terukur; nilai di tabel tetap hasil ukur.",
            "No speed test counts as need (NTIA BEAD rule, NOFO of 13 May 2022): MSMEs in tiles "
            "without tests count as below 4G, and areas without tests take the worst measured "
            "speed; the table's values stay as measured.",
        ),
        "unknown_off": (
            "Tanpa tes kecepatan bukan kebutuhan: nilai kosong menyumbang 0 (aturan NTIA "
            "dimatikan).",
            "No speed test is not need: a missing value adds 0 (the NTIA rule is off).",
        ),
        "src_head": (
            "Lapisan|Asal|Lisensi|Versi / tanggal|Sintetis",
            "Layer|Origin|Licence|Vintage|Synthetic",
        ),
        "acc_head": ("Baris dibaca|Dipakai|Ditolak", "Rows read|Used|Rejected"),
    }
)


#: Every text the workbook prints, Indonesian and English.
XLSX_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "title": (
            "Daftar prioritas usulan infrastruktur 4G (BAKTI), tingkat {level}",
            "Priority list for 4G infrastructure requests (BAKTI), {level} level",
        ),
        "subtitle": (
            "Skenario: {name}. Dibuat {date} dengan infra-gap {version}. {n} wilayah.",
            "Scenario: {name}. Made {date} with infra-gap {version}. {n} areas.",
        ),
        "tier_fmt": ('"Prioritas "0', '"Priority "0'),
        "sign_known": ("Mengetahui,", "Acknowledged by,"),
        "sign_role": ("Kepala Dinas ....................", "Head of Office ...................."),
        "sign_name": ("(nama dan NIP) ....................", "(name and ID) ...................."),
        "sign_date": ("Tempat, tanggal: ....................", "Place, date: ...................."),
        "unnamed": ("(tanpa nama)", "(unnamed)"),
        "ind_head": (
            "Kolom|Label (ID)|Label (EN)|Definisi (ID)|Definition (EN)|Satuan / Unit|"
            "Arah / Direction|Sumber / Source|Bobot / Weight|Ada di data ini / In this data",
        )
        * 2,
        "up": ("makin tinggi makin butuh / higher = more need",) * 2,
        "down": ("makin rendah makin butuh / lower = more need",) * 2,
        "meth_head": ("Butir|Nilai", "Item|Value"),
        "print_note": (
            "Cetakan memuat kolom utama (sampai Alasan); semua kolom ada di lembar ini.",
            "The printout holds the key columns (up to Reason); every column is in this sheet.",
        ),
        "page": ("Halaman &P dari &N", "Page &P of &N"),
        "op_none": ("tidak ada", "none"),
        "op_single": ("tunggal", "single"),
        "op_several": ("lebih dari satu", "several"),
        "src_head6": (
            "Lapisan|Sumber|Lisensi|Tanggal|Operator|Teknologi|URL|Sintetis",
            "Layer|Source|Licence|Date|Operator|Technology|URL|Synthetic",
        ),
        "rej_head": ("Sumber|Baris|Alasan", "Source|Row|Reason"),
        "rej_none": ("Tidak ada baris yang ditolak.", "No rows were rejected."),
        "rej_cut": (
            "Dipotong: {n} baris lagi tidak muat di lembar Excel.",
            "Cut: {n} more rows do not fit in an Excel sheet.",
        ),
        "m_name": ("Nama skenario", "Scenario name"),
        "m_date": ("Tanggal", "Date"),
        "m_level": ("Tingkat wilayah", "Area level"),
        "m_areas": ("Jumlah wilayah", "Areas"),
        "m_norm": ("Normalisasi", "Normalisation"),
        "m_cov": ("Ambang cakupan (covered_min)", "Coverage threshold (covered_min)"),
        "m_weight": ("Bobot: {label}", "Weight: {label}"),
        "m_thr": ("Ambang bukti: {key}", "Evidence threshold: {key}"),
        "m_dropped": (
            "Indikator berbobot yang tidak ada di data",
            "Weighted indicators not in data",
        ),
        "m_stab": ("Stabilitas: {key}", "Stability: {key}"),
        "m_uncert": ("Faktor ketidakpastian", "Uncertainty factor"),
        "m_nostab": ("Stabilitas peringkat", "Rank stability"),
        "m_nostab_v": ("tidak dihitung", "not computed"),
        "m_score": ("Rumus skor", "Score formula"),
        "m_tiers": ("Aturan prioritas", "Tier rule"),
        "m_place": ("Aturan penempatan titik", "Placement rule"),
        "m_ntia": ("Tanpa data cakupan", "No coverage data"),
        "m_unknown": (
            "Tanpa tes kecepatan (unknown_as_need)",
            "No speed tests (unknown_as_need)",
        ),
        "m_status": ("Status data", "Data status"),
    }
)


#: Description of each layer (``gpkg_contents.description``), (Indonesian, English).
LAYER_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # Appended to a layer's description when the data are synthetic.
        "synthetic_note": (" DEMO SINTETIS: bukan fakta.", " SYNTHETIC DEMO: not facts."),
        "ranked": (
            "Wilayah {level} yang diberi peringkat: skor (0-1), peringkat, prioritas, semua "
            "indikator dan data_status. Kolom dan satuan: docs/data-dictionary.md.",
            "Ranked {level} areas: score (0-1), rank, tier, every indicator and data_status. "
            "Columns and units: docs/data-dictionary.md.",
        ),
        "msme_uncovered": (
            "Titik UMKM tanpa sinyal 4G di wilayah yang diekspor (tanpa data cakupan dihitung "
            "tidak tercakup, lihat coverage_unknown).",
            "MSME points without 4G in the exported areas (no coverage data counts as not "
            "covered, see coverage_unknown).",
        ),
        "towers": ("Titik menara di wilayah yang diekspor.", "Tower points in the exported areas."),
        "speed_tiles": (
            "Ubin tes kecepatan (skema Ookla) di wilayah yang diekspor.",
            "Speed-test tiles (Ookla schema) in the exported areas.",
        ),
        "backbone_lines": (
            "Jalur backbone serat optik di wilayah yang diekspor.",
            "Fibre backbone lines in the exported areas.",
        ),
        "backbone_pops": (
            "Titik PoP backbone di wilayah yang diekspor.",
            "Backbone points of presence in the exported areas.",
        ),
        "proposed_sites": ("Lokasi menara usulan.", "Proposed tower sites."),
        "proposed_sites_reach": (
            "Jangkauan lokasi usulan (lingkaran radius_km).",
            "Reach of the proposed sites (radius_km discs).",
        ),
        "sources": (
            "Asal, tanggal, lisensi dan status sintetis tiap lapisan masukan.",
            "Origin, date, licence and synthetic flag of each input layer.",
        ),
        "rejected": (
            "Baris masukan yang ditolak, dengan alasannya.",
            "Rejected input rows, with the reason.",
        ),
    }
)
