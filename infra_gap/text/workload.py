"""UI text of the workloads built from own files on the national page (issue #17, item 4).

Merged into ``TEXT`` by :mod:`infra_gap.text.i18n`; Bahasa Indonesia first, then English.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["WORKLOAD_TEXT"]

# fmt: off
WORKLOAD_TEXT: dict[str, Mapping[str, str]] = {
    "nat_built_option": {
        "id": "{name} · data sendiri · {n} {level} · {msme} UMKM",
        "en": "{name} · own data · {n} {level} · {msme} MSMEs",
    },
    "nat_built_banner": {
        "id": "Beban kerja dari data Anda sendiri (infra-gap workload build), diambil dari "
              "folder beban kerja yang dikonfigurasi; peringkatnya sama dengan rank pada "
              "berkas yang sama.",
        "en": "A workload built from your own files (infra-gap workload build), from the "
              "configured workloads folder; its ranking is the one rank gives on the same "
              "files.",
    },
    "nat_built_level": {
        "id": "Beban kerja ini hanya berisi wilayah tingkat {level}: pilih tingkat itu.",
        "en": "This workload holds {level} areas only: choose that level.",
    },
}
# fmt: on
