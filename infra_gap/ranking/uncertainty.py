"""What the stability draws vary, the correlation check and the absolute need classes.

Following the OECD/JRC *Handbook on Constructing Composite Indicators: Methodology and User
Guide* (Nardo, Saisana, Saltelli, Tarantola, Hoffmann, Giovannini; OECD, 2008; Step 7 and
Section 7, "uncertainty and sensitivity analysis"), a ranking is checked against every
choice made to build it, sampled together in each draw, not against the weights alone:

* ``weights`` -- Dirichlet weights around the chosen ones (:class:`StabilityParams`);
* ``normalisation`` -- each draw normalises with min-max, percentile or z-score (one of
  three, equally likely);
* ``leave_one_out`` -- a trigger drawn uniformly from 0..k (k weighted indicators): 0 keeps
  every indicator, j leaves indicator j out and re-balances the other weights (the
  Handbook's "inclusion/exclusion of one indicator at a time"); needs k >= 2;
* ``data_error`` -- each count indicator (MSMEs, MSME density, towers, speed tests) is
  multiplied, per area, by a factor drawn uniformly from [1 - m, 1 + m]; shares, distances,
  flags and operator counts are kept (a share is a ratio of counts from one register, so a
  register's under- or over-count largely cancels in it).  The default margin m = 10% is a
  project choice, set it to your register's known error.  For scale: Statistics Indonesia
  (BPS) treats a survey estimate as accurate up to a relative standard error of 25%
  (Soedarti et al. 2007, the RSE criterion of BPS technical notes); a uniform error of
  +/-10% has a relative standard error of 5.8%.  The data are perturbed in
  ``data_replicates`` copies (20 by default) and each draw picks one, which bounds the cost:
  3 normalisations x 20 copies = 60 normalised matrices, whatever the number of draws.

Two weighted indicators whose rank correlation (Spearman, in the direction of need) is
above 0.9 count one thing twice: :func:`correlated_pairs` finds them.  The threshold is the
default of ``get_corr_flags`` in COINr 1.1 (the composite-indicator package of the European
Commission's Joint Research Centre, W. Becker et al., CRAN 2022: "double counting").

The tiers (Prioritas 1-3) are relative to the top N.  :func:`need_classes` puts beside them
an absolute class from the share of MSMEs without 4G, so "100% tanpa 4G" shows even for an
area outside the top N.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np
import pandas as pd

from infra_gap.registry import INDICATORS
from infra_gap.text.i18n import t

__all__ = [
    "CORRELATION_LIMIT",
    "COUNT_UNITS",
    "FACTORS",
    "NEED_CLASSES",
    "correlated_pairs",
    "correlation_warnings",
    "cost_line",
    "factor_lines",
    "factor_names",
    "need_class_label",
    "need_classes",
    "perturb_counts",
    "perturbed_columns",
]

#: The uncertainty factors, in the order they are stated.
FACTORS = ("weights", "normalisation", "leave_one_out", "data_error")
#: Units of the indicators that are counts, perturbed by the data-error factor.
COUNT_UNITS = frozenset({"UMKM", "UMKM/km²", "menara", "tes"})
#: Rank correlation above which two weighted indicators are flagged (COINr default).
CORRELATION_LIMIT = 0.9

#: Absolute need classes: code -> (lowest share without 4G, Indonesian, English).  The
#: share is ``msme_uncovered_share``; "na" is an area with no MSME.
NEED_CLASSES: Mapping[str, tuple[float, str, str]] = MappingProxyType(
    {
        "100": (1.0, "100% tanpa 4G", "100% without 4G"),
        "75-99": (0.75, "75-99% tanpa 4G", "75-99% without 4G"),
        "50-74": (0.5, "50-74% tanpa 4G", "50-74% without 4G"),
        "25-49": (0.25, "25-49% tanpa 4G", "25-49% without 4G"),
        "1-24": (0.0, "1-24% tanpa 4G", "1-24% without 4G"),
        "0": (-1.0, "semua UMKM ber-4G", "every MSME has 4G"),
        "na": (np.nan, "tanpa UMKM", "no MSME"),
    }
)


def perturbed_columns(names: Sequence[str]) -> list[str]:
    """The indicators among ``names`` that the data-error factor perturbs (counts)."""
    return [k for k in names if k in INDICATORS and INDICATORS[k].unit in COUNT_UNITS]


def perturb_counts(
    table: pd.DataFrame, names: Sequence[str], *, margin: float, rng: np.random.Generator
) -> pd.DataFrame:
    """A copy of ``table`` with its count indicators among ``names`` perturbed.

    Each value is multiplied by its own factor, uniform in [1 - margin, 1 + margin];
    missing values stay missing, and the other columns are unchanged.
    """
    counts = [k for k in perturbed_columns(names) if k in table]
    out = table.copy()
    if counts and margin > 0:
        factor = rng.uniform(1.0 - margin, 1.0 + margin, size=(len(table), len(counts)))
        out[counts] = table[counts].to_numpy(dtype="float64") * factor
    return out


def correlated_pairs(
    table: pd.DataFrame, names: Sequence[str], *, limit: float = CORRELATION_LIMIT
) -> list[tuple[str, str, float]]:
    """Pairs of indicators whose Spearman correlation, in the direction of need, exceeds ``limit``.

    Areas missing either value are left out of that pair; a pair with fewer than three
    areas, or a constant column, is not judged.
    """
    present = [k for k in names if k in table]
    need = pd.DataFrame(
        {
            k: table[k].astype("float64") * (1.0 if INDICATORS[k].higher_is_need else -1.0)
            for k in present
        }
    )
    ranks = need.rank(method="average")
    out: list[tuple[str, str, float]] = []
    for i, a in enumerate(present):
        for b in present[i + 1 :]:
            both = ranks[[a, b]].dropna()
            if len(both) < 3 or both[a].nunique() < 2 or both[b].nunique() < 2:
                continue
            rho = float(np.corrcoef(both[a], both[b])[0, 1])
            if rho > limit:
                out.append((a, b, rho))
    return out


def need_classes(share: pd.Series) -> np.ndarray:
    """The absolute need class code of each share of MSMEs without 4G (see :data:`NEED_CLASSES`)."""
    s = share.astype("float64").to_numpy()
    with np.errstate(invalid="ignore"):
        return np.select(
            [np.isnan(s), s >= 1.0, s >= 0.75, s >= 0.5, s >= 0.25, s > 0.0],
            ["na", "100", "75-99", "50-74", "25-49", "1-24"],
            default="0",
        ).astype(object)


def need_class_label(code: object, lang: str) -> str:
    """The words of a need class code, e.g. ``"100% tanpa 4G"``; ``""`` for an unknown code."""
    entry = NEED_CLASSES.get(str(code))
    if entry is None:
        return ""
    return entry[1] if lang == "id" else entry[2]


def correlation_warnings(
    pairs: Sequence[tuple[str, str, float]], lang: str, *, labels: Mapping[str, str] | None = None
) -> list[str]:
    """One warning per pair of :func:`correlated_pairs`, indicators named by ``labels``."""
    i = 0 if lang == "id" else 1
    names = labels or {}
    return [
        t("unc.corr", lang).format(
            a=names.get(a, a),
            b=names.get(b, b),
            rho=f"{rho:.2f}".replace(".", "," if i == 0 else "."),
            limit=f"{CORRELATION_LIMIT:g}".replace(".", "," if i == 0 else "."),
        )
        for a, b, rho in pairs
    ]


def factor_names(stability: Mapping[str, float], lang: str) -> str:
    """The factors the draws varied, named in ``lang`` ("bobot, normalisasi, ...")."""
    on = [
        t(f"unc.name_{f}", lang)
        for f in FACTORS
        if stability.get(f"factor_{f}", 1.0 if f == "weights" else 0.0) > 0
    ]
    return ", ".join(on) or "-"


def cost_line(stability: Mapping[str, float], seconds: float, lang: str) -> str:
    """How many draws, varying what, and how long they took."""
    i = 0 if lang == "id" else 1
    draws = f"{int(stability.get('draws', 0)):,}"
    return t("unc.cost", lang).format(
        draws=draws.replace(",", ".") if i == 0 else draws,
        factors=factor_names(stability, lang),
        sec=f"{seconds:.2f}".replace(".", "," if i == 0 else "."),
    )


def factor_lines(stability: Mapping[str, float], lang: str, *, indicators: int) -> list[str]:
    """One sentence per uncertainty factor, as the XLSX *Metodologi* sheet and PDF annex state them.

    Parameters
    ----------
    stability
        The export record of the stability settings
        (:meth:`infra_gap.ranking.stability.StabilityParams.as_meta`).
    lang
        ``"id"`` or ``"en"``.
    indicators
        Number of weighted indicators (k of the leave-one-out trigger).
    """
    i = 0 if lang == "id" else 1
    draws = int(stability.get("draws", 0))
    lines = [t("unc.head", lang).format(draws=f"{draws:,}".replace(",", "." if i == 0 else ","))]
    values = {
        "conc": f"{stability.get('concentration', 0):g}",
        "k": indicators,
        "m": f"{100 * stability.get('data_margin', 0):g}",
        "r": int(stability.get("data_replicates", 0)),
    }
    for factor in FACTORS:
        on = stability.get(f"factor_{factor}", 1.0 if factor == "weights" else 0.0) > 0
        if factor == "leave_one_out" and indicators < 2:
            on = False
        if on:
            lines.append("- " + t(f"unc.{factor}", lang).format(**values))
        else:
            lines.append("- " + t("unc.off", lang).format(name=t(f"unc.name_{factor}", lang)))
    lines.append(t("unc.result", lang).format(n=int(stability.get("top_n", 10))))
    return lines
