"""The only package that opens files: vector, raster, tables and plain files."""

from infra_gap.io.area_cache import read_areas_cached
from infra_gap.io.area_lists import read_area_list
from infra_gap.io.bundle import GpkgMetadata, geopackage_bytes
from infra_gap.io.cache import CacheWarning, load_or_build
from infra_gap.io.checklist import read_checklist
from infra_gap.io.files import atomic_path, file_sha256, read_json, write_bytes, write_json
from infra_gap.io.isolation import run_isolated
from infra_gap.io.msme_lean import read_msme_points
from infra_gap.io.podes import read_podes
from infra_gap.io.raster import (
    MAX_RASTER_CELLS,
    fill_value_candidates,
    memory_raster,
    open_geotiff,
    raster_info,
    read_geotiff,
    sample_geotiff,
    write_geotiff,
)
from infra_gap.io.sources import read_sources
from infra_gap.io.speed_tiles import read_speed_tiles, scan_speed_tiles
from infra_gap.io.tables import (
    decode_text,
    parse_coordinate,
    read_csv_table,
    read_msme_table,
    read_opencellid,
    read_table,
)
from infra_gap.io.vector import (
    detect_column,
    list_layers,
    read_areas,
    read_areas_explained,
    read_geoparquet,
    read_vector,
    write_geoparquet,
    write_vector,
)

__all__ = [
    "MAX_RASTER_CELLS",
    "CacheWarning",
    "GpkgMetadata",
    "atomic_path",
    "decode_text",
    "detect_column",
    "file_sha256",
    "fill_value_candidates",
    "geopackage_bytes",
    "list_layers",
    "load_or_build",
    "memory_raster",
    "open_geotiff",
    "parse_coordinate",
    "raster_info",
    "read_area_list",
    "read_areas",
    "read_areas_cached",
    "read_areas_explained",
    "read_checklist",
    "read_csv_table",
    "read_geoparquet",
    "read_geotiff",
    "read_json",
    "read_msme_points",
    "read_msme_table",
    "read_opencellid",
    "read_podes",
    "read_sources",
    "read_speed_tiles",
    "read_table",
    "read_vector",
    "run_isolated",
    "sample_geotiff",
    "scan_speed_tiles",
    "write_bytes",
    "write_geoparquet",
    "write_geotiff",
    "write_json",
    "write_vector",
]
