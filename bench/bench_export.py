"""Export times for every format on the demo, at kecamatan (455) and desa (6,110) level.

Each format is timed from the ranked table to bytes in memory (best of three runs; one run
for the PDF, which is made per area).  Ratios are against the plain CSV of the same table,
measured in the same run; the XLSX is also compared with pandas ``to_excel`` (openpyxl, no
formats, no extra sheets), the baseline an analyst would write.  The GeoPackage carries the
whole province's evidence layers (uncovered MSMEs, towers, 86,533 speed tiles, backbone), so
it is the slowest table format by design.

Last, the issue's "done when": the XLSX and the PDF dossier of the top five kecamatan of
Nias Selatan (kode 12.14), written to ``bench/out/export/`` through ``write_ranked``.
"""

from __future__ import annotations

import time
from io import BytesIO
from pathlib import Path

import pandas as pd

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.outputs.export import export_columns
from infra_gap.outputs.formats import export_bytes, meta_for, write_ranked
from infra_gap.outputs.views import with_reasons
from infra_gap.ranking.scenario import Scenario, run_scenario
from infra_gap.synthetic.demo import DEMO_REGION, load_demo

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "export"


def best(fn, runs: int = 3) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - t0)
    return min(times), size


def plain_excel(ranked: pd.DataFrame) -> bytes:
    buf = BytesIO()
    ranked[export_columns(ranked)].to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def main() -> None:
    t0 = time.perf_counter()
    layers = load_demo(ROOT / "data", ROOT / ".cache")
    facts = place_and_cover(layers, covered_min=1.0)
    print(f"demo loaded and placed in {time.perf_counter() - t0:.1f} s")
    print(f"{'level':<10} {'format':<24} {'seconds':>8} {'MB':>7} {'x CSV':>7}")
    for level in ("kecamatan", "desa"):
        result = run_scenario(indicator_table(layers, facts, level=level), Scenario(level=level))
        ranked, meta = with_reasons(result.ranked, "id"), meta_for(result)
        top5 = ranked["kode"].head(5).tolist()

        def fmt(ext: str, codes=None, ranked=ranked, meta=meta):
            return lambda: export_bytes(
                ranked, layers, fmt=ext, meta=meta, facts=facts, codes=codes, region=DEMO_REGION
            )

        csv_s, csv_b = best(fmt(".csv"))
        rows = [
            ("CSV (baseline)", csv_s, csv_b),
            ("pandas to_excel (plain)", *best(lambda ranked=ranked: plain_excel(ranked))),
            ("XLSX (5 sheets, formats)", *best(fmt(".xlsx"))),
            ("GeoPackage (7 layers)", *best(fmt(".gpkg"), runs=1)),
            ("PDF dossier, top 5", *best(fmt(".pdf", top5), runs=1)),
        ]
        for name, secs, size in rows:
            print(f"{level:<10} {name:<24} {secs:8.2f} {size / 1e6:7.2f} {secs / csv_s:7.1f}")
    OUT.mkdir(parents=True, exist_ok=True)
    result = run_scenario(indicator_table(layers, facts, level="kecamatan"), Scenario())
    for name in ("nias_selatan_top5.xlsx", "nias_selatan_top5.pdf"):
        t0 = time.perf_counter()
        write_ranked(result.ranked, layers, OUT / name, meta=meta_for(result), facts=facts,
                     within="12.14", top=5, region=DEMO_REGION)  # fmt: skip
        print(f"done-when: {name} in {time.perf_counter() - t0:.2f} s -> {OUT / name}")


if __name__ == "__main__":
    main()
