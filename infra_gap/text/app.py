"""UI text of the app's planner features (issue #19): workspaces, links, downloads, the map.

Kept beside :mod:`infra_gap.text.i18n` (which merges it into ``TEXT``) so that catalogue stays
short enough to read; the same rules hold: Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["APP_TEXT"]

# fmt: off
APP_TEXT: dict[str, Mapping[str, str]] = {
    # Start-up.
    "loading_demo": {"id": "Memuat data demo (pertama kali bisa sekitar satu menit)\u2026",
                     "en": "Loading the demo data (the first time may take about a minute)\u2026"},
    # Workspaces.
    "ws_name": {"id": "Ruang kerja (proyek)", "en": "Workspace (project)"},
    "ws_help": {"id": "Daftar periksa, catatan, skenario dan tampilan terakhir disimpan di "
                      "server per ruang kerja; semua yang memakai nama yang sama melihatnya.",
                "en": "Checklists, notes, scenarios and the last view are saved on the server per "
                      "workspace; everyone using the same name sees them."},
    "ws_where_sqlite": {"id": "Disimpan di basis data SQLite server ini.",
                        "en": "Saved in this server's SQLite database."},
    "ws_where_server": {"id": "Disimpan di basis data PostgreSQL kantor.",
                        "en": "Saved in the office's PostgreSQL database."},
    "ws_conflict": {
        "id": "**{field}** sudah diubah penyunting lain ({when}) menjadi: {theirs}. Isian Anda "
              "tidak disimpan agar tidak menimpanya: {mine}. Ketik lagi untuk menggantinya.",
        "en": "**{field}** was changed by another editor ({when}) to: {theirs}. Your text was "
              "not saved, so as not to overwrite it: {mine}. Type it again to replace it."},
    "note": {"id": "Catatan wilayah", "en": "Note on this area"},
    "ws_title": {"id": "Ruang kerja", "en": "Workspace"},
    "ws_export": {"id": "Unduh ruang kerja (JSON)", "en": "Download the workspace (JSON)"},
    "ws_import": {"id": "Impor berkas ruang kerja (JSON)", "en": "Import a workspace file (JSON)"},
    "ws_import_run": {"id": "Tambahkan ke ruang kerja ini", "en": "Add to this workspace"},
    "ws_imported": {"id": "{n} isian diimpor ke {name}.", "en": "{n} items imported into {name}."},
    "scenario_unnamed": {"id": "tanpa nama", "en": "unnamed"},
    "ws_save_scenario": {"id": "Simpan skenario \u00ab{name}\u00bb di ruang kerja",
                         "en": "Save scenario \u00ab{name}\u00bb in the workspace"},
    "ws_saved_scenario": {"id": "Skenario {name} disimpan.", "en": "Scenario {name} saved."},
    "ws_scenarios": {"id": "Skenario tersimpan", "en": "Saved scenarios"},
    "ws_open_scenario": {"id": "Buka skenario ini", "en": "Open this scenario"},
    "ws_no_scenarios": {"id": "Belum ada skenario tersimpan.", "en": "No saved scenario yet."},
    # Selection-aware figures and downloads.
    "and": {"id": "dan", "en": "and"},
    "metric_in": {"id": "Angka di atas: hanya {where}.", "en": "Figures above: {where} only."},
    "sort_by": {"id": "Urutkan menurut", "en": "Sort by"},
    "col_rank_sel": {"id": "Peringkat di pilihan", "en": "Rank in selection"},
    "rank_both": {"id": "Peringkat {sel} dari {n} di {where}; peringkat {rank} dari {total} "
                        "se-provinsi.",
                  "en": "Rank {sel} of {n} in {where}; rank {rank} of {total} province-wide."},
    "dl_scope_sel": {"id": "Unduhan berisi {n} wilayah ({level}) di {where} saja.",
                     "en": "Downloads hold the {n} areas ({level}) in {where} only."},
    "dl_scope_all": {"id": "Unduhan berisi semua {n} wilayah ({level}).",
                     "en": "Downloads hold all {n} areas ({level})."},
    "pdf_top_in": {"id": "{n} teratas di {where}", "en": "Top {n} in {where}"},
    "pdf_top_all": {"id": "{n} teratas se-provinsi", "en": "Top {n} province-wide"},
    "download_csv_sized": {"id": "Unduh daftar peringkat (CSV, {size})",
                           "en": "Download the ranked list (CSV, {size})"},
    "download_xlsx_sized": {"id": "Unduh buku kerja Excel (XLSX, {size})",
                            "en": "Download the Excel workbook (XLSX, {size})"},
    "download_gpkg_sized": {"id": "Unduh peta GIS (GeoPackage, {size})",
                            "en": "Download the GIS map (GeoPackage, {size})"},
    "download_pdf_top_sized": {"id": "Unduh berkas PDF {n} teratas ({size})",
                               "en": "Download the PDF of the top {n} ({size})"},
    "download_dossier_sized": {"id": "Unduh berkas wilayah ini (PDF, {size})",
                               "en": "Download this area's dossier (PDF, {size})"},
    "prepare_xlsx": {"id": "Siapkan buku kerja Excel (XLSX)",
                     "en": "Prepare the Excel workbook (XLSX)"},
    "prepare_gpkg": {"id": "Siapkan peta GIS (GeoPackage; bisa belasan detik)",
                     "en": "Prepare the GIS map (GeoPackage; may take ten seconds or more)"},
    "prepare_pdf": {"id": "Siapkan berkas PDF teratas", "en": "Prepare the PDF of the top areas"},
    "prepare_dossier": {"id": "Siapkan berkas wilayah ini (PDF)",
                        "en": "Prepare this area's dossier (PDF)"},
    "dl_making": {"id": "Menyiapkan {what}\u2026", "en": "Preparing the {what}\u2026"},
    "dl_failed": {"id": "{what} tidak dapat dibuat (kesalahan program: {kind}). Data Anda tidak "
                        "berubah; laporkan ini ke pengelola aplikasi.",
                  "en": "The {what} could not be made (a program error: {kind}). Your data are "
                        "unchanged; please report this to the app's maintainers."},
    # About: the basemap.
    "about_basemap_none": {
        "id": "Peta dasar: tidak ada. Peta tidak memuat apa pun dari pihak ketiga. Kantor dapat "
              "memakai server ubin sendiri (INFRA_GAP_TILES).",
        "en": "Basemap: none. The map loads nothing from third parties. An office may set its "
              "own tile server (INFRA_GAP_TILES)."},
    "about_basemap_office": {"id": "Peta dasar: server ubin kantor {url}",
                             "en": "Basemap: the office's tile server {url}"},
    # How sure: the top-N share in words.
    "sure_never": {"id": "Tidak masuk {n} besar dalam satu undian pun (0% berarti bukan {n} "
                         "besar, bukan \u201ctidak diketahui\u201d).",
                   "en": "Not in the top {n} in any draw (0% means not in the top {n}, not "
                         "\u201cunknown\u201d)."},
    "sure_rare": {"id": "Jarang masuk {n} besar: {pct} undian bobot.",
                  "en": "Rarely in the top {n}: {pct} of weight draws."},
    "sure_some": {"id": "Kadang masuk {n} besar: {pct} undian bobot; bergantung pada bobot.",
                  "en": "Sometimes in the top {n}: {pct} of weight draws; depends on the weights."},
    "sure_high": {"id": "Hampir pasti {n} besar: {pct} undian bobot.",
                  "en": "Almost surely in the top {n}: {pct} of weight draws."},
    "err_E_WORKSPACE": {"id": "Ruang kerja tidak dapat dipakai",
                        "en": "The workspace cannot be used"},
    "err_E_CONFLICT": {"id": "Sudah diubah oleh penyunting lain",
                       "en": "Changed by another editor"},
    # Pages (issue #18, item 7): the menu and the about-and-method page.
    "nav_province": {"id": "Peringkat provinsi", "en": "Province ranking"},
    "nav_about": {"id": "Tentang & metode", "en": "About & method"},
    "about_method": {
        "id": "**Cara kerja.** Setiap titik UMKM dimasukkan ke wilayah yang memuatnya dan "
              "diperiksa terhadap peta cakupan 4G; dari situ dihitung indikator per wilayah "
              "(UMKM, UMKM tanpa sinyal, porsinya, operator, kecepatan, jarak ke menara dan "
              "jaringan). Setiap indikator yang diberi bobot dinormalkan (min-maks atau "
              "persentil; nilai kosong menyumbang 0), bobot diseimbangkan ulang agar berjumlah 1, "
              "dan skor adalah jumlah terbobotnya; peringkat mengikuti skor (skor sama diurutkan "
              "menurut kode).\n\n**Seberapa pasti.** Mengikuti *Handbook on Constructing "
              "Composite Indicators* OECD/JRC (2008): setiap undian (bawaan 1.000) mengubah "
              "bersama-sama bobot (Dirichlet di sekitar pilihan Anda), cara normalisasi, "
              "indikator yang ditinggalkan dan jumlah yang dihitung (±10%). Setiap wilayah "
              "mendapat rentang peringkat (persentil 5-95) dan porsi undian yang menempatkannya "
              "di N teratas.",
        "en": "**How it works.** Each MSME point goes to the area that contains it and is looked "
              "up on the 4G coverage map; from that come the indicators per area (MSMEs, MSMEs "
              "without signal, their share, operators, speeds, distance to towers and the "
              "network). Each weighted indicator is normalised (min-max or percentile; a missing "
              "value contributes 0), the weights are re-balanced to sum to 1, and the score is "
              "their weighted sum; the rank follows the score (equal scores are ordered by "
              "code).\n\n**How sure.** Following the OECD/JRC *Handbook on Constructing Composite "
              "Indicators* (2008): each draw (1,000 by default) varies, together, the weights "
              "(Dirichlet around your choice), the normalisation, the indicator left out and the "
              "counts (±10%). Each area gets a rank range (5th-95th percentile) and the share of "
              "draws that put it in the top N.",
    },
    "about_indicators": {"id": "Indikator", "en": "Indicators"},
    "about_tiers": {"id": "Tingkat prioritas", "en": "Priority tiers"},
    "about_col_indicator": {"id": "Indikator (satuan)", "en": "Indicator (unit)"},
    "about_col_direction": {"id": "Arah", "en": "Direction"},
    "about_col_definition": {"id": "Definisi", "en": "Definition"},
    "about_col_source": {"id": "Sumber", "en": "Source"},
    "about_need_higher": {"id": "lebih tinggi = lebih butuh", "en": "higher = more need"},
    "about_need_lower": {"id": "lebih rendah = lebih butuh", "en": "lower = more need"},
}
# fmt: on
