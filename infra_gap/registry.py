"""The indicator registry: one entry per indicator, read by the UI, the exports and scoring.

Each indicator has a stable snake_case name, a unit, a direction (``higher_is_need``), short
labels and one-sentence definitions in Bahasa Indonesia and English, and its source.  An
indicator listed here may be absent from a given run (its input layer was not given); the
indicator table then simply lacks that column.  The cost-efficiency indicator is computed
by the siting stage (``stage="siting"``) and joined on only when a ranking uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["INDICATORS", "SITING_INDICATORS", "Indicator", "uses_siting"]


@dataclass(frozen=True)
class Indicator:
    """One indicator's metadata.

    Attributes
    ----------
    name
        Stable snake_case name (a column of the indicator table).
    unit
        Unit, e.g. ``"UMKM"``, ``"%"`` (a share in [0, 1], shown as percent), ``"km"``.
    higher_is_need
        Direction: True when a higher value means more need.
    label_id, label_en
        Short labels in Bahasa Indonesia and English.
    definition_id, definition_en
        One-sentence definitions.
    source
        Where the inputs come from.
    stage
        The stage that computes it: ``"indicators"`` (every indicator table, when its input
        layer is given), or ``"siting"`` (joined on by
        :func:`infra_gap.siting.plan.with_cost_efficiency`, only when it is used, because it
        solves a siting problem per area).
    """

    name: str
    unit: str
    higher_is_need: bool
    label_id: str
    label_en: str
    definition_id: str
    definition_en: str
    source: str
    stage: str = "indicators"


_REG = "MSME register"
_COV = "MSME register x coverage raster"
_OOKLA = "speed tiles (Ookla open-data schema)"
_PODES = "BPS Podes-style desa table (sangat kuat/kuat/lemah/tidak ada sinyal)"
_OPCOV = "MSME register x coverage raster per operator (--operator-coverage)"
_REACH = (
    "MSME register x towers (sites, modelled reach: infra_gap.analysis.operators, "
    "infra_gap.analysis.reach)"
)
# fmt: off
_ROWS: tuple[tuple[str, str, bool, str, str, str, str, str], ...] = (
    ("msme_total", "UMKM", True, "Jumlah UMKM", "MSMEs",
     "Jumlah UMKM yang titiknya berada di wilayah ini.",
     "MSMEs whose point lies in the area.", _REG),
    ("msme_uncovered", "UMKM", True, "UMKM tanpa sinyal 4G", "MSMEs without 4G",
     "UMKM di piksel yang tidak tercakup 4G (tanpa data dihitung tidak tercakup).",
     "MSMEs on pixels not covered by 4G (no data counts as not covered).", _COV),
    ("msme_uncovered_share", "%", True, "Porsi UMKM tanpa 4G", "Share without 4G",
     "msme_uncovered / msme_total; kosong bila tidak ada UMKM.",
     "msme_uncovered / msme_total; missing when the area has no MSMEs.", _COV),
    ("msme_coverage_unknown", "UMKM", True, "UMKM tanpa data cakupan",
     "MSMEs with no coverage data",
     "UMKM di piksel tanpa data atau di luar raster (juga dihitung tidak tercakup).",
     "MSMEs on no-data pixels or outside the raster (also counted as not covered).", _COV),
    ("msme_online_share", "%", False, "Porsi UMKM daring", "Share of MSMEs online",
     "Porsi UMKM yang sudah go digital; kosong bila register tidak memuatnya.",
     "Share of MSMEs already online; missing when the register lacks the field.",
     "MSME register `online` field"),
    ("msme_density_km2", "UMKM/km²", True, "Kepadatan UMKM", "MSME density",
     "Jumlah UMKM per km² luas poligon wilayah.",
     "MSMEs per km² of the area's polygon.", _REG + " + boundaries"),
    ("area_uncovered_share", "%", True, "Porsi luas tanpa 4G", "Area share without 4G",
     "Porsi luas wilayah yang tidak tercakup (statistik zonal, piksel parsial dihitung).",
     "Share of the area not covered (zonal statistics with partial pixels).",
     "coverage raster (exactextract)"),
    ("speed_down_mbps", "Mbps", False, "Unduh rata-rata", "Mean download",
     "Rata-rata unduh tertimbang jumlah tes: Σ(avg_d_kbps·tests)/Σtests/1000.",
     "Test-weighted mean download: Σ(avg_d_kbps·tests)/Σtests/1000.", _OOKLA),
    ("speed_up_mbps", "Mbps", False, "Unggah rata-rata", "Mean upload",
     "Rata-rata unggah tertimbang jumlah tes.", "Test-weighted mean upload.", _OOKLA),
    ("speed_latency_ms", "ms", True, "Latensi rata-rata", "Mean latency",
     "Rata-rata latensi tertimbang jumlah tes.", "Test-weighted mean latency.", _OOKLA),
    ("speed_tests", "tes", False, "Jumlah tes kecepatan", "Speed tests",
     "Jumlah tes di ubin yang pusatnya di wilayah ini; < 50 berarti bukti lemah.",
     "Tests in tiles centred in the area; under 50 means weak evidence.", _OOKLA),
    ("msme_below_4g_speed", "UMKM", True, "UMKM di ubin < 5 Mbps", "MSMEs in tiles < 5 Mbps",
     "UMKM di ubin dengan unduh di bawah ambang 4G FCC (5 Mbps).",
     "MSMEs in tiles whose download is under the FCC 4G tier (5 Mbps).", _OOKLA),
    ("msme_no_tests", "UMKM", True, "UMKM tanpa tes kecepatan", "MSMEs with no speed tests",
     "UMKM yang ubin zoom-16-nya tidak punya tes sama sekali.",
     "MSMEs whose zoom-16 tile has no test at all.", _OOKLA),
    ("tower_count", "menara", False, "Jumlah menara", "Towers",
     "Jumlah situs menara di wilayah ini: sel satu jaringan dalam 250 m dari sel pertama "
     "situsnya dihitung satu situs.",
     "Tower sites in the area: cells of one network within 250 m of their site's first "
     "cell count as one site.", "towers (cells grouped into sites, infra_gap.analysis.towers)"),
    ("cell_count", "sel", False, "Jumlah sel", "Cells",
     "Jumlah baris sel (mis. OpenCelliD) di wilayah ini; satu menara memuat beberapa sel.",
     "Cell rows (e.g. OpenCelliD) in the area; one tower carries several cells.", "towers"),
    ("operator_count", "operator", False, "Jumlah operator", "Operators",
     "Jumlah operator berbeda di wilayah ini (0 = tidak ada, 1 = tunggal).",
     "Distinct operators in the area (0 = none, 1 = single).", "towers"),
    ("msme_tower_km", "km", True, "Jarak UMKM ke menara", "MSME distance to tower",
     "Median jarak UMKM wilayah ini ke menara terdekat.",
     "Median distance from the area's MSMEs to the nearest tower.", "towers"),
    ("backbone_km", "km", True, "Jarak ke backbone", "Distance to backbone",
     "Jarak wilayah ke jalur backbone atau titik PoP terdekat.",
     "Distance from the area to the nearest backbone line or point of presence.",
     "backbone"),
    ("kota_km", "km", True, "Jarak ke kota", "Distance to a city",
     "Jarak titik wilayah ke pusat kota (kabupaten jenis kota) terdekat.",
     "Distance from the area's point to the nearest city (kota) centre.", "boundaries"),
    ("capital_km", "km", True, "Jarak ke ibu kota provinsi", "Distance to capital",
     "Jarak titik wilayah ke pusat Kota Medan.",
     "Distance from the area's point to the centre of Kota Medan.", "boundaries"),
    ("island", "0/1", True, "Pulau (bukan daratan Sumatra)", "Island (off mainland)",
     "1 bila wilayah tidak berada di daratan Sumatra.",
     "1 when the area is not on the Sumatra mainland.", "boundaries"),
    ("pop_density_km2", "jiwa/km²", False, "Kepadatan penduduk kabupaten",
     "Population density (kabupaten)",
     "Kepadatan penduduk kabupaten/kota induk (tabel BIG/Dukcapil).",
     "Population density of the parent kabupaten/kota (BIG/Dukcapil table).",
     "sumut_kabkota_stats.csv"),
    ("msme_evidence_conflict", "UMKM", True, "UMKM bukti bertentangan",
     "MSMEs with conflicting evidence",
     "UMKM yang menurut peta tercakup, tetapi tes < 5 Mbps atau tidak ada tes.",
     "MSMEs that coverage says are covered, but tests show < 5 Mbps or there are none.",
     _COV + " + " + _OOKLA),
    ("operators_reaching", "operator", False, "Operator yang menjangkau UMKM",
     "Operators reaching MSMEs",
     "Jumlah operator berbeda yang situs menaranya (juga di luar batas) berjarak dalam "
     "jangkauan (4 km, berbukit) dari sedikitnya satu UMKM wilayah ini; 0 bila tanpa UMKM.",
     "Distinct operators with a tower site (also outside the boundary) within reach (4 km, "
     "hilly) of at least one of the area's MSMEs; 0 when it has no MSMEs.", _REACH),
    ("msme_no_operator", "UMKM", True, "UMKM tanpa jangkauan operator",
     "MSMEs reached by no operator",
     "UMKM yang tidak berada dalam jangkauan situs operator mana pun.",
     "MSMEs within reach of no operator's site.", _REACH),
    ("msme_no_operator_share", "%", True, "Porsi UMKM tanpa jangkauan operator",
     "Share of MSMEs reached by no operator",
     "msme_no_operator / msme_total; kosong bila tidak ada UMKM.",
     "msme_no_operator / msme_total; missing when the area has no MSMEs.", _REACH),
    ("operators_covering", "operator", False, "Operator yang mencakup UMKM",
     "Operators covering MSMEs",
     "Jumlah operator berbeda yang raster cakupannya mencakup sedikitnya satu UMKM wilayah "
     "ini; 0 bila tanpa UMKM.",
     "Distinct operators whose coverage raster covers at least one of the area's MSMEs; 0 "
     "when it has no MSMEs.", _OPCOV),
    ("msme_no_operator_coverage", "UMKM", True, "UMKM tanpa cakupan operator",
     "MSMEs covered by no operator",
     "UMKM yang tidak tercakup raster cakupan operator mana pun.",
     "MSMEs covered by none of the operator coverage rasters.", _OPCOV),
    ("msme_no_operator_coverage_share", "%", True, "Porsi UMKM tanpa cakupan operator",
     "Share of MSMEs covered by no operator",
     "msme_no_operator_coverage / msme_total; kosong bila tidak ada UMKM.",
     "msme_no_operator_coverage / msme_total; missing when the area has no MSMEs.", _OPCOV),
    ("podes_desa", "desa", False, "Desa dengan data Podes", "Desa with Podes data",
     "Jumlah desa/kelurahan wilayah ini dalam tabel Podes.",
     "Desa/kelurahan of the area in the Podes table.", _PODES),
    ("podes_no_signal", "desa", True, "Desa tanpa sinyal (Podes)", "Desa without signal (Podes)",
     "Desa/kelurahan yang menurut Podes tidak ada sinyal telepon seluler.",
     "Desa/kelurahan where Podes records no mobile signal.", _PODES),
    ("podes_no_signal_share", "%", True, "Porsi desa tanpa sinyal (Podes)",
     "Share of desa without signal (Podes)",
     "podes_no_signal / podes_desa; di tingkat desa 1 atau 0; kosong tanpa data Podes.",
     "podes_no_signal / podes_desa; 1 or 0 at desa level; missing without Podes data.", _PODES),
    ("podes_weak_or_no_signal_share", "%", True, "Porsi desa sinyal lemah/tidak ada (Podes)",
     "Share of desa with weak or no signal (Podes)",
     "Porsi desa Podes dengan sinyal lemah atau tidak ada sinyal.",
     "Share of the area's Podes desa with weak or no signal.", _PODES),
)
# fmt: on

_COST_EFFICIENCY = Indicator(
    name="msme_new_per_billion_idr",
    unit="UMKM/Rp 1 M",
    higher_is_need=True,
    label_id="UMKM baru terjangkau per Rp 1 miliar",
    label_en="MSMEs newly covered per Rp 1 billion",
    definition_id="UMKM tanpa 4G yang terjangkau menara usulan termurah untuk 80% UMKM tanpa 4G "
    "wilayah ini, per Rp 1 miliar biayanya; kosong bila tidak ada UMKM tanpa 4G.",
    definition_en="MSMEs without 4G reached by the cheapest proposed towers for 80% of the "
    "area's MSMEs without 4G, per Rp 1 billion of their cost; missing when none lack 4G.",
    source=_COV + " + tower siting and costs (infra_gap.siting.plan; costs from domain.md)",
    stage="siting",
)

INDICATORS: Mapping[str, Indicator] = MappingProxyType(
    {row[0]: Indicator(*row) for row in _ROWS} | {_COST_EFFICIENCY.name: _COST_EFFICIENCY}
)

#: Indicators the siting stage joins on (not in every indicator table).
SITING_INDICATORS: tuple[str, ...] = tuple(k for k, v in INDICATORS.items() if v.stage == "siting")


def uses_siting(weights: Mapping[str, float]) -> bool:
    """True when a positive weight falls on an indicator of the siting stage."""
    return any(float(weights.get(name, 0.0)) > 0 for name in SITING_INDICATORS)
