"""Coverage per operator (#16.2): one coverage raster per operator, combined per area.

Each ``--operator-coverage OPERATOR=FILE.tif`` raster is looked up under every MSME with
the main coverage's rule (:func:`infra_gap.analysis.coverage.point_coverage`: a value at or above
``covered_min`` is covered; no data and outside the raster are not covered), in chunks of
points and, for a large file, in windows.  Rasters given for the same operator name count
as one operator (covered where any of them covers).

``operators_covering`` counts the distinct operators whose raster covers at least one of
an area's MSMEs (0 when it has none); ``msme_no_operator_coverage`` counts its MSMEs that no
operator raster covers, and ``msme_no_operator_coverage_share`` their share.  Without a main
coverage raster, the union of the operator rasters is the coverage (:func:`union_coverage`).
"""

from __future__ import annotations

import numpy as np

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.join_crs import degrees_of, shares_degrees
from infra_gap.analysis.operators import operators_per_group
from infra_gap.analysis.point_chunks import cover_in_chunks
from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.errors import UsageError
from infra_gap.layers import Layers, OperatorRaster

__all__ = [
    "OPTION",
    "msme_no_operator_coverage",
    "operator_names",
    "operator_point_coverage",
    "operators_covering",
    "parse_operator_coverage",
    "union_coverage",
    "union_note",
]

#: The command-line option.
OPTION = "--operator-coverage"


def parse_operator_coverage(values: list[str] | tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """``OPERATOR=FILE.tif`` values as ``(operator, file)`` pairs, in the order given.

    The operator is free text (spaces trimmed); the first ``=`` splits it from the file.

    Raises
    ------
    UsageError
        For a value without ``=``, or with an empty operator or file.
    """
    pairs = []
    for value in values:
        operator, sep, file = value.partition("=")
        operator, file = operator.strip(), file.strip()
        if not sep:
            msg = f"{OPTION} takes OPERATOR=FILE.tif, got {value!r} (no '=')"
            raise UsageError(msg)
        if not operator:
            msg = f"{OPTION} {value!r}: the operator name before '=' is empty"
            raise UsageError(msg)
        if not file:
            msg = f"{OPTION} {value!r}: the file after '=' is empty"
            raise UsageError(msg)
        pairs.append((operator, file))
    return tuple(pairs)


def operator_names(rasters: tuple[OperatorRaster, ...]) -> tuple[str, ...]:
    """The distinct operators, in the order first given."""
    return tuple(dict.fromkeys(r.operator for r in rasters))


def _cover_one(
    layers: Layers, raster: OperatorRaster, x: np.ndarray, y: np.ndarray, *, native: bool,
    covered_min: float,
) -> PointCoverage:  # fmt: skip
    if native and shares_degrees(raster.raster.crs):
        lon, lat = degrees_of(layers.msme)
        return cover_in_chunks(raster.raster, lon, lat, xy_crs=GEO_CRS, covered_min=covered_min)
    return cover_in_chunks(raster.raster, x, y, xy_crs=WORK_CRS, covered_min=covered_min)


def operator_point_coverage(
    layers: Layers, x: np.ndarray, y: np.ndarray, *, native: bool, covered_min: float
) -> tuple[np.ndarray, np.ndarray]:
    """Covered and unknown flags of each MSME per operator (MSMEs x distinct operators).

    ``x``, ``y`` are work-CRS coordinates; with ``native`` a raster in degrees is read at
    the MSMEs' own degrees.  An operator with several rasters is covered where any covers
    and unknown where it is not covered and any has no data.
    """
    names = operator_names(layers.operator_coverage)
    covered = np.zeros((len(x), len(names)), dtype=bool)
    unknown = np.zeros((len(x), len(names)), dtype=bool)
    for raster in layers.operator_coverage:
        j = names.index(raster.operator)
        cov = _cover_one(layers, raster, x, y, native=native, covered_min=covered_min)
        covered[:, j] |= cov.covered
        unknown[:, j] |= cov.unknown
    unknown &= ~covered
    return covered, unknown


def union_coverage(covered: np.ndarray, unknown: np.ndarray) -> PointCoverage:
    """The union of the operators' coverage as the coverage of each MSME.

    Covered where at least one operator's raster covers; unknown where none covers and at
    least one has no data there (that operator might cover it), as the no-data rule says.
    """
    any_covered = np.asarray(covered.any(axis=1), dtype=bool)
    any_unknown = np.asarray(unknown.any(axis=1), dtype=bool)
    return PointCoverage(covered=any_covered, unknown=~any_covered & any_unknown)


def union_note(rasters: tuple[OperatorRaster, ...]) -> str:
    """The line that says what the coverage is when only operator rasters are given."""
    names = ", ".join(operator_names(rasters))
    return (
        f"coverage: no --coverage given; the union of the {len(rasters)} operator coverage "
        f"raster(s) ({names}) is the coverage: an MSME is covered when at least one operator's "
        "raster covers it (area_uncovered_share is then not computed)"
    )


def operators_covering(covered: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct operators whose raster covers at least one point of each group."""
    return operators_per_group(covered, group, n_groups)


def msme_no_operator_coverage(
    covered: np.ndarray, area_index: np.ndarray, n_areas: int
) -> np.ndarray:
    """MSMEs covered by no operator's raster, per area (``area_index < 0``: skipped)."""
    ok = area_index >= 0
    none = ~np.asarray(covered.any(axis=1), dtype=bool)
    return np.bincount(area_index[ok][none[ok]], minlength=n_areas).astype("int64")
