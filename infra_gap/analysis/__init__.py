"""Stage 2, analysis: points placed in areas, coverage and evidence per point, indicators per area.

Reads through :mod:`infra_gap.io` only.  :mod:`infra_gap.analysis.pipeline` chains the steps
(place -> cover -> indicators); ranking them is the next stage, :mod:`infra_gap.ranking`.
"""
