"""The one catalogue of UI text, in Bahasa Indonesia (default) and English.

Numbers are formatted per language: ``1.166.918`` and ``12,5%`` in Indonesian.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from infra_gap.text.app import APP_TEXT
from infra_gap.text.map import MAP_TEXT
from infra_gap.text.workload import WORKLOAD_TEXT

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "PROVINCE_NAMES",
    "TEXT",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "t",
]

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
        "level_auto": {"id": "Otomatis (dari kode wilayah)", "en": "Automatic (from the codes)"},
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
        "sites_plots": {
            "id": "Lahan kandidat (titik, opsional)",
            "en": "Candidate plots (points, optional)",
        },
        "sites_plots_help": {
            "id": "Misalnya lahan yang dapat dihibahkan pemda. Kolom opsional: nama, height_m, "
            "terrain (flat/hilly), no_road (ya/tidak), capex_class.",
            "en": "For example land the local government can grant. Optional columns: nama, "
            "height_m, terrain (flat/hilly), no_road (true/false), capex_class.",
        },
        "sites_only_plots": {
            "id": "Hanya lahan kandidat (tanpa grid)",
            "en": "Only the candidate plots (no grid)",
        },
        "table_every_indicator": {
            "id": "Tampilkan semua indikator",
            "en": "Show every indicator",
        },
        "download_csv": {"id": "Unduh CSV", "en": "Download CSV"},
        "download_csv_excel_id": {
            "id": "CSV untuk Excel (Indonesia)",
            "en": "CSV for Excel (Indonesia)",
        },
        "download_csv_excel_id_help": {
            "id": "Pemisah ';' dan koma desimal, kode tetap teks (12.10 tidak menjadi 12,1). "
            "Untuk Excel/LibreOffice berpengaturan Indonesia; CSV biasa untuk skrip dan QGIS.",
            "en": "';' separator and decimal comma, codes kept as text (12.10 stays 12.10). "
            "For Excel/LibreOffice with Indonesian settings; the plain CSV: scripts, QGIS.",
        },
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
        # One line per stable error code, shown before the library's detail (file, row, column).
        "err_E_DATA": {
            "id": "Data tidak dapat dipakai",
            "en": "The data cannot be used",
        },
        "err_E_SCHEMA": {
            "id": "Kolom atau format data tidak sesuai",
            "en": "A column or the data format does not fit",
        },
        "err_E_LEVEL": {
            "id": "Tingkat wilayah tidak dapat dibaca dari kodenya",
            "en": "The level of the areas cannot be read from their codes",
        },
        "err_E_INPUT_FILE": {
            "id": "Berkas tidak dapat dibaca",
            "en": "The file cannot be read",
        },
        "err_E_OUTPUT_FILE": {
            "id": "Berkas hasil tidak dapat ditulis",
            "en": "The output file cannot be written",
        },
        "err_E_SCORING": {
            "id": "Bobot tidak dapat menghasilkan peringkat",
            "en": "The weights cannot produce a ranking",
        },
        "err_E_SECURITY": {
            "id": "Berkas ditolak demi keamanan",
            "en": "The file was refused for safety",
        },
        "err_E_LIMIT": {
            "id": "Berkas melebihi batas ukuran yang diizinkan",
            "en": "The file is over a size limit",
        },
        "err_E_ENGINE": {
            "id": "Mesin komputasi (Dask) tidak dapat dipakai",
            "en": "The compute engine (Dask) cannot be used",
        },
        "err_E_USAGE": {
            "id": "Opsi perintah tidak sesuai",
            "en": "A command option is wrong",
        },
        "err_E_INFRA_GAP": {
            "id": "Terjadi galat",
            "en": "Something went wrong",
        },
        "sources": {"id": "Sumber data", "en": "Data sources"},
        "prov_help": {
            "id": "Sumber data tiap lapisan (opsional; yang kosong ditulis 'tidak diketahui'). "
            "Tanggal: 2025-06-30, 2025-06 atau 2025.",
            "en": "Where each layer comes from (optional; empty fields read 'unknown'). "
            "Date: 2025-06-30, 2025-06 or 2025.",
        },
        "prov_source": {"id": "Sumber", "en": "Source"},
        "prov_date": {"id": "Tanggal", "en": "Date"},
        "prov_licence": {"id": "Lisensi", "en": "Licence"},
        "prov_operator": {"id": "Operator", "en": "Operator"},
        "prov_technology": {"id": "Teknologi", "en": "Technology"},
        "prov_url": {"id": "URL", "en": "URL"},
        "err_E_SOURCES": {
            "id": "Sumber data tidak dapat dipakai",
            "en": "The sources cannot be used",
        },
        "err_E_SOURCES_TOML": {
            "id": "Berkas sumber data bukan TOML yang sah",
            "en": "The sources file is not valid TOML",
        },
        "err_E_SOURCES_LAYER": {
            "id": "Lapisan tidak dikenal di berkas sumber data",
            "en": "Unknown layer in the sources file",
        },
        "err_E_SOURCES_KEY": {
            "id": "Isian sumber data tidak dikenal, kurang, atau salah jenis",
            "en": "A sources field is unknown, missing or of the wrong kind",
        },
        "err_E_SOURCES_DATE": {
            "id": "Tanggal sumber data tidak sah",
            "en": "A sources date is not valid",
        },
        "synthetic_yes": {"id": "sintetis", "en": "synthetic"},
        "synthetic_no": {"id": "nyata", "en": "real"},
        "loading": {"id": "Memuat data demo...", "en": "Loading demo data..."},
        # Presets (issue 5): names and one-line rationales.
        "preset": {"id": "Preset bobot", "en": "Weight preset"},
        "preset_dampak_umkm": {"id": "Dampak UMKM", "en": "MSME impact"},
        "preset_dampak_umkm_why": {
            "id": "Argumen provinsi: banyak UMKM, tanpa internet. Bobot terbesar pada jumlah "
            "UMKM tanpa 4G, sisanya pada porsinya.",
            "en": "The province's argument: many MSMEs, no internet. Most weight on the number "
            "of MSMEs without 4G, the rest on their share.",
        },
        "preset_daerah_terpencil": {"id": "Daerah terpencil", "en": "Remote equity"},
        "preset_daerah_terpencil_why": {
            "id": "Strategi 1 provinsi: internet untuk daerah jauh dari kota. Bobot pada jarak "
            "ke kota, pulau, jarak ke backbone dan ke menara, serta porsi UMKM tanpa 4G.",
            "en": "The province's strategy 1: internet for areas far from cities. Weight on "
            "distance to a city, islands, distance to the backbone and to towers, and the "
            "share of MSMEs without 4G.",
        },
        "preset_siap_usul_bakti": {"id": "Siap usul BAKTI", "en": "BAKTI-ready"},
        "preset_siap_usul_bakti_why": {
            "id": "BAKTI hanya membangun di blank spot. Bobot pada bukti blank spot (luas tanpa "
            "4G, tanpa operator yang menjangkau UMKM, tes < 5 Mbps) dan UMKM terdampak. "
            "Status 3T, lahan dan penjaga dicek di luar alat ini.",
            "en": "BAKTI builds only in blank spots. Weight on blank-spot evidence (area "
            "without 4G, no operator reaching the MSMEs, tests under 5 Mbps) and the MSMEs "
            "affected. 3T status, land and a guard are checked outside this tool.",
        },
        "preset_efisiensi_biaya": {"id": "Efisiensi biaya", "en": "Cost-efficiency"},
        "preset_efisiensi_biaya_why": {
            "id": "UMKM yang baru tercakup per Rp 1 miliar biaya menara.",
            "en": "MSMEs newly covered per Rp 1 billion of tower cost.",
        },
        "preset_custom": {"id": "Kustom", "en": "Custom"},
        "preset_custom_why": {
            "id": "Bobot Anda sendiri: geser slider di bawah.",
            "en": "Your own weights: move the sliders below.",
        },
        "preset_unavailable": {
            "id": "{name} (belum tersedia)",
            "en": "{name} (not available yet)",
        },
        "preset_needs_siting": {
            "id": "Dihitung oleh penempatan menara: per wilayah, menara termurah untuk 80% UMKM "
            "tanpa 4G-nya (jangkauan 8 km, medan datar, biaya bawaan).",
            "en": "Computed by tower siting: per area, the cheapest towers for 80% of its MSMEs "
            "without 4G (8 km reach, flat terrain, default costs).",
        },
        "efficiency_loading": {
            "id": "Menghitung UMKM baru terjangkau per Rp 1 miliar per wilayah\u2026",
            "en": "Computing MSMEs newly covered per Rp 1 billion for each area\u2026",
        },
        "weights_other": {"id": "Indikator lain (bobot 0)", "en": "Other indicators (weight 0)"},
        "weight_absent": {
            "id": "Indikator ini tidak ada di data ini.",
            "en": "This indicator is not in this data.",
        },
        "dropped_warning": {
            "id": "Indikator berbobot ini tidak ada di data, jadi dibuang dan bobot lainnya "
            "diseimbangkan ulang: {names}.",
            "en": "These weighted indicators are not in the data, so they were dropped and the "
            "other weights re-balanced: {names}.",
        },
        # Stability and tiers.
        "stability": {"id": "Stabilitas peringkat", "en": "Rank stability"},
        "top_n": {"id": "N teratas", "en": "Top N"},
        "draws": {"id": "Jumlah undian bobot", "en": "Weight draws"},
        "draws_help": {
            "id": "Bobot diacak (Dirichlet) di sekitar pilihan Anda sebanyak ini; 0 = tanpa "
            "acakan.",
            "en": "Weights are drawn (Dirichlet) around your choice this many times; 0 = no "
            "perturbation.",
        },
        "concentration": {
            "id": "Konsentrasi (kecil = sebaran lebar)",
            "en": "Concentration (lower = wider spread)",
        },
        "concentration_help": {
            "id": "Bawaan 20: bobot 0,7 bergeser ke sekitar 0,53-0,85 (5-95%).",
            "en": "Default 20: a weight of 0.7 moves to about 0.53-0.85 (5-95%).",
        },
        "seed": {"id": "Seed acak", "en": "Random seed"},
        "advanced": {"id": "Lanjutan", "en": "Advanced"},
        "normalisation": {"id": "Normalisasi", "en": "Normalisation"},
        "norm_minmax": {"id": "Min-maks (0-1)", "en": "Min-max (0-1)"},
        "norm_percentile": {
            "id": "Persentil (untuk data miring)",
            "en": "Percentile (for skewed data)",
        },
        "covered_min": {"id": "Ambang cakupan (covered_min)", "en": "Coverage threshold"},
        "unknown_as_need": {
            "id": "Tanpa tes kecepatan = kebutuhan (aturan NTIA)",
            "en": "No speed test counts as need (NTIA rule)",
        },
        "unknown_as_need_help": {
            "id": "Wilayah tanpa tes kecepatan dianggap tidak terlayani (NTIA BEAD, Mei 2022): "
            "UMKM di ubin tanpa tes dihitung di bawah 4G dan kecepatannya dianggap terburuk "
            "yang terukur. Dimatikan: nilai kosong menyumbang 0. Dinyatakan di setiap ekspor.",
            "en": "Areas without speed tests are presumed unserved (NTIA BEAD, May 2022): MSMEs "
            "in tiles without tests count as below 4G and the speed as the worst measured. "
            "Off: a missing value adds 0. Stated in every export.",
        },
        "covered_min_help": {
            "id": "Piksel tercakup bila nilainya >= ambang ini (1 untuk raster biner).",
            "en": "A pixel is covered when its value is >= this (1 for a binary raster).",
        },
        "tier_rule": {
            "id": "Prioritas 1: skor > 0, peringkat dalam {n} besar dan tetap di {n} besar pada "
            ">= 80% undian bobot. Prioritas 2: selain itu, skor > 0 dan peringkat dalam {n} "
            "besar atau peringkat p5 dalam {n} besar (masuk {n} besar pada >= 5% undian). "
            "Prioritas 3: lainnya.",
            "en": "Priority 1: score > 0, rank within the top {n} and in the top {n} in >= 80% "
            "of weight draws. Priority 2: otherwise, score > 0 and rank within the top {n} or "
            "5th-percentile rank within the top {n} (top {n} in >= 5% of draws). "
            "Priority 3: the rest.",
        },
        "tier_1": {"id": "Prioritas 1", "en": "Priority 1"},
        "tier_2": {"id": "Prioritas 2", "en": "Priority 2"},
        "tier_3": {"id": "Prioritas 3", "en": "Priority 3"},
        "col_tier": {"id": "Prioritas", "en": "Priority"},
        "col_need_class": {"id": "Kelas kebutuhan (mutlak)", "en": "Need class (absolute)"},
        "col_rank_range": {"id": "Peringkat p5-p95", "en": "Rank p5-p95"},
        "col_top_share": {"id": "Di {n} besar (% undian)", "en": "In top {n} (% of draws)"},
        "metric_top_share": {"id": "Di {n} besar", "en": "In top {n}"},
        # Why this rank.
        "why_title": {"id": "Mengapa peringkat ini?", "en": "Why this rank?"},
        "why_pick": {"id": "Pilih wilayah", "en": "Pick an area"},
        "col_indicator": {"id": "Indikator", "en": "Indicator"},
        "col_value": {"id": "Nilai", "en": "Value"},
        "col_weight": {"id": "Bobot", "en": "Weight"},
        "col_contribution": {"id": "Kontribusi ke skor", "en": "Contribution to score"},
        "reason_line": {"id": "Peringkat {rank}: {parts}", "en": "Rank {rank}: {parts}"},
        "reason_none": {
            "id": "tidak ada indikator berbobot yang menonjol",
            "en": "no weighted indicator stands out",
        },
        "reason_msme_total": {"id": "{v} UMKM", "en": "{v} MSMEs"},
        "reason_msme_uncovered": {
            "id": "{v} UMKM tanpa sinyal 4G",
            "en": "{v} MSMEs without 4G signal",
        },
        "reason_msme_uncovered_share": {
            "id": "{v} UMKM tanpa 4G",
            "en": "{v} of MSMEs without 4G",
        },
        "reason_msme_coverage_unknown": {
            "id": "{v} UMKM tanpa data cakupan",
            "en": "{v} MSMEs with no coverage data",
        },
        "reason_msme_online_share": {
            "id": "hanya {v} UMKM daring",
            "en": "only {v} of MSMEs online",
        },
        "reason_msme_density_km2": {"id": "{v} UMKM per km²", "en": "{v} MSMEs per km²"},
        "reason_area_uncovered_share": {
            "id": "{v} luas wilayah tanpa 4G",
            "en": "{v} of the area without 4G",
        },
        "reason_speed_down_mbps": {
            "id": "unduh rata-rata {v} Mbps",
            "en": "mean download {v} Mbps",
        },
        "reason_speed_up_mbps": {"id": "unggah rata-rata {v} Mbps", "en": "mean upload {v} Mbps"},
        "reason_speed_latency_ms": {"id": "latensi {v} ms", "en": "latency {v} ms"},
        "reason_speed_tests": {"id": "hanya {v} tes kecepatan", "en": "only {v} speed tests"},
        "reason_msme_below_4g_speed": {
            "id": "{v} UMKM di ubin < 5 Mbps",
            "en": "{v} MSMEs in tiles under 5 Mbps",
        },
        "reason_msme_no_tests": {
            "id": "{v} UMKM tanpa tes kecepatan",
            "en": "{v} MSMEs with no speed tests",
        },
        "reason_tower_count": {"id": "{v} menara", "en": "{v} towers"},
        "reason_cell_count": {"id": "{v} sel", "en": "{v} cells"},
        "reason_operator_count": {"id": "{v} operator", "en": "{v} operators"},
        "reason_operators_reaching": {
            "id": "{v} operator menjangkau UMKM",
            "en": "{v} operators reach the MSMEs",
        },
        "reason_msme_no_operator": {
            "id": "{v} UMKM di luar jangkauan operator",
            "en": "{v} MSMEs out of every operator's reach",
        },
        "reason_msme_no_operator_share": {
            "id": "{v} UMKM di luar jangkauan operator",
            "en": "{v} of MSMEs out of every operator's reach",
        },
        "reason_operators_covering": {
            "id": "{v} operator mencakup UMKM",
            "en": "{v} operators cover the MSMEs",
        },
        "reason_msme_no_operator_coverage": {
            "id": "{v} UMKM tanpa cakupan operator",
            "en": "{v} MSMEs covered by no operator",
        },
        "reason_msme_no_operator_coverage_share": {
            "id": "{v} UMKM tanpa cakupan operator",
            "en": "{v} of MSMEs covered by no operator",
        },
        "reason_podes_desa": {"id": "{v} desa dalam Podes", "en": "{v} desa in Podes"},
        "reason_podes_no_signal": {
            "id": "{v} desa tanpa sinyal (Podes)",
            "en": "{v} desa without signal (Podes)",
        },
        "reason_podes_no_signal_share": {
            "id": "{v} desa tanpa sinyal (Podes)",
            "en": "{v} of desa without signal (Podes)",
        },
        "reason_podes_weak_or_no_signal_share": {
            "id": "{v} desa sinyal lemah/tidak ada (Podes)",
            "en": "{v} of desa with weak or no signal (Podes)",
        },
        "reason_msme_tower_km": {
            "id": "UMKM {v} km dari menara",
            "en": "MSMEs {v} km from a tower",
        },
        "reason_backbone_km": {"id": "{v} km dari backbone", "en": "{v} km from the backbone"},
        "reason_kota_km": {"id": "{v} km dari kota", "en": "{v} km from a city"},
        "reason_capital_km": {"id": "{v} km dari Medan", "en": "{v} km from Medan"},
        "reason_island": {"id": "wilayah pulau", "en": "an island area"},
        "reason_pop_density_km2": {
            "id": "kepadatan penduduk {v} jiwa/km²",
            "en": "population density {v} per km²",
        },
        "reason_msme_evidence_conflict": {
            "id": "{v} UMKM dengan bukti bertentangan",
            "en": "{v} MSMEs with conflicting evidence",
        },
        "reason_msme_new_per_billion_idr": {
            "id": "{v} UMKM baru per Rp 1 miliar",
            "en": "{v} MSMEs newly covered per Rp 1 billion",
        },
        # Eligibility (issue 16.1): why an area may or may not go to BAKTI.
        "elig_3t": {
            "id": "daerah tertinggal (3T): {nama}, {basis}, periode {period}",
            "en": "disadvantaged (3T) area: {nama}, {basis}, period {period}",
        },
        "elig_priority": {
            "id": "lokasi prioritas: {nama} ({source})",
            "en": "priority location: {nama} ({source})",
        },
        "elig_contains_priority": {
            "id": "memuat lokasi prioritas: {nama} ({source})",
            "en": "contains a priority location: {nama} ({source})",
        },
        "elig_need": {
            "id": "{n} UMKM tanpa sinyal 4G (blank spot)",
            "en": "{n} MSMEs without 4G (blank spot)",
        },
        "elig_no_need": {
            "id": "tetapi semua UMKM sudah tercakup 4G (bukan blank spot): tidak memenuhi syarat",
            "en": "but every MSME is already covered by 4G (no blank spot): not eligible",
        },
        "elig_not_listed": {
            "id": "bukan daerah 3T ({basis}) dan tidak ada di daftar prioritas: pembangunan "
            "menjadi kewajiban operator",
            "en": "not a 3T area ({basis}) and not on a priority list: left to the operators",
        },
        "elig_only": {
            "id": "Hanya wilayah yang memenuhi syarat BAKTI",
            "en": "Only BAKTI-eligible areas",
        },
        "elig_only_help": {
            "id": "Memenuhi syarat: daerah 3T (Perpres 63/2020) atau lokasi prioritas, dengan "
            "UMKM tanpa 4G. Wilayah lain tetap punya skor dan peringkat, ditandai tidak "
            "memenuhi syarat.",
            "en": "Eligible: a 3T area (Perpres 63/2020) or a priority location, with MSMEs "
            "without 4G. Other areas keep their score and rank, marked not eligible.",
        },
        "col_eligible": {"id": "Syarat BAKTI", "en": "BAKTI-eligible"},
        "elig_none": {
            "id": "Tidak ada wilayah yang memenuhi syarat di pilihan ini; semua wilayah "
            "ditampilkan.",
            "en": "No eligible area in this selection; every area is shown.",
        },
        # Tower sites (issue 8).
        "sites_summary": {
            "id": "{money} \u2192 {sites} menara \u2192 {msme} UMKM baru terjangkau",
            "en": "{money} \u2192 {sites} towers \u2192 {msme} MSMEs newly covered",
        },
        "sites_synthetic_suffix": {"id": " (demo sintetis)", "en": " (synthetic demo)"},
        "sites_title": {"id": "Lokasi menara usulan", "en": "Proposed tower sites"},
        "sites_on": {"id": "Usulkan lokasi menara", "en": "Suggest tower sites"},
        "sites_on_help": {
            "id": "Memilih lokasi BTS 4G yang menjangkau UMKM tanpa 4G terbanyak dalam anggaran "
            "(model maximal covering, greedy); menara yang ada tetap.",
            "en": "Chooses 4G sites that reach the most MSMEs without 4G within the budget "
            "(maximal covering model, greedy); existing towers stay.",
        },
        "sites_budget": {"id": "Anggaran (Rp miliar)", "en": "Budget (Rp billion)"},
        "sites_by_count": {
            "id": "Pakai jumlah menara, bukan anggaran",
            "en": "Use a number of towers, not a budget",
        },
        "sites_count": {"id": "Jumlah menara", "en": "Number of towers"},
        "sites_radius": {"id": "Jangkauan di dataran (km)", "en": "Reach on flat land (km)"},
        "sites_radius_help": {
            "id": "Menara BAKTI 42-72 m menjangkau 8-15 km di dataran (GSMA via ITU); bawaan 8 km.",
            "en": "BAKTI towers of 42-72 m reach 8-15 km on flat land (GSMA via the ITU); "
            "default 8 km.",
        },
        "sites_hilly": {
            "id": "Medan berbukit (jangkauan \u00d7 0,6)",
            "en": "Hilly terrain (reach \u00d7 0.6)",
        },
        "sites_running": {
            "id": "Memilih lokasi menara (greedy seprovinsi)\u2026",
            "en": "Choosing tower sites (province-wide greedy)\u2026",
        },
        "sites_off": {
            "id": "Nyalakan \u201cUsulkan lokasi menara\u201d di panel samping untuk memilih "
            "lokasi BTS dengan anggaran.",
            "en": "Switch on \u201cSuggest tower sites\u201d in the sidebar to choose 4G sites "
            "for a budget.",
        },
        "sites_method": {
            "id": "{candidates} kandidat (grid 1 km + titik desa), {demand} UMKM tanpa 4G; "
            "metode {method}; biaya menara {capex}; anggaran dipakai {spent}.",
            "en": "{candidates} candidates (1 km grid + desa points), {demand} MSMEs without "
            "4G; method {method}; tower cost {capex}; budget used {spent}.",
        },
        "sites_costs": {"id": "Angka biaya dan sumbernya", "en": "Cost figures and sources"},
        "sites_none": {
            "id": "Anggaran ini tidak cukup untuk satu menara pun.",
            "en": "This budget does not buy a single tower.",
        },
        "layer_sites": {"id": "Menara usulan (jangkauan)", "en": "Proposed towers (reach)"},
        "sites_tooltip": {"id": "{site}: +{n} UMKM baru", "en": "{site}: +{n} new MSMEs"},
        "download_sites_csv": {
            "id": "Unduh lokasi usulan (CSV)",
            "en": "Download proposed sites (CSV)",
        },
        "sites_in_exports": {
            "id": "Lokasi usulan ikut di semua unduhan (CSV lokasi, XLSX, GeoPackage, PDF).",
            "en": "The proposed sites go into every download (sites CSV, XLSX, GeoPackage, PDF).",
        },
        "site_col_site_id": {"id": "Lokasi", "en": "Site"},
        "site_col_kode_desa": {"id": "Kode desa", "en": "Desa code"},
        "site_col_kode_kec": {"id": "Kode kecamatan", "en": "Kecamatan code"},
        "site_col_msme_new": {"id": "UMKM baru terjangkau", "en": "MSMEs newly covered"},
        "site_col_capex_idr": {"id": "Capex (Rp)", "en": "Capex (Rp)"},
        "site_col_backhaul": {"id": "Backhaul", "en": "Backhaul"},
        "site_col_opex_idr_per_year": {"id": "Opex per tahun (Rp)", "en": "Opex per year (Rp)"},
        "site_col_island": {"id": "Pulau", "en": "Island"},
        "site_col_lon": {"id": "Bujur", "en": "Longitude"},
        "site_col_lat": {"id": "Lintang", "en": "Latitude"},
        # Scenarios and comparison.
        "scenario": {"id": "Skenario", "en": "Scenario"},
        "scenario_name": {"id": "Nama skenario", "en": "Scenario name"},
        "scenario_save": {"id": "Simpan skenario (TOML)", "en": "Save scenario (TOML)"},
        "scenario_show": {"id": "Lihat isi file skenario", "en": "Show the scenario file"},
        "scenario_load": {"id": "Muat skenario (.toml)", "en": "Load a scenario (.toml)"},
        "scenario_loaded": {"id": "Skenario dimuat: {name}", "en": "Scenario loaded: {name}"},
        "scenario_compare": {
            "id": "Bandingkan dengan skenario lain (.toml)",
            "en": "Compare with another scenario (.toml)",
        },
        "compare_title": {
            "id": "Perubahan peringkat dari skenario pembanding ({name}) ke skenario saat ini: "
            "wilayah di {n} besar salah satunya.",
            "en": "Rank changes from the compared scenario ({name}) to the current one: areas "
            "in either top {n}.",
        },
        "col_rank_before": {"id": "Peringkat (pembanding)", "en": "Rank (compared)"},
        "col_rank_after": {"id": "Peringkat (saat ini)", "en": "Rank (current)"},
        "col_change": {"id": "Perubahan", "en": "Change"},
        "status_new": {"id": "baru", "en": "new"},
        "unnamed": {"id": "tanpa nama", "en": "unnamed"},
        # Map layers.
        "layers_title": {"id": "Lapisan peta", "en": "Map layers"},
        "layer_coverage": {"id": "Cakupan 4G", "en": "4G coverage"},
        "layer_towers": {"id": "Menara (per operator)", "en": "Towers (by operator)"},
        "layer_msme": {"id": "Kepadatan UMKM", "en": "MSME density"},
        "layer_msme_uncovered": {"id": "UMKM tanpa 4G", "en": "MSMEs without 4G"},
        "layer_speed": {"id": "Kecepatan unduh", "en": "Download speed"},
        "layer_backbone": {"id": "Backbone serat optik", "en": "Fibre backbone"},
        "layer_pop": {"id": "Titik PoP", "en": "Points of presence"},
        "legend_layers": {"id": "Lapisan bukti", "en": "Evidence layers"},
        "speed_tier_1": {"id": "< 1 Mbps", "en": "< 1 Mbps"},
        "speed_tier_2": {"id": "1\u20135 Mbps", "en": "1\u20135 Mbps"},
        "speed_tier_3": {"id": "5\u201320 Mbps", "en": "5\u201320 Mbps"},
        "speed_tier_4": {"id": "> 20 Mbps", "en": "> 20 Mbps"},
        "layers_loading": {
            "id": "Menyiapkan lapisan peta\u2026",
            "en": "Preparing map layers\u2026",
        },
        "map_hint": {
            "id": "Klik wilayah di peta untuk memilihnya. Lapisan dapat dinyalakan di sini atau "
            "di kotak lapisan pada peta.",
            "en": "Click an area on the map to select it. Layers can be switched on here or in "
            "the layer box on the map.",
        },
        "desa_one_kab": {
            "id": "Peta desa seprovinsi terlalu besar ({mb} MB), jadi peta menampilkan desa "
            "satu kabupaten: {nama}. Pilih kabupaten lain di penelusuran.",
            "en": "The province's desa map is too large ({mb} MB), so the map shows the desa "
            "of one kabupaten: {nama}. Choose another kabupaten in the drill-down.",
        },
        # Drill-down and search.
        "dd_kabupaten": {"id": "Kabupaten/kota", "en": "Regency/city"},
        "dd_kecamatan": {"id": "Kecamatan", "en": "District"},
        "dd_desa": {"id": "Desa/kelurahan", "en": "Village"},
        "dd_all": {"id": "(semua)", "en": "(all)"},
        "search": {"id": "Cari nama atau kode", "en": "Search name or code"},
        "search_pick": {"id": "Hasil pencarian", "en": "Search results"},
        "search_none": {"id": "Tidak ada wilayah yang cocok.", "en": "No area matches."},
        "drill_down": {"id": "Tampilkan {child} di {nama}", "en": "Show the {child} in {nama}"},
        "filtered": {
            "id": "Menampilkan {n} wilayah di {nama}.",
            "en": "Showing {n} areas in {nama}.",
        },
        "kab_filter": {"id": "Beberapa kabupaten/kota", "en": "Several regencies/cities"},
        "filter_empty": {
            "id": "Tidak ada wilayah tingkat ini di {nama}; menampilkan semua wilayah.",
            "en": "No area of this level in {nama}; showing every area.",
        },
        "kab_filter_help": {
            "id": "Menyaring tabel dan peta ke wilayah di kabupaten/kota yang dipilih. "
            "Peringkat tetap peringkat se-provinsi; urutkan tabel dengan mengeklik judul kolom.",
            "en": "Filters the table and the map to the areas in the chosen regencies/cities. "
            "Ranks stay province-wide; sort the table by clicking a column header.",
        },
        # Detail panel.
        "indicators_title": {"id": "Indikator", "en": "Indicators"},
        "checklist_title": {"id": "Kelengkapan usulan BAKTI", "en": "BAKTI checklist"},
        "ck_status_3t": {"id": "Status 3T", "en": "3T status"},
        "ck_blank_spot": {
            "id": "Bukti blank spot per sumber",
            "en": "Blank-spot evidence per source",
        },
        "ck_lahan": {"id": "Lahan hibah 20\u00d720 m", "en": "Land grant 20\u00d720 m"},
        "ck_penjaga": {
            "id": "Keamanan / penjaga lokasi (nama, jabatan, kontak)",
            "en": "Security / site guard (name, position, contact)",
        },
        "ck_lahan_hibah": {
            "id": "Lahan: akta hibah / surat kepemilikan (nomor, tanggal)",
            "en": "Land: grant deed / ownership letter (number, date)",
        },
        "ck_lahan_pbg": {"id": "Lahan: IMB/PBG (nomor, tanggal)", "en": "Land: IMB/PBG permit"},
        "ck_lahan_pinjam_pakai": {
            "id": "Lahan: perjanjian pinjam pakai lahan",
            "en": "Land: land-loan agreement",
        },
        "ck_listrik": {"id": "Listrik: PLN atau surya", "en": "Power: PLN grid or solar"},
        "ck_akses": {"id": "Akses jalan / laut", "en": "Road / sea access"},
        "ck_surat_usulan": {
            "id": "Surat usulan Bupati/Wali Kota (nomor, tanggal)",
            "en": "Request letter of the Bupati/Wali Kota (number, date)",
        },
        "ck_unfilled": {"id": "belum diisi", "en": "not yet filled"},
        "ck_status": {"id": "Status isian", "en": "Entry status"},
        "download_dossier": {
            "id": "Unduh berkas wilayah ini (PDF)",
            "en": "Download this area's dossier (PDF)",
        },
        # Downloads.
        "downloads": {"id": "Unduhan", "en": "Downloads"},
        "download_xlsx": {"id": "Unduh XLSX", "en": "Download XLSX"},
        "download_gpkg": {"id": "Unduh GeoPackage", "en": "Download GeoPackage"},
        "prepare_gpkg": {"id": "Siapkan GeoPackage", "en": "Prepare GeoPackage"},
        "download_pdf_top": {"id": "Unduh PDF {n} teratas", "en": "Download PDF of top {n}"},
        "preparing": {"id": "Menyiapkan berkas\u2026", "en": "Preparing the file\u2026"},
        # Own data.
        "own_data": {"id": "Data sendiri", "en": "Own data"},
        "own_help": {
            "id": "Unggah batas wilayah dan daftar UMKM; lapisan lain opsional. Ambang cakupan "
            "ada di Pengaturan lanjutan.",
            "en": "Upload boundaries and an MSME register; other layers are optional. The "
            "coverage threshold is under Advanced settings.",
        },
        "up_areas": {"id": "Batas wilayah", "en": "Boundaries"},
        "up_level": {"id": "Tingkat batas wilayah", "en": "Boundary level"},
        "up_layer": {"id": "Lapisan GeoPackage (opsional)", "en": "GeoPackage layer (optional)"},
        "up_id_col": {"id": "Kolom kode (opsional)", "en": "Code column (optional)"},
        "up_name_col": {"id": "Kolom nama (opsional)", "en": "Name column (optional)"},
        "up_msme": {"id": "Daftar UMKM", "en": "MSME register"},
        "up_lat": {"id": "Kolom lintang (opsional)", "en": "Latitude column (optional)"},
        "up_lon": {"id": "Kolom bujur (opsional)", "en": "Longitude column (optional)"},
        "up_coverage": {"id": "Cakupan 4G (GeoTIFF)", "en": "4G coverage (GeoTIFF)"},
        "up_nodata": {
            "id": "Nilai no-data cakupan (opsional, mis. 255)",
            "en": "Coverage no-data value (optional, e.g. 255)",
        },
        "up_nodata_bad": {
            "id": "Nilai no-data cakupan harus berupa angka, mis. 255.",
            "en": "The coverage no-data value must be a number, e.g. 255.",
        },
        "up_towers": {"id": "Menara (OpenCelliD)", "en": "Towers (OpenCelliD)"},
        "up_speed": {"id": "Uji kecepatan (Ookla)", "en": "Speed tests (Ookla)"},
        "up_backbone": {"id": "Backbone dan PoP", "en": "Backbone and PoPs"},
        "up_podes": {
            "id": "Sinyal Podes per desa (opsional)",
            "en": "Podes signal per desa (optional)",
        },
        "up_podes_help": {
            "id": "Tabel desa: kode (kode desa Kemendagri) dan sinyal (sangat kuat, kuat, "
            "lemah, tidak ada sinyal).",
            "en": "A desa table: kode (Kemendagri desa code) and sinyal (sangat kuat, kuat, "
            "lemah, tidak ada sinyal).",
        },
        "up_run": {"id": "Muat data sendiri", "en": "Load own data"},
        "up_need": {
            "id": "Unggah batas wilayah dan daftar UMKM dulu.",
            "en": "Upload boundaries and an MSME register first.",
        },
        "own_in_use": {"id": "Memakai data sendiri: {name}", "en": "Using own data: {name}"},
        "back_to_demo": {"id": "Kembali ke demo", "en": "Back to the demo"},
        # Data quality.
        "dq_title": {"id": "Kualitas data", "en": "Data quality"},
        "dq_source": {"id": "Sumber", "en": "Source"},
        "dq_read": {"id": "Dibaca", "en": "Read"},
        "dq_placed": {"id": "Ditempatkan", "en": "Placed"},
        "dq_rejected": {"id": "Ditolak", "en": "Rejected"},
        "dq_row": {"id": "Baris", "en": "Row"},
        "dq_reason": {"id": "Alasan", "en": "Reason"},
        "dq_rejected_rows": {"id": "Baris yang ditolak", "en": "Rejected rows"},
        "dq_download": {"id": "Unduh baris ditolak (CSV)", "en": "Download rejected rows (CSV)"},
        "dq_repairs": {
            "id": "Geometri diperbaiki: {n}",
            "en": "Geometries repaired: {n}",
        },
        "dq_overlaps": {
            "id": "Tumpang tindih: {n} pasang, {km2} km\u00b2",
            "en": "Overlaps: {n} pairs, {km2} km\u00b2",
        },
        "dq_gaps": {
            "id": "Celah antarwilayah: {km2} km\u00b2",
            "en": "Gaps between areas: {km2} km\u00b2",
        },
        "dq_demo": {
            "id": "Data demo: batas wilayah nyata, lapisan lain sintetis.",
            "en": "Demo data: real boundaries, other layers synthetic.",
        },
        # National views (issue 9): the synthetic national workload, all layers synthetic.
        "source": {"id": "Sumber data", "en": "Data source"},
        "source_demo": {"id": "Sumatera Utara (demo)", "en": "North Sumatra (demo)"},
        "source_national": {"id": "Nasional (sintetis)", "en": "National (synthetic)"},
        # A workload built from the user's own files (issue 17) is chosen: own data, not the
        # synthetic national one.
        "source_national_built": {
            "id": "Beban kerja: data sendiri",
            "en": "Workload: own data",
        },
        "nat_title_built": {
            "id": "infra-gap: UMKM tanpa internet, data sendiri (beban kerja)",
            "en": "infra-gap: MSMEs without internet, own data (workload)",
        },
        "nat_caption_built": {
            "id": "Data sendiri dari infra-gap workload build, dihitung per partisi kode wilayah.",
            "en": "Own data from infra-gap workload build, computed partition by partition "
            "(by area code).",
        },
        "nat_title": {
            "id": "infra-gap: UMKM tanpa internet, seluruh Indonesia (sintetis)",
            "en": "infra-gap: MSMEs without internet, all of Indonesia (synthetic)",
        },
        "nat_caption": {
            "id": "Uji skala nasional: 38 provinsi, dihitung per provinsi oleh mesin lokal.",
            "en": "A national-scale test: 38 provinces, computed province by province by the "
            "local engine.",
        },
        "nat_banner": {
            "id": "NASIONAL SINTETIS: semua lapisan sintetis, termasuk batas wilayah. Provinsi, "
            "kabupaten, kecamatan dan desa, titik UMKM, menara, cakupan 4G, uji kecepatan dan "
            "backbone dibuat oleh generator untuk menguji skala nasional. Bukan fakta, bukan "
            "batas resmi; nama provinsi hanya menandai kodenya.",
            "en": "SYNTHETIC NATIONAL RUN: all layers synthetic, boundaries included. Provinces, "
            "regencies, districts and villages, MSME points, towers, 4G coverage, speed tests and "
            "backbone are generated to test the national scale. Not facts, not official "
            "boundaries; a province's name only labels its code.",
        },
        "nat_scale": {"id": "Skala beban kerja nasional", "en": "National workload scale"},
        "nat_scale_help": {
            "id": "Skala 1 = 83.218 desa dan 65 juta UMKM. Hanya beban kerja di folder cache "
            "aplikasi yang ditawarkan.",
            "en": "Scale 1 = 83,218 villages and 65 million MSMEs. Only workloads in the app's "
            "cache folder are offered.",
        },
        "nat_scale_option": {
            "id": "{scale} · {kec} kecamatan · {msme} UMKM",
            "en": "{scale} · {kec} districts · {msme} MSMEs",
        },
        "nat_make_option": {"id": "{scale} (buat)", "en": "{scale} (make)"},
        "nat_make_info": {
            "id": "Beban kerja nasional skala {scale} belum ada. Membuatnya butuh beberapa detik "
            "({desa} desa, {msme} UMKM, semuanya sintetis).",
            "en": "The national workload of scale {scale} is not there yet. Making it takes a few "
            "seconds ({desa} villages, {msme} MSMEs, all synthetic).",
        },
        "nat_make_button": {
            "id": "Buat beban kerja skala {scale}",
            "en": "Make the scale {scale} workload",
        },
        "nat_making": {
            "id": "Membuat beban kerja nasional sintetis skala {scale}…",
            "en": "Making the synthetic national workload of scale {scale}…",
        },
        "nat_made": {"id": "Dibuat dalam {s} detik.", "en": "Made in {s} s."},
        "nat_none": {
            "id": "Belum ada beban kerja nasional. Pilih skala 0,01 untuk membuatnya.",
            "en": "No national workload yet. Choose scale 0.01 to make one.",
        },
        "nat_province": {"id": "Provinsi", "en": "Province"},
        "nat_all_provinces": {"id": "Seluruh Indonesia", "en": "All of Indonesia"},
        "nat_province_help": {
            "id": "Desa ditampilkan satu provinsi sekaligus: peta desa seluruh Indonesia akan "
            "sekitar 76 MB. Peringkat dihitung di dalam provinsi yang dipilih.",
            "en": "Villages are shown one province at a time: a map of every village in "
            "Indonesia would be about 76 MB. Ranks are computed within the chosen province.",
        },
        "nat_desa_pick": {
            "id": "Pilih provinsi di panel samping: desa ditampilkan satu provinsi sekaligus "
            "(peta desa seluruh Indonesia akan sekitar 76 MB di peramban).",
            "en": "Choose a province in the sidebar: villages are shown one province at a time "
            "(a map of every village in Indonesia would be about 76 MB in the browser).",
        },
        "nat_computing": {
            "id": "Menghitung indikator nasional (mesin lokal, sekali per tingkat dan ambang)…",
            "en": "Computing the national indicators (local engine, once per level and threshold)…",
        },
        "nat_outlines_loading": {
            "id": "Menyiapkan batas wilayah…",
            "en": "Preparing the outlines…",
        },
        "nat_scope": {
            "id": "{n} wilayah {level}, {where}. Peringkat dihitung di dalam wilayah ini.",
            "en": "{n} areas, {level}, {where}. Ranks are computed within this scope.",
        },
        "nat_run_line": {
            "id": "Skala {scale}; indikator dihitung dalam {s} detik ({engine}); perubahan bobot "
            "hanya mengurutkan ulang.",
            "en": "Scale {scale}; indicators computed in {s} s ({engine}); a weight change only "
            "re-ranks.",
        },
        "nat_map_hint": {
            "id": "Batas wilayah disederhanakan untuk tampilan (analisis memakai geometri penuh).",
            "en": "Outlines are simplified for display (the analysis uses the full geometry).",
        },
        "nat_downloads_scope": {
            "id": "Unduhan memuat {n} wilayah yang ditampilkan, dengan kolom data_status sintetis.",
            "en": "Downloads hold the {n} areas shown, with a synthetic data_status column.",
        },
        "nat_no_pdf": {
            "id": "Tanpa PDF: dosir PDF memetakan UMKM tiap wilayah, sedangkan run nasional tidak "
            "menyimpan fakta per UMKM (hanya jumlah per wilayah).",
            "en": "No PDF: a dossier maps each area's MSMEs, and a national run keeps no per-MSME "
            "facts (only counts per area).",
        },
        "nat_no_siting": {
            "id": "Efisiensi biaya butuh perhitungan lokasi menara dari titik UMKM; run nasional "
            "hanya menyimpan jumlah per wilayah, jadi indikator ini tidak tersedia di sini.",
            "en": "Cost efficiency needs tower siting from the MSME points; a national run keeps "
            "only counts per area, so this indicator is not available here.",
        },
        "nat_sources_note": {
            "id": "Nama provinsi: Kepmendagri 100.1.1-6117/2022 (hanya label kode; wilayahnya "
            "sintetis).",
            "en": "Province names: Kepmendagri 100.1.1-6117/2022 (labels of the codes only; the "
            "areas are synthetic).",
        },
    }
    | APP_TEXT
    | MAP_TEXT
    | WORKLOAD_TEXT
)


#: The 38 provinces by Kemendagri code (Kepmendagri 100.1.1-6117/2022); proper names, the
#: same in both languages.  The national workload only uses the codes: its areas are synthetic.
PROVINCE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "11": "Aceh",
        "12": "Sumatera Utara",
        "13": "Sumatera Barat",
        "14": "Riau",
        "15": "Jambi",
        "16": "Sumatera Selatan",
        "17": "Bengkulu",
        "18": "Lampung",
        "19": "Kepulauan Bangka Belitung",
        "21": "Kepulauan Riau",
        "31": "DKI Jakarta",
        "32": "Jawa Barat",
        "33": "Jawa Tengah",
        "34": "DI Yogyakarta",
        "35": "Jawa Timur",
        "36": "Banten",
        "51": "Bali",
        "52": "Nusa Tenggara Barat",
        "53": "Nusa Tenggara Timur",
        "61": "Kalimantan Barat",
        "62": "Kalimantan Tengah",
        "63": "Kalimantan Selatan",
        "64": "Kalimantan Timur",
        "65": "Kalimantan Utara",
        "71": "Sulawesi Utara",
        "72": "Sulawesi Tengah",
        "73": "Sulawesi Selatan",
        "74": "Sulawesi Tenggara",
        "75": "Gorontalo",
        "76": "Sulawesi Barat",
        "81": "Maluku",
        "82": "Maluku Utara",
        "91": "Papua",
        "92": "Papua Barat",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
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
