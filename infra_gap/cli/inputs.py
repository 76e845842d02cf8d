"""The input options every data command shares (``rank``, ``sites``), and their loading.

One set of ``--areas``, ``--msme``, ``--coverage``, ... options, read by one function with
:func:`infra_gap.analysis.inputs.load_layers` (the app's uploads use the same readers and messages);
without ``--areas`` the embedded demo is used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infra_gap.cli.common import Reporter, usage_error
from infra_gap.paths import default_cache_dir, default_data_dir

if TYPE_CHECKING:  # the readers load GDAL: only when a command runs
    from infra_gap.analysis.pipeline import PointFacts
    from infra_gap.analysis.towers import SiteParams
    from infra_gap.analysis.validate import BoundaryReport
    from infra_gap.layers import Layers

__all__ = [
    "AreasLayerOpt",
    "AreasOpt",
    "BackboneOpt",
    "CoverageNodataOpt",
    "CoverageOpt",
    "ExcelIdOpt",
    "GpkgEvidence",
    "GpkgEvidenceOpt",
    "IdColOpt",
    "InputOptions",
    "LatColOpt",
    "LonColOpt",
    "MsmeOpt",
    "NameColOpt",
    "OperatorCoverageOpt",
    "OperatorsAsOfOpt",
    "PodesOpt",
    "PriorityListOpt",
    "SiteDistanceOpt",
    "SourcesOpt",
    "SpeedtestsOpt",
    "TowersOpt",
    "check_inputs",
    "check_not_an_input",
    "default_cache_dir",
    "default_data_dir",
    "load_inputs",
    "report_inputs",
    "report_sources",
    "site_params",
]

AreasOpt = Annotated[
    Path | None, typer.Option(exists=True, dir_okay=False, help="Boundaries (else the demo).")
]
AreasLayerOpt = Annotated[str | None, typer.Option(help="GeoPackage layer of --areas.")]
IdColOpt = Annotated[str | None, typer.Option(help="Area code column (else detected).")]
NameColOpt = Annotated[str | None, typer.Option(help="Area name column (else detected).")]
MsmeOpt = Annotated[Path | None, typer.Option(exists=True, dir_okay=False, help="MSME register.")]
LatColOpt = Annotated[str | None, typer.Option(help="Latitude column (else detected).")]
LonColOpt = Annotated[str | None, typer.Option(help="Longitude column (else detected).")]
CoverageOpt = Annotated[
    Path | None, typer.Option(exists=True, dir_okay=False, help="Coverage GeoTIFF.")
]
OperatorsAsOfOpt = Annotated[
    str | None,
    typer.Option(
        metavar="YYYY-MM-DD",
        help="Name the --towers operators as of this date (MCC/MNC table in data/); e.g. "
        "2025-04-14 keeps XL Axiata and Smartfren apart (XLSmart since 15 April 2025).",
    ),
]
SiteDistanceOpt = Annotated[
    float | None,
    typer.Option(
        metavar="METRES",
        help="OpenCelliD cells of one network within this distance of a site's first cell "
        "are one tower site (default 250).",
    ),
]
PriorityListOpt = Annotated[
    Path | None,
    typer.Option(
        exists=True,
        dir_okay=False,
        help="Priority locations for BAKTI eligibility (CSV/XLSX: kode at any level, "
        "sumber for each row, nama optional), besides the 3T list of Perpres 63/2020.",
    ),
]
CoverageNodataOpt = Annotated[
    float | None,
    typer.Option(
        metavar="VALUE",
        help="No-data value of --coverage, replacing the file's (e.g. 255 when the file "
        "declares none); those pixels count as not covered and as unknown.",
    ),
]
TowersOpt = Annotated[
    Path | None, typer.Option(exists=True, dir_okay=False, help="Towers (OpenCelliD CSV).")
]
SpeedtestsOpt = Annotated[
    Path | None, typer.Option(exists=True, dir_okay=False, help="Ookla-schema speed tiles.")
]
SourcesOpt = Annotated[
    Path | None,
    typer.Option(
        exists=True,
        dir_okay=False,
        help="Provenance TOML: a table per layer (coverage, towers, speedtests, msme, "
        "boundaries, backbone) with source, date, licence [, operator, technology, url].",
    ),
]


class GpkgEvidence(StrEnum):
    """What a GeoPackage holds of the towers, speed tiles and backbone."""

    clip = "clip"
    all = "all"
    none = "none"


GpkgEvidenceOpt = Annotated[
    GpkgEvidence,
    typer.Option(
        help="In a .gpkg: towers, speed tiles and backbone that touch the exported areas "
        "(clip), all of them, or none.",
    ),
]
ExcelIdOpt = Annotated[
    bool,
    typer.Option(
        "--excel-id",
        help="CSV for Excel with Indonesian settings: ';', decimal comma, codes kept as text.",
    ),
]
BackboneOpt = Annotated[
    Path | None, typer.Option(exists=True, dir_okay=False, help="Backbone lines and PoPs.")
]
PodesOpt = Annotated[
    Path | None,
    typer.Option(
        exists=True,
        dir_okay=False,
        help="Podes-style desa table (CSV/XLSX): kode (Kemendagri desa code) and sinyal "
        "(sangat kuat, kuat, lemah, tidak ada sinyal); gives podes_* indicators.",
    ),
]

OperatorCoverageOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--operator-coverage",
        metavar="OPERATOR=FILE.tif",
        help="One operator's coverage GeoTIFF (repeat per operator; the name is free text): "
        "gives operators_covering and msme_no_operator_coverage(_share); without --coverage "
        "their union is the coverage.",
    ),
]


@dataclass(frozen=True)
class InputOptions:
    """The shared input options of one command call (None: not given)."""

    areas: Path | None = None
    areas_layer: str | None = None
    id_col: str | None = None
    name_col: str | None = None
    msme: Path | None = None
    lat_col: str | None = None
    lon_col: str | None = None
    coverage: Path | None = None
    coverage_nodata: float | None = None
    operators_as_of: str | None = None
    site_distance_m: float | None = None
    towers: Path | None = None
    speedtests: Path | None = None
    backbone: Path | None = None
    sources: Path | None = None
    podes: Path | None = None
    operator_coverage: tuple[str, ...] | None = None


def operator_files(opts: InputOptions) -> tuple[tuple[str, Path], ...]:
    """``--operator-coverage`` as ``(operator, path)`` pairs (exit 2 for a bad value).

    A value without ``=``, with an empty operator or file, or naming no file is a usage
    error (``error [E_USAGE]``).
    """
    from infra_gap.analysis.operator_coverage import OPTION, parse_operator_coverage
    from infra_gap.errors import UsageError

    try:
        pairs = parse_operator_coverage(opts.operator_coverage or ())
    except UsageError as err:
        usage_error(str(err))
    out = []
    for operator, file in pairs:
        path = Path(file)
        if not path.is_file():
            usage_error(f"{OPTION} {operator}={file}: no such file")
        out.append((operator, path))
    return tuple(out)


def site_params(opts: InputOptions) -> SiteParams:
    """``--site-distance-m`` and ``--operators-as-of`` as :class:`SiteParams`.

    Raises
    ------
    DataError
        For a date that is not ``YYYY-MM-DD`` or a distance that is not positive.
    """
    from infra_gap.analysis.towers import SiteParams
    from infra_gap.errors import DataError

    base = SiteParams()
    as_of = None
    if opts.operators_as_of is not None:
        try:
            as_of = dt.date.fromisoformat(opts.operators_as_of.strip())
        except ValueError as err:
            msg = f"--operators-as-of must be a date YYYY-MM-DD, got {opts.operators_as_of!r}"
            raise DataError(msg) from err
    distance = base.distance_m if opts.site_distance_m is None else opts.site_distance_m
    if not distance > 0:
        msg = f"--site-distance-m must be positive, got {opts.site_distance_m!r}"
        raise DataError(msg)
    return SiteParams(distance_m=distance, as_of=as_of)


def check_inputs(opts: InputOptions) -> None:
    """Usage errors of the input options, before any work (exit 2).

    An input option without ``--areas``, or ``--areas`` without ``--msme``.
    """
    if opts.areas is None:
        given = [k for k, v in vars(opts).items() if v is not None]
        if given:
            usage_error(
                f"--{given[0].replace('_', '-')} needs --areas (without --areas the demo is used)"
            )
    elif opts.msme is None:
        usage_error("--areas needs --msme (the MSME register)")
    from infra_gap.errors import InfraGapError

    if opts.operators_as_of is not None or opts.site_distance_m is not None:
        try:
            site_params(opts)
        except InfraGapError as err:
            usage_error(str(err))
    operator_files(opts)
    if opts.sources is not None:  # a small TOML: read now, so a bad one stops before work
        from infra_gap.io import read_sources

        try:
            read_sources(opts.sources)
        except InfraGapError as err:
            typer.echo(f"error [{err.code}]: {err}", err=True)
            raise typer.Exit(2) from None


def check_not_an_input(opts: InputOptions, *outputs: Path | None) -> None:
    """Refuse an output file that is one of the inputs, even with ``--overwrite`` (exit 1).

    ``rank --areas kec.gpkg --out kec.gpkg --overwrite`` would replace the boundary file
    it reads with the ranked layers.
    """
    from infra_gap.cli.common import runtime_error
    from infra_gap.errors import OutputFileError

    files = {
        name: path for name, path in vars(opts).items() if isinstance(path, Path) and path.exists()
    }
    for operator, path in operator_files(opts):
        files[f"operator_coverage {operator}="] = path
    for out in outputs:
        if out is None or not out.exists():
            continue
        for name, path in files.items():
            if out.resolve() == path.resolve():
                option = "--" + name.replace("_", "-")
                msg = f"{out}: is the {option} input; choose another name for the output"
                runtime_error(OutputFileError(msg))


def load_inputs(
    opts: InputOptions, *, level: str | None = None
) -> tuple[Layers, BoundaryReport | None]:
    """The demo without ``--areas``; the user's files with it (same readers as the app).

    With ``--areas``, the lines saying which code and name columns were chosen, the
    level and any doubt (a suspicious no-data value, ambiguous columns) go to stderr.
    The level of the user's areas is the one key of the returned ``Layers.areas``.

    Parameters
    ----------
    opts
        The options given (checked with :func:`check_inputs`).
    level
        The level of ``--areas`` (``--level``); None or ``auto`` reads it from the codes.
    """
    from infra_gap.analysis.inputs import InputPaths, load_layers
    from infra_gap.synthetic.demo import load_demo

    if opts.areas is None or opts.msme is None:
        return load_demo(default_data_dir(), default_cache_dir()), None
    loaded = load_layers(
        InputPaths(
            areas=opts.areas,
            level=level or "auto",
            msme=opts.msme,
            coverage=opts.coverage,
            coverage_nodata=opts.coverage_nodata,
            sites=site_params(opts),
            towers=opts.towers,
            speed_tiles=opts.speedtests,
            backbone=opts.backbone,
            podes=opts.podes,
            operator_coverage=operator_files(opts),
            areas_layer=opts.areas_layer,
            id_col=opts.id_col,
            name_col=opts.name_col,
            lat_col=opts.lat_col,
            lon_col=opts.lon_col,
            cache_dir=default_cache_dir(),  # the label grid, per boundary content
        )
    )
    for note in loaded.notes:
        typer.echo(note, err=True)
    layers = loaded.layers
    if opts.sources is not None:
        from infra_gap.io import read_sources
        from infra_gap.provenance import apply_provenance

        layers, unused = apply_provenance(layers, read_sources(opts.sources))
        for key in unused:
            note = f"warning: {opts.sources} [{key}] describes no layer given; ignored"
            typer.echo(note, err=True)
    return layers, loaded.boundary


def report_inputs(
    facts: PointFacts, boundary: BoundaryReport | None, reporter: Reporter | None = None
) -> None:
    """Print the row accounting, rejection reasons, boundary report and placement rule."""
    said = reporter or Reporter()
    echo = said.report
    for acc in facts.accounts:
        echo(
            f"rows: {acc.source} read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}"
        )
    reasons = facts.rejected.groupby(["source", "reason"]).size().reset_index(name="n")
    for r in reasons.itertuples():
        echo(f"  rejected {r.source}: {r.n:,} x {r.reason}")
    conflicts = facts.code_conflicts
    if conflicts is not None and len(conflicts):
        from infra_gap.analysis.row_placement import conflict_warning

        said.warn(conflict_warning(conflicts))
    if boundary is not None:
        # Measured once per boundary content, then read back (the check takes seconds).
        measured = boundary.measures(cache_dir=default_cache_dir())
        overlaps = measured.overlaps
        echo(
            f"areas: {boundary.features:,} read from {boundary.name}; {len(boundary.repairs)} "
            f"repaired; {len(overlaps):,} overlapping pairs ({overlaps['overlap_km2'].sum():,.1f} "
            f"km2); gaps {measured.gap_km2:,.1f} km2"
            + (" (boundary checks cached for this file's content)" if measured.cached else "")
        )
        for r in boundary.repairs.itertuples():
            echo(f"  repaired row {r.row} ({r.kode}): {r.action}, {r.area_change_pct:+.2f}% area")
    echo(f"rule: {facts.rule}")


def report_sources(
    layers: Layers, *, out: Path | None = None, reporter: Reporter | None = None
) -> None:
    """Print the provenance of every layer (unknown fields say so).

    With a CSV ``out``, also where its data dictionary went.
    """
    from infra_gap.provenance import evidence_lines

    echo = (reporter or Reporter()).report
    for line in evidence_lines(layers.sources, "en"):
        echo(f"source: {line}")
    if out is not None and out.suffix.lower() == ".csv":
        from infra_gap.paths import schema_path

        echo(f"data dictionary (units, definitions, sources) -> {schema_path(out)}")
