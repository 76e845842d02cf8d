"""The app's text, part 1: page, errors, presets, stability, reasons, eligibility.

Merged into the one catalogue by :mod:`infra_gap.text.i18n`; Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["UI_CORE_TEXT"]

UI_CORE_TEXT: dict[str, Mapping[str, str]] = {
    "app_title": {
        "id": "infra-gap: UMKM tanpa internet di Sumatera Utara",
        "en": "infra-gap: MSMEs without internet in North Sumatra",
    },
    "app_caption": {
        "id": "Daftar prioritas wilayah untuk usulan infrastruktur (BTS 4G BAKTI, backbone).",
        "en": "A priority list of areas for infrastructure requests (BAKTI 4G towers, backbone).",
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
    "err_E_EXTRA": {
        "id": "Paket tambahan yang diperlukan belum dipasang",
        "en": "An optional package that is needed is not installed",
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
        "id": "Bobot diacak (Dirichlet) di sekitar pilihan Anda sebanyak ini; 0 = tanpa acakan.",
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
        "id": "Tidak ada wilayah yang memenuhi syarat di pilihan ini; semua wilayah ditampilkan.",
        "en": "No eligible area in this selection; every area is shown.",
    },
}
