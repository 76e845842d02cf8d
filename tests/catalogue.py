# ruff: noqa: E501  (the registry is a table: one case a line)
"""The reliability catalogue's cases, as data: the generator counts what covers them.

The cases are those of ``shared/reference/reliability.md`` section 3 (89 cases, groups A-K),
one :class:`Case` each, with a short title and a note.  Which tests cover a case is not written
here: a test says it with ``@pytest.mark.catalogue("A4", ...)``, and ``tests/gen_catalogue.py``
(``make catalogue``) reads those marks and writes ``tests/catalogue_cases.md`` with the counts.
``tests/test_catalogue_table.py`` fails when the committed table differs from what it writes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CASES", "GROUPS", "Case"]

#: The catalogue's groups, in order, by letter: a short name (summary) and a section title.
GROUPS = {
    "A": ("archive and upload", "Upload envelope and archives"),
    "B": ("GDAL", "GDAL paths, drivers, side effects"),
    "C": ("raster", "Rasters"),
    "D": ("geometry", "Vector geometry"),
    "E": ("CRS", "CRS and coordinates"),
    "F": ("table", "Business tables"),
    "G": ("format (connectivity layers)", "Connectivity layers (formats)"),
    "H": ("map", "Map rendering"),
    "J": ("export", "Exports"),
    "K": ("session", "Sessions, caching, concurrency"),
}


@dataclass(frozen=True)
class Case:
    """One catalogue case.

    Attributes
    ----------
    id
        The catalogue's id (``A1``), its group's letter first.
    title
        A few words naming the bad input.
    note
        What the tests show, what is fixed, what is left.
    partial
        The tests cover only part of the case (the note says which part).
    elsewhere
        Evidence that is not a test (a benchmark), shown in place of the tests.
    in_catalogue
        False for a case found later and not in the catalogue: listed, not counted.
    """

    id: str
    title: str
    note: str = ""
    partial: bool = False
    elsewhere: str = ""
    in_catalogue: bool = True


# fmt: off
CASES = (
    Case("A1", "file over the upload budget", "the configured `server.maxUploadSize` (≤ 200 MB) and error details; a direct POST over the cap is not sent", partial=True),
    Case("A2", "wrong extension", "zip/TIFF named .csv, CSV named .tif, zip named .geojson → E_INPUT_FILE"),
    Case("A3", "zip bomb", "40 MB in < 100 KB, refused while streaming"),
    Case("A4", "central directory understates size", "fixed: `guard_zip` wraps the streaming loop, E_SECURITY naming the entry"),
    Case("A5", "`../`, absolute, drive, backslash paths", "NUL names and symlink entries not tested (nothing is extracted: GDAL reads `/vsizip/` in memory)"),
    Case("A6", "too many entries", "also nested archives"),
    Case("A7", "encrypted / Deflate64", "fixed: refused up front (E_SECURITY); also bzip2/lzma and symlink entries (hardening::test_zip_bzip2_entry_is_refused, hardening::test_zip_symlink_entry_is_refused)"),
    Case("A8", "several layers"),
    Case("A9", "`__MACOSX`, upper case, subfolder", "subfolder: fixed (one folder is copied to the root of an in-memory zip; several folders: E_INPUT_FILE, test_io::test_shapefile_in_two_folders_is_refused)"),
    Case("A10", "empty / truncated"),
    Case("B1", "`/vsicurl/`, URLs in text fields", "layer name, code column, file name; canary gets 0 requests"),
    Case("B2", "VRT as .tif → loopback", "issue must-have; 0 requests"),
    Case("B3", "VRT as .tif → local file", "issue must-have; SimpleSource and VRTRawRasterBand (gdal#12645); no secret byte in any message"),
    Case("B4", "disguised MRF", "0 requests, no new file"),
    Case("B5", "GeoJSON linked CRS", "fixed: the JSON is parsed first; any non-named `crs` (top, feature, geometry), unsafe CRS name, JSON-FG `coordRefSys` object or non-local `$ref` is refused (E_SECURITY; hardening::test_geojson_members_that_point_elsewhere_are_refused)"),
    Case("B6", "typed CRS / PROJ network", "`PROJ_NETWORK=OFF` and pyproj's network off; the app has no CRS input", partial=True),
    Case("B7", "GPKG with triggers, views, tables", "file hash unchanged; extra table not taken silently"),
    Case("B8", "XML entity bomb", ".kml/.gml refused by name; XML as .geojson refused"),
    Case("B9", "start-up self-check"),
    Case("C1", "tiny TIFF declaring 10⁶ x 10⁶", 'E_LIMIT `max_raster_cells` / `max_block_cells` before any pixel is read; sampling windows capped at `max_window_cells`; test_hostile_inputs cases "raster sparse 2e11 pixels" and "raster one 8192 x 8192 tile"'),
    Case("C2", "10,000 bands", "E_LIMIT `max_raster_bands` (64), before any pixel is read (issue 22)"),
    Case("C3", "large legitimate raster", "windows equal the in-memory result"),
    Case("C4", "corrupt tile", "E_INPUT_FILE; uploads are parsed in a capped worker process: a crash or memory bomb ends the worker (E_LIMIT), the app lives on"),
    Case("C5", "no CRS", "issue must-have; E_SCHEMA"),
    Case("C6", "no overlap", "outside → unknown, not covered"),
    Case("C7", "fill values, NaN"),
    Case("C8", "raster in another CRS"),
    Case("C9", "south-up geotransform", "known answer"),
    Case("D1", "bow-tie", "issue must-have (invalid polygons)"),
    Case("D2", "spikes, duplicate vertices"),
    Case("D3", "make_valid → GeometryCollection", 'a collection of polygons and stray lines or points keeps its polygons (one MultiPolygon, in both geometry columns), reported as a repair naming the dropped parts; the GPKG layer is MultiPolygon; `make_valid` uses `method="structure"`, polygonal by construction'),
    Case("D4", "empty / null geometry"),
    Case("D5", "point in a boundary layer", 'fixed: listed in `dropped_empty` as "not a polygon" (test_io::test_points_in_a_boundary_layer_are_listed_not_kept)'),
    Case("D6", "Z coordinates", "counts kept"),
    Case("D7", "huge polygons", 'display simplified, analysis full; feature and vertex budgets (E_LIMIT; test_hostile_inputs cases "areas over max_features" and "areas over max_vertices")', partial=True),
    Case("D8", "overlaps and gaps", "issue must-have"),
    Case("D9", "duplicate codes"),
    Case("D10", "missing .prj/.dbf/.shx", "no .shx: fixed (E_INPUT_FILE naming the .shp)"),
    Case("D11", "DBF encoding", "with a .cpg GDAL decodes it; without one GDAL reads ISO-8859-1, and UTF-8 text read that way is decoded again only when every non-ASCII value decodes (a `warning:` note says so and asks for a .cpg); no encoding choice in the app yet"),
    Case("D12", "truncated names, float codes", "all pass: integral float codes lose `.0`; an existing `kode`/`nama` beside a chosen column is kept as `kode_asli`/`nama_asli`"),
    Case("E1", "projected, no .prj", 'E_SCHEMA "no CRS"'),
    Case("E2", "metres labelled WGS84", "fixed: degrees outside [-180, 180] x [-90, 90] and non-finite projected coordinates are refused (E_SCHEMA)"),
    Case("E3", "swapped lat/lon", "flagged, never auto-swapped"),
    Case("E4", "sign error", "outside every area, conserved"),
    Case("E5", "0,0 and 999", "all pass: Null Island is outside every area, with no warning"),
    Case("E6", "0-360, western sign"),
    Case("E7", "antimeridian", "a feature in degrees spanning over 180 degrees of longitude is refused before its extent sizes anything (E_SCHEMA naming the feature number; areas and tile layers)"),
    Case("E8", "low precision", "points with both coordinates to 2 decimals or fewer are placed as given and counted in a `warning:` note (low precision), in the CLI's and the app's notes"),
    Case("E9", "DMS strings", "non-numeric, conserved"),
    Case("F1", 'NaN, "-", "NA", blanks'),
    Case("F2", "decimal comma, `;`"),
    Case("F3", "encodings", "issue must-have (mixed encodings); UTF-8, BOM and Latin-1 in test_io"),
    Case("F4", "duplicate ids", "kept, not deduplicated"),
    Case("F5", "point on a shared edge"),
    Case("F6", "offshore", '"outside every area"'),
    Case("F7", "village codes as numbers"),
    Case("F8", "code and point disagree", "policy: the coordinates decide, each disagreement is listed (digits compared, a code that begins the area's code or is begun by it agrees): the CLI's `warning:` line (code_point_conflict), the app's data-quality table, and the national build's code_conflicts.parquet with the same warning"),
    Case("F9", "XLSX formulas, dates"),
    Case("F10", "XLSX zip bomb", "passes: the zip guard runs before openpyxl (E_SECURITY)"),
    Case("F11", "2 M rows", 'rows, columns and cells budgeted before parsing (E_LIMIT; test_hostile_inputs cases "msme over max_table_rows", "msme 100,000-column CSV", "msme 5,000-column XLSX"); the register is read in chunks of `chunk_rows` into arrays sized from the row count (test_msme_chunks: any chunking ranks the same); peak memory per row measured by `bench/bench_msme_scale.py`'),
    Case("F12", "formula/script text cells"),
    Case("G1", "quadkeys as text"),
    Case("G2", "WKT vs quadkey", "the quadkey decides (every look-up uses the quadkey grid); tiles whose polygon centre is outside their quadkey's tile are counted in a `warning:` note naming the first rows"),
    Case("G3", "units, negative counts", "passes: a bad WKT, a non-numeric or a negative value stops the read with E_DATA naming the file, row and column"),
    Case("G4", "global parquet", "tiles are read in chunks and those far from every area are left out as they are read, each listed as a rejected row (rows read = kept + left out); over `max_table_rows`: E_LIMIT (test_hostile_inputs)"),
    Case("G5", "OpenCelliD .gz", "passes: a gzip file is refused (E_INPUT_FILE: decompress it first)"),
    Case("G6", "absurd `range`", "a `range` over 15 km (the top of GSMA's band) is capped at 15 km and the count said in a `warning:` note; 0 or missing: reach from mast height, else 2 km"),
    Case("H1", "`<img src=x onerror=…>`", "issue must-have: browser test, no dialog, shown as text"),
    Case("H2", "backtick, `${…}`"),
    Case("H2b", "`{{ 7*7 }}`, `{% … %}` (found 2026-11-29)", "branca wrapped every element's rendered output in a new jinja template and rendered it again, so template syntax in data (an uploaded area name, a tooltip) ran on the server: `{{ 7*7 }}` came out as `49`. `infra_gap.maps.folium_text` keeps rendered output as text", in_catalogue=False),
    Case("H3", "`</script>`"),
    Case("H4", "quotes, newlines, U+2028, NUL, RTL, 10,000 chars"),
    Case("H5", "payloads in aliases/labels"),
    Case("H6", "50,000 points", "MSMEs as heat cells"),
    Case("J1", "CSV formula triggers", "issue must-have (every export); LF: fixed (CSV and XLSX)"),
    Case("J2", "XLSX formulas"),
    Case("J3", "non-ASCII CSV, BOM"),
    Case("J4", "Excel limits"),
    Case("J5", "PDF markup", "0 loopback requests"),
    Case("J6", "PDF glyphs"),
    Case("J7", "GPKG layer types"),
    Case("J8", "download file names", "`safe_label`"),
    Case("J9", "counts in every export", "clean upload: fixed (bool mask; empty frame returned early)"),
    Case("K1", "same file names, different bytes", "issue must-have"),
    Case("K2", "same bytes, different options"),
    Case("K3", "module-level mutable state", "AST check of infra_gap, the app included"),
    Case("K4", "memory plateau", "fixed: a load lets go of the files it read (the upload manager and the boxes: streamlit#9218), tested; no timing in tests: the plateau over rounds of 20 sessions each uploading its own 50 MB register is measured by the benchmark (`--rounds`: idle baselines)", partial=True, elsewhere="`bench/bench_load.py`"),
    Case("K5", "tab closed mid-run", "uploads are parsed in a worker process whose temporary files (TMPDIR, CPL_TMPDIR) go to a folder of its own, removed however the worker ends (killed, crashed, finished); the read runs to its end and is cached for the data key, or is stopped by its time limit"),
    Case("K6", "double click", "own data is read once per content key (`st.cache_resource`): a second click while the first read runs waits for it and gets the same result; one worker is started"),
    Case("K7", "XSRF", "config; no cross-site POST sent", partial=True),
)
# fmt: on
