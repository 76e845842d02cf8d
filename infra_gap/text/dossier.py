"""Text of the PDF dossier and of its readiness checklist, (Indonesian, English).

Merged into the one catalogue by :mod:`infra_gap.text.i18n` as ``dossier.<key>`` and
``checklist.<field>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CHECKLIST_TEXT", "DOSSIER_TEXT"]

# fmt: off
#: Every text the dossier prints, (Indonesian, English).
DOSSIER_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType({
    "title": ("Berkas usulan BTS 4G untuk BAKTI", "4G site request dossier for BAKTI"),
    "subtitle": ("{region} - tingkat {level} - dibuat {date} dengan infra-gap {version}",
                 "{region} - {level} level - made {date} with infra-gap {version}"),
    "running": ("infra-gap - Berkas usulan BTS 4G - {date}",
                "infra-gap - 4G request dossier - {date}"),
    "syn_box": ("DEMO SINTETIS. Angka UMKM, menara, cakupan 4G, tes kecepatan dan backbone di "
                "berkas ini berasal dari data sintetis; hanya batas wilayah dan statistik "
                "kabupaten yang nyata. Angka ini bukan fakta dan tidak boleh diajukan.",
                "SYNTHETIC DEMO. The MSME, tower, 4G coverage, speed-test and backbone figures "
                "in this dossier come from synthetic data; only the boundaries and kabupaten "
                "statistics are real. They are not facts and must not be submitted."),
    "footer_syn": ("DEMO SINTETIS - bukan fakta", "DEMO SINTETIS / SYNTHETIC DEMO - not facts"),
    "page": ("Halaman {p}", "Page {p}"),
    "summary": ("Ringkasan provinsi", "Province summary"),
    "s_areas": ("Wilayah ({level})", "Areas ({level})"),
    "s_msme": ("UMKM", "MSMEs"),
    "s_unc": ("UMKM tanpa sinyal 4G", "MSMEs without 4G"),
    "s_unknown": ("UMKM tanpa data cakupan", "MSMEs with no coverage data"),
    "s_tiers": ("Wilayah Prioritas 1 / 2 / 3", "Areas in Priority 1 / 2 / 3"),
    "s_selected": ("Wilayah dalam berkas ini", "Areas in this dossier"),
    "map_head": ("Peta wilayah terpilih", "Map of the selected areas"),
    "map_note": ("Kiri: provinsi (kotak biru = perbesaran); kanan: perbesaran, nomor = urutan "
                 "dalam berkas. Hijau muda: cakupan 4G. Isi: merah Prioritas 1, oranye 2, "
                 "abu-abu 3.",
                 "Left: the province (blue box = zoom); right: the zoom, numbers = order in this "
                 "dossier. Light green: 4G coverage. Fill: red Priority 1, orange 2, grey 3."),
    "list_head": ("Wilayah terpilih", "Selected areas"),
    "list_cols": ("No|Peringkat|Kode|Nama|Prioritas|UMKM tanpa 4G|Porsi|Skor",
                  "No|Rank|Code|Name|Priority|MSMEs without 4G|Share|Score"),
    "method_head": ("Metodologi singkat", "Method in brief"),
    "method": ("Skor tiap wilayah = jumlah bobot x nilai indikator ternormalisasi ({norm}). "
               "Bobot: {weights}. Piksel tercakup bila nilainya >= {cov}.",
               "Each area's score = sum of weight x normalised indicator ({norm}). "
               "Weights: {weights}. A pixel is covered when its value is >= {cov}."),
    "method_stab": ("Stabilitas: {draws} undian yang memvariasikan {factors} (bobot Dirichlet "
                    "di sekitar bobot terpilih, konsentrasi {conc}); dilaporkan rentang peringkat "
                    "persentil 5-95 dan porsi undian di {n} besar (rincian di lampiran).",
                    "Stability: {draws} draws varying {factors} (Dirichlet weights around the "
                    "chosen weights, concentration {conc}); reported as the 5th-95th percentile "
                    "rank range and the share of draws in the top {n} (details in the annex)."),
    "section": ("{i}. {nama}", "{i}. {nama}"),
    "section_line": ("Kode {kode}{parent} - peringkat {rank} dari {n} - skor {score}{tier}",
                     "Code {kode}{parent} - rank {rank} of {n} - score {score}{tier}"),
    "tier": ("Prioritas {t}", "Priority {t}"),
    "legend": ("Wilayah|UMKM tanpa 4G|Menara|Backbone / PoP|Cakupan 4G|Lokasi usulan",
               "Area|MSMEs without 4G|Tower|Backbone / PoP|4G coverage|Proposed site"),
    "figures": ("Angka kunci", "Key figures"),
    "charts": ("Kontribusi ke skor|UMKM per sektor|semua UMKM|tanpa 4G",
               "Contribution to score|MSMEs by sector|all MSMEs|without 4G"),
    "stab_head": ("Stabilitas peringkat", "Rank stability"),
    "stab": ("Peringkat {rank}; bila bobot, normalisasi, pilihan indikator dan data "
             "diperdebatkan (lampiran: Ketidakpastian peringkat), peringkatnya {low}-{high} "
             "(persentil 5-95) dan masuk {n} besar pada {share} undian.",
             "Rank {rank}; when the weights, normalisation, indicator set and data are argued "
             "over (annex: Rank uncertainty), it ranks {low}-{high} (5th-95th percentile) and "
             "is in the top {n} in {share} of draws."),
    "stab_none": ("Stabilitas belum dihitung untuk peringkat ini.",
                  "Stability was not computed for this ranking."),
    "sector_head": ("UMKM tanpa 4G per sektor", "MSMEs without 4G by sector"),
    "sector_cols": ("Sektor|UMKM|Tanpa 4G|Porsi tanpa 4G",
                    "Sector|MSMEs|Without 4G|Share without 4G"),
    "sector_none": ("Register UMKM tidak memuat kolom sektor.",
                    "The MSME register has no sector column."),
    "chk_head": ("Daftar periksa kesiapan BAKTI", "BAKTI readiness checklist"),
    "chk_cols": ("Syarat|Isian / bukti|Status", "Requirement|Entry / evidence|Status"),
    "missing": ("belum diisi", "not yet filled"),
    "ev_user": ("Laporan Diskominfo / survei: {v}", "Diskominfo report / survey: {v}"),
    "ev_cov": ("Raster cakupan: {unc} dari {tot} UMKM ({share}) tanpa 4G; {area} luas "
               "wilayah tanpa 4G.",
               "Coverage raster: {unc} of {tot} MSMEs ({share}) without 4G; {area} of the area "
               "without 4G."),
    "ev_towers": ("Menara: {towers} menara, {ops} operator ({cls}); median jarak UMKM ke "
                  "menara {km} km.",
                  "Towers: {towers} towers, {ops} operators ({cls}); median MSME distance to a "
                  "tower {km} km."),
    "ev_speed": ("Tes kecepatan: unduh rata-rata {mbps} Mbps dari {tests} tes; {slow} UMKM di "
                 "ubin < 5 Mbps.",
                 "Speed tests: mean download {mbps} Mbps from {tests} tests; {slow} MSMEs in "
                 "tiles < 5 Mbps."),
    "ev_weak": ("Bukti lemah (< 50 tes).", "Weak evidence (< 50 tests)."),
    "ev_conflict": ("Bukti bertentangan: peta menyebut tercakup, tetapi tes lambat atau tidak ada.",
                    "Conflicting evidence: coverage says covered, but tests are slow or absent."),
    "syn_tag": (" [demo sintetis]", " [synthetic demo]"),
    "op_none": ("tidak ada", "none"), "op_single": ("tunggal", "single"),
    "op_several": ("lebih dari satu", "several"),
    "sites_head": ("Lokasi usulan", "Proposed sites"),
    "sites_none": ("Belum ada lokasi usulan di wilayah ini.", "No proposed site in this area yet."),
    "sites_cols": ("Lokasi|Desa|Bujur, lintang|Backhaul|UMKM baru|Capex (Rp juta)|"
                   "Opex/tahun (Rp juta)|Biaya seumur (Rp juta)",
                   "Site|Desa|Lon, lat|Backhaul|New MSMEs|Capex (Rp million)|"
                   "Opex/year (Rp million)|Whole-life cost (Rp million)"),
    "sites_total": ("Jumlah: {n} lokasi, {msme} UMKM baru terjangkau, capex Rp {capex}, biaya "
                    "seumur (capex + opex selama masa rencana) Rp {total}.",
                    "Total: {n} sites, {msme} MSMEs newly covered, capex Rp {capex}, whole-life "
                    "cost (capex + opex over the plan's years) Rp {total}."),
    "sites_note": ("Lokasi usulan dipilih otomatis (situs termurah yang menjangkau 80% UMKM tanpa "
                   "4G di wilayah ini, paling banyak 5); titik akhir ditentukan setelah survei "
                   "lahan. UMKM baru = UMKM tanpa 4G dalam jangkauan, dihitung sekali.",
                   "Sites chosen automatically (the cheapest sites reaching 80% of the area's "
                   "MSMEs without 4G, at most 5); the final point follows the land survey. New "
                   "MSMEs = MSMEs without 4G within reach, each counted once."),
    "unknown": ("tidak diketahui", "unknown"),
    "desa_head": ("Desa/kelurahan di wilayah ini ({n})", "Desa/kelurahan in this area ({n})"),
    "desa_cols": ("Kode|Nama|Penduduk|UMKM|UMKM tanpa 4G|Kelas kebutuhan",
                  "Code|Name|Population|MSMEs|MSMEs without 4G|Need class"),
    "desa_pop_unknown": ("Penduduk per desa: tidak diketahui (berkas batas wilayah tidak memuat "
                         "kolom penduduk).",
                         "Population per desa: unknown (the boundary file has no population "
                         "column)."),
    "chk_auto": ("terisi otomatis", "pre-filled"),
    "chk_done": ("terisi", "filled"),
    "chk_partial": ("sebagian", "partly"),
    "chk_todo": ("belum", "to do"),
    "need_line": ("Kelas kebutuhan mutlak: {cls} (Prioritas bersifat relatif terhadap {n} besar; "
                  "kelas ini tidak).",
                  "Absolute need class: {cls} (Priority is relative to the top {n}; this class "
                  "is not)."),
    "uncert_head": ("Ketidakpastian peringkat", "Rank uncertainty"),
    "letter_title": ("Lampiran: templat surat usulan", "Annex: request letter template"),
    "letter_note": ("Templat. Isi nomor, tanggal, nama dan tanda tangan; cetak di kop surat "
                    "pemerintah daerah.",
                    "Template. Fill in the number, date, name and signature; print on the local "
                    "government's letterhead."),
    "letter_head": ("KOP SURAT PEMERINTAH {region}\nNomor: ........ / ........ / 20..\n"
                    "Sifat: Penting\nLampiran: 1 (satu) berkas",
                    "LETTERHEAD OF THE GOVERNMENT OF {region}\nNumber: ........ / ........ / "
                    "20..\nUrgency: Important\nEnclosure: 1 (one) dossier"),
    "letter_to": ("Kepada Yth.\nDirektur Utama Badan Aksesibilitas Telekomunikasi dan Informasi "
                  "(BAKTI)\nKementerian Komunikasi dan Digital\ndi Jakarta",
                  "To\nThe President Director, Badan Aksesibilitas Telekomunikasi dan Informasi "
                  "(BAKTI)\nMinistry of Communication and Digital Affairs\nJakarta"),
    "letter_subject": ("Perihal: Usulan pembangunan BTS 4G di {n} wilayah",
                       "Subject: Request for 4G BTS in {n} areas"),
    "letter_open": ("Dengan hormat, bersama ini Pemerintah {region} mengusulkan pembangunan BTS "
                    "4G melalui program BAKTI di wilayah berikut, tempat usaha mikro, kecil dan "
                    "menengah (UMKM) belum terjangkau sinyal 4G:",
                    "The Government of {region} requests 4G BTS under the BAKTI programme in the "
                    "following areas, where micro, small and medium enterprises (MSMEs) have no "
                    "4G signal:"),
    "letter_cols": ("No|Wilayah (kode)|Desa/kelurahan|UMKM tanpa 4G|Lokasi usulan",
                    "No|Area (code)|Desa/kelurahan|MSMEs without 4G|Proposed sites"),
    "letter_body": ("Bukti blank spot, status daerah tertinggal (Perpres 63/2020), koordinat "
                    "lokasi usulan dan biayanya, serta kesiapan lahan, listrik, akses dan "
                    "penjaga lokasi tercantum dalam berkas terlampir. Pemerintah daerah siap "
                    "menyediakan lahan 20 x 20 m dan menunjuk penjaga lokasi.",
                    "The blank-spot evidence, the disadvantaged-region status (Perpres 63/2020), "
                    "the proposed site coordinates and costs, and the readiness of land, power, "
                    "access and site guard are in the enclosed dossier. The local government "
                    "will provide 20 x 20 m of land and name a site guard."),
    "letter_enclosures": ("Lampiran: berkas usulan infra-gap (peta, angka, lokasi usulan, daftar "
                          "periksa kesiapan); dokumen lahan (akta hibah / surat kepemilikan, "
                          "IMB/PBG, perjanjian pinjam pakai lahan) menyusul bila belum lengkap.",
                          "Enclosed: the infra-gap dossier (maps, figures, proposed sites, "
                          "readiness checklist); land documents (grant deed / ownership letter, "
                          "IMB/PBG, land-loan agreement) follow where not yet complete."),
    "letter_sign": ("........, .. ........ 20..|Bupati / Wali Kota ........||||"
                    "(nama dan tanda tangan)",
                    "........, .. ........ 20..|Bupati / Wali Kota ........||||"
                    "(name and signature)"),
    "letter_cc": ("Tembusan: 1. Menteri Komunikasi dan Digital; 2. Gubernur; 3. Kepala Dinas "
                  "Komunikasi dan Informatika.",
                  "Copies: 1. Minister of Communication and Digital Affairs; 2. Governor; 3. "
                  "Head of the Communication and Informatics Office."),
    "annex": ("Lampiran: sumber data, lisensi dan catatan",
              "Annex: data sources, licences and notes"),
    "acc_head": ("Akuntansi baris", "Row accounting"),
    "acc_src": ("Sumber", "Source"),
    "rejected": ("Baris ditolak seluruhnya: {n} (rinciannya di XLSX, lembar Data ditolak).",
                 "Rows rejected in all: {n} (listed in the XLSX, sheet Data ditolak)."),
    "def_head": ("Definisi indikator", "Indicator definitions"),
    "def_cols": ("Indikator (satuan)|Definisi|Sumber", "Indicator (unit)|Definition|Source"),
    "rules_head": ("Aturan", "Rules"),
    "sektor_perdagangan": ("Perdagangan", "Trade"),
    "sektor_makanan_minuman": ("Makanan & minuman", "Food & drink"),
    "sektor_pertanian_perikanan": ("Pertanian & perikanan", "Farming & fishing"),
    "sektor_jasa": ("Jasa", "Services"),
    "sektor_fesyen_kerajinan": ("Fesyen & kerajinan", "Fashion & crafts"),
    "sektor_lainnya": ("Lainnya", "Other"),
})
# fmt: on


# fmt: off
#: Checklist field -> (Indonesian label, English label), in the order printed.
CHECKLIST_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType({
    "status_3t": ("Status 3T (Perpres 63/2020) atau lokasi prioritas",
                  "3T status (Perpres 63/2020) or priority location"),
    "blank_spot": ("Blank spot: laporan Diskominfo / survei (tanggal, sumber)",
                   "Blank spot: Diskominfo report / survey (date, source)"),
    "lahan": ("Lahan 20 x 20 m: lokasi dan status (hibah / milik pemda / pinjam pakai)",
              "Land 20 x 20 m: location and status (grant / local government / loan)"),
    "lahan_hibah": ("Lahan: akta hibah / surat kepemilikan (nomor, tanggal)",
                    "Land: grant deed / ownership letter (number, date)"),
    "lahan_pbg": ("Lahan: IMB/PBG (nomor, tanggal)",
                  "Land: IMB/PBG building permit (number, date)"),
    "lahan_pinjam_pakai": ("Lahan: perjanjian pinjam pakai lahan (nomor, tanggal)",
                           "Land: land-loan agreement (number, date)"),
    "listrik": ("Listrik: PLN (daya, jarak jaringan) atau surya",
                "Power: PLN grid (capacity, distance) or solar"),
    "akses": ("Akses jalan / laut (kondisi, jarak dari jalan atau dermaga)",
              "Road / sea access (condition, distance from road or jetty)"),
    "penjaga": ("Keamanan / penjaga lokasi (nama, jabatan, kontak)",
                "Security / site guard (name, position, contact)"),
    "surat_usulan": ("Surat usulan Bupati/Wali Kota (nomor, tanggal)",
                     "Request letter of the Bupati/Wali Kota (number, date)"),
})
# fmt: on
