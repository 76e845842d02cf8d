"""The app's text, part 2: sites, scenarios, map, drill-down, detail, downloads, own data.

Also data quality and the national views.

Merged into the one catalogue by :mod:`infra_gap.text.i18n`; Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["UI_PANELS_TEXT"]

UI_PANELS_TEXT: dict[str, Mapping[str, str]] = {
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
    "box_button": {"id": "Pilih berkas", "en": "Choose file"},
    "box_limit": {"id": "maks. {mb} MB per berkas", "en": "up to {mb} MB per file"},
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
    "up_not_received": {
        "id": "Server belum menerima berkas di kotak {boxes}. Bila kotak itu sudah menampilkan "
        "nama berkas Anda, unggahannya belum selesai atau gagal (kotak menandai galatnya): "
        "tunggu sampai selesai, atau hapus berkas itu (\u00d7) dan pilih lagi.",
        "en": "The server has not received a file in the box {boxes}. If that box already "
        "shows your file's name, its upload has not finished or failed (the box marks the "
        "error): wait until it is done, or remove the file (\u00d7) and choose it again.",
    },
    "up_lost": {
        "id": "Server tidak lagi menyimpan berkas di kotak {boxes} (sambungan diperbarui atau "
        "berkas dihapus). Hapus berkas itu (\u00d7) dan unggah lagi.",
        "en": "The server no longer holds the file in the box {boxes} (the connection was "
        "renewed or the file removed). Remove the file (\u00d7) and upload it again.",
    },
    "own_in_use": {"id": "Memakai data sendiri: {name}", "en": "Using own data: {name}"},
    "up_released": {
        "id": "Berkas data yang dipakai sudah dibaca lalu dilepas dari memori server. Untuk "
        "memuatnya lagi dengan pilihan lain, pilih berkasnya lagi.",
        "en": "The files of the data in use were read and then let go from the server's "
        "memory. To load them again with other options, choose the files again.",
    },
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
    "dq_code_conflicts": {
        "id": "UMKM yang kode wilayahnya berbeda dengan wilayah titik koordinatnya: {n} "
        "(dihitung menurut koordinat)",
        "en": "MSMEs whose area code differs from the area their coordinates fall in: {n} "
        "(counted where the coordinates say)",
    },
    "dq_code_given": {"id": "Kode di daftar", "en": "Code in the register"},
    "dq_code_point": {"id": "Wilayah titik", "en": "Area of the point"},
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
