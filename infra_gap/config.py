"""Defaults, each with its source.

Everything here is immutable: constants and frozen dataclasses. Parameters are passed
into functions as arguments; nothing is read from module state at run time, because the
app serves many users from one process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "DISADVANTAGED_LIST_FILE",
    "GEO_CRS",
    "LEVELS",
    "LEVEL_CODE_LENGTH",
    "WORK_CRS",
    "CoverageParams",
    "DemoParams",
    "EvidenceParams",
    "Limits",
    "ScoringParams",
]

#: Metric CRS for all computation: UTM zone 47N fits North Sumatra (97-100.5 deg E).
WORK_CRS = "EPSG:32647"
#: Geographic CRS for display and for the lon/lat columns of exports (RFC 7946).
GEO_CRS = "EPSG:4326"

#: Administrative levels, finest first.  Kemendagri codes (domain.md, "Areas and codes").
LEVELS: tuple[str, ...] = ("desa", "kecamatan", "kabupaten")
#: Length of a dotted Kemendagri code per level: ``12.71.01.1001`` / ``12.71.01`` / ``12.71``.
LEVEL_CODE_LENGTH: Mapping[str, int] = MappingProxyType(
    {"desa": 13, "kecamatan": 8, "kabupaten": 5}
)

#: The 3T list in ``data/``: the kabupaten of Sumatera Utara named by Peraturan Presiden
#: Nomor 63 Tahun 2020 tentang Penetapan Daerah Tertinggal Tahun 2020-2024 (signed 27 April
#: 2020; setkab.go.id, 11 May 2020, jdih.setkab.go.id/PUUdoc/176108/Perpres_Nomor_63_Tahun_2020.pdf;
#: reported with the list by medcom.id and sulselsatu.com, 8 May 2020): Nias 12.04, Nias Selatan
#: 12.14, Nias Utara 12.24, Nias Barat 12.25 (62 kabupaten nationally).  Each row carries its
#: legal basis, period and a note: the period ended in 2024, so replace the file when the next
#: Perpres is issued.  Other provinces' rows can be added with their Kemendagri codes.
DISADVANTAGED_LIST_FILE = "daerah_tertinggal_perpres_63_2020.csv"


@dataclass(frozen=True)
class CoverageParams:
    """How a coverage raster value becomes "covered".

    Attributes
    ----------
    covered_min
        A pixel is covered when its value is at or above this.  1 fits a binary raster;
        for LTE RSRP in dBm use about -110 (edge of service) or -100 (reliable use)
        (domain.md, "Connectivity layers").  No data always counts as not covered (NTIA rule)
        and is also reported as unknown.
    """

    covered_min: float = 1.0


@dataclass(frozen=True)
class EvidenceParams:
    """Thresholds for speed-test and evidence indicators (domain.md, "Speed tiers").

    Attributes
    ----------
    slow_down_kbps
        A tile is below the 4G tier under this mean download: 5,000 kbps, the FCC 4G LTE
        5/1 Mbps benchmark.  Giga's tiers (under 1 Mbps none, over 20 Mbps good) and BEAD's
        25/3 fit here too.
    min_tests
        Fewer speed tests than this in an area flags its speed figures as weak evidence (50).
    conflict_share
        An area is flagged for conflicting evidence when more than this share of the MSMEs
        that coverage calls covered sit in tiles below ``slow_down_kbps`` or with no tests
        (0.5; operator maps overstate rural coverage, FCC MF-II findings).
    cell_m
        Cell size of the label grid that speeds up point placement, metres.  It changes
        speed only, never results.
    """

    slow_down_kbps: float = 5_000.0
    min_tests: int = 50
    conflict_share: float = 0.5
    cell_m: float = 100.0


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType({"msme_uncovered": 0.7, "msme_uncovered_share": 0.3})


@dataclass(frozen=True)
class ScoringParams:
    """Weights of the default ranking.

    Attributes
    ----------
    weights
        Indicator name -> weight.  Re-balanced to sum to 1 (World Bank GeoE3 weighted sum,
        domain.md "Methods").  The default puts most weight on the count of MSMEs without
        coverage (the province's argument: many MSMEs, no internet) and the rest on the
        share, so a small fully dark desa is not lost behind a large, mostly covered town.
    """

    weights: Mapping[str, float] = field(default_factory=_default_weights)


@dataclass(frozen=True)
class DemoParams:
    """Parameters of the synthetic demo.  Every figure it produces is labelled synthetic.

    Attributes
    ----------
    seed
        Seed of the one random generator used for the whole demo.
    msme_total
        Business actors in Sumatera Utara, 2023 (Diskop UKM Sumut via Antara / SuaraSumut,
        23 Feb 2024; ``shared/context``).
    medium_large_share
        Share of medium and large businesses: 1.12% (same source; 98.87% are micro/small).
    online_share
        Share of MSMEs that had "gone digital" in 2023: 15% (same source).
    online_urban_ratio
        How much likelier an MSME in a kelurahan (urban) is to be online than one in a desa.
        A demo assumption, not a measured figure.
    kelurahan_density
        How many more MSMEs a kelurahan holds than a rural desa of the same kabupaten.
        A demo assumption.
    tower_count
        Synthetic 4G tower sites for the province.  A demo assumption.
    island_tower_factor, remote_tower_km
        Towers are rarer on islands (factor) and decay with distance to the nearest kota
        (e-folding distance, km).  Demo assumptions.
    coverage_pixel_m
        Pixel size of the modelled coverage raster, metres.
    """

    seed: int = 20231231
    msme_total: int = 1_166_918
    medium_large_share: float = 0.0112
    online_share: float = 0.15
    online_urban_ratio: float = 2.5
    kelurahan_density: float = 4.0
    tower_count: int = 3200
    island_tower_factor: float = 0.3
    remote_tower_km: float = 45.0
    coverage_pixel_m: float = 250.0


# --- Input budgets (issue 22) ------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Size budgets every reader checks before the work (``E_LIMIT`` names the field).

    A value read from a file (a row count, a raster size, a coordinate) never decides an
    allocation before it is checked against these.  The defaults fit the largest real
    inputs of one province with room to spare and keep one upload under about 1.5 GB of
    memory on the office's 4 GiB server (reliability.md §4, 2026-11).  An office with bigger
    files raises a field where it builds the inputs (``Limits(max_table_rows=...)``); the
    README section "Size limits" lists them.

    Attributes
    ----------
    max_file_bytes
        Bytes of one input file: 2 GiB (a 20-million-row MSME CSV is about 1.2 GB; uploads
        are capped lower by ``server.maxUploadSize`` = 200 MB in the app's Streamlit settings,
        ``infra_gap/app/.streamlit/config.toml``).
    max_table_rows
        Rows of one table: 30 million.  Indonesia counts about 65 million MSMEs (Kemenkop
        UKM 2019 via BPS); the largest province (Jawa Timur) about 10 million; Sumatera
        Utara 1.17 million (Diskop UKM Sumut, 2024).
    max_columns
        Columns of one table: 1,000 (an MSME register or an Ookla table has under 30).
    max_cells
        Rows x columns of an XLSX sheet: 30 million (Excel's own sheet holds at most
        1,048,576 rows x 16,384 columns; openpyxl parses about 1 million cells a second).
    max_features
        Features of one vector layer read whole (boundaries, a backbone): 200,000.
        Indonesia has 84,276 desa/kelurahan (Kepmendagri 100.1.1-6117/2022).  Speed tiles
        of every format are read in chunks (:mod:`infra_gap.io.speed_tiles`), their rows
        counted against ``max_table_rows``; Ookla tiles of one province stay under
        200,000.  An MSME point
        layer (GeoPackage, zipped Shapefile, GeoJSON) is read in chunks of ``chunk_rows``
        features instead (:mod:`infra_gap.io.point_layer`; a GeoJSON's guard reads it one
        feature at a time, :mod:`infra_gap.io.geojson_stream`), so its features count
        against ``max_table_rows``, as a table's rows.
    max_feature_bytes
        Bytes of one JSON value of a GeoJSON read one feature at a time (MSME points,
        speed tiles: a feature, or a member of the top-level object other than
        ``features``): 1 MiB.  A point feature with a few properties takes about 200
        bytes, a tile about 400; GDAL's own limit for one GeoJSON
        feature is 200 MB (``OGR_GEOJSON_MAX_OBJ_SIZE``, GDAL GeoJSON driver documentation,
        gdal.org/en/stable/drivers/vector/geojson.html, read 2026-12).
    max_vertices
        Vertices of one vector layer: 30 million (the BIG 1:10,000 desa boundaries of a
        province hold a few million).
    max_extent_km
        Width or height of an area layer in the work CRS: 2,500 km (Sumatra is about 1,700
        km long; the widest province, Maluku, about 1,000 km).  A stray vertex at 0 degrees
        makes a Sumatran layer about 10,000 km wide, and a grid sized from it 55 GiB.
    max_grid_cells
        Cells of a grid built from an extent (label grid): 50 million (100 MB as int16).
        Above it the cells grow; results do not change, only speed.
    max_raster_cells
        Pixels a GeoTIFF may declare (width x height x bands): 2e10.  10 m pixels over all
        of Sumatera Utara (about 500 x 450 km) are 2.3e9.
    max_raster_bands
        Bands of a GeoTIFF: 64 (coverage rasters have 1; RGB(A) 3-4).
    max_block_cells
        Pixels of one internal block (tile or strip) of a GeoTIFF: 16 million.
    max_window_cells
        Pixels read at once when sampling a GeoTIFF in windows: 16 million.
    max_depth
        Nesting depth of JSON (GeoJSON, GeoParquet metadata) and TOML (scenarios): 64.
        A GeoJSON MultiPolygon needs 6.
    max_crs_chars
        Characters of a CRS definition read from a file: 20,000 (a WKT2 of a UTM zone has
        about 2,000; PROJJSON about 3,000).
    max_row_group_bytes
        Uncompressed bytes of one Parquet row group: 1 GiB (Ookla's open-data files use
        row groups of about 100 MB; pyarrow's writer defaults to 1 million rows).
    chunk_rows
        Rows read at once by the chunked table readers (MSME registers and point layers;
        speed tiles a quarter of it: a tile holds a polygon),
        and points placed and looked up at once: 1 million (working arrays of a few hundred
        MB; results do not depend on it).
    worker_memory_bytes
        Address space the worker process that parses an upload may add after start-up:
        2 GiB (with the 200 MB upload held twice and the server's own 1.1-1.3 GB, two
        workers at once stay under the 4 GiB of the office server).
    worker_seconds
        Wall-clock time of that worker: 300 s.
    max_workers
        Upload workers that run at once on one server: 2 (the two of ``worker_memory_bytes``
        above); a further upload waits for a free one, up to ``worker_seconds``.  Without it
        twenty planners loading 50 MB registers at once start twenty workers (issue #22's
        load check).
    """

    max_file_bytes: int = 2 << 30
    max_table_rows: int = 30_000_000
    max_columns: int = 1_000
    max_cells: int = 30_000_000
    max_features: int = 200_000
    max_feature_bytes: int = 1 << 20
    max_vertices: int = 30_000_000
    max_extent_km: float = 2_500.0
    max_grid_cells: int = 50_000_000
    max_raster_cells: int = 20_000_000_000
    max_raster_bands: int = 64
    max_block_cells: int = 16_000_000
    max_window_cells: int = 16_000_000
    max_depth: int = 64
    max_crs_chars: int = 20_000
    max_row_group_bytes: int = 1 << 30
    chunk_rows: int = 1_000_000
    worker_memory_bytes: int = 2 << 30
    worker_seconds: float = 300.0
    max_workers: int = 2
