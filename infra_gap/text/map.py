"""UI text of the map, its printout and the display of numbers (issue #19, items 3, 5-7).

Merged into ``TEXT`` by :mod:`infra_gap.text.i18n`; Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MAP_TEXT"]

# fmt: off
MAP_TEXT: dict[str, Mapping[str, str]] = {
    "layer_labels": {"id": "Nama wilayah", "en": "Place names"},
    # Cetak peta: the map view as a PNG/PDF page.
    "print_map": {"id": "Cetak peta", "en": "Print the map"},
    "print_help": {
        "id": "Tampilan peta saat ini (filter, lapisan, perbesaran) sebagai halaman A4 dengan "
              "legenda, skala, arah utara, tanggal dan status data; digambar di server.",
        "en": "The current map view (filter, layers, zoom) as an A4 page with legend, scale, "
              "north arrow, date and data status; drawn on the server.",
    },
    "print_png_sized": {"id": "Unduh peta PNG ({size})", "en": "Download the map as PNG ({size})"},
    "print_pdf_sized": {"id": "Unduh peta PDF ({size})", "en": "Download the map as PDF ({size})"},
    "print_title": {"id": "Peta prioritas: {scope}", "en": "Priority map: {scope}"},
    "print_scope_sel": {"id": "{n} {level} di {where}", "en": "{n} {level} in {where}"},
    "print_scope_all": {"id": "semua {n} {level}", "en": "all {n} {level}"},
    "print_dated": {"id": "Dicetak {date} \u00b7 infra-gap",
                    "en": "Printed {date} \u00b7 infra-gap"},
    "print_synthetic": {
        "id": "Status data: DEMO SINTETIS. Hanya batas wilayah dan statistik kabupaten yang "
              "nyata; titik UMKM, menara, cakupan, tes kecepatan dan backbone dibangkitkan.",
        "en": "Data status: SYNTHETIC DEMO. Only the boundaries and kabupaten statistics are "
              "real; MSMEs, towers, coverage, speed tests and backbone are generated.",
    },
    "print_own": {"id": "Status data: data sendiri ({name}).",
                  "en": "Data status: own data ({name})."},
    "print_source": {"id": "{layer}: {origin}, {date}", "en": "{layer}: {origin}, {date}"},
    "download_csv_excel_id_sized": {"id": "CSV untuk Excel (Indonesia) ({size})",
                                    "en": "CSV for Excel (Indonesia) ({size})"},
    # Own data: the level of the uploaded boundaries, shown for confirmation.
    "up_level_found": {
        "id": "Batas wilayah dibaca sebagai tingkat **{level}** ({how}): {n} wilayah, mis. "
              "{example}. Bila keliru, pilih tingkatnya di atas lalu muat ulang.",
        "en": "The boundaries are read at **{level}** level ({how}): {n} areas, e.g. {example}. "
              "If that is wrong, choose the level above and load again.",
    },
    "up_level_auto": {"id": "dibaca dari kode wilayah", "en": "read from the area codes"},
    "up_level_given": {"id": "sesuai pilihan Anda", "en": "as you chose"},
}
# fmt: on
