"""Multi-layer files built in memory and handed back as bytes.

GDAL cannot add a second layer to an in-memory GeoPackage (pyogrio refuses ``append`` for
a ``BytesIO`` target), so the layers are written into a private temporary directory, read
back as bytes, and the directory is removed.  No caller ever sees the path.

After the layers, the GeoPackage gets what GIS software reads besides features: each
layer's description (``gpkg_contents.description``), a QGIS style per layer
(``layer_styles``, the table QGIS reads a layer's default style from) and metadata
documents (the GeoPackage metadata extension: ``gpkg_metadata`` and
``gpkg_metadata_reference``, registered in ``gpkg_extensions``).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyogrio

__all__ = ["GpkgMetadata", "geopackage_bytes"]

_METADATA_EXT = "http://www.geopackage.org/spec120/#extension_metadata"
_SQL = (
    """CREATE TABLE IF NOT EXISTS gpkg_metadata (
        id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,
        md_scope TEXT NOT NULL DEFAULT 'dataset',
        md_standard_uri TEXT NOT NULL,
        mime_type TEXT NOT NULL DEFAULT 'text/xml',
        metadata TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (
        reference_scope TEXT NOT NULL,
        table_name TEXT,
        column_name TEXT,
        row_id_value INTEGER,
        timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        md_file_id INTEGER NOT NULL,
        md_parent_id INTEGER,
        CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),
        CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))""",
    """CREATE TABLE IF NOT EXISTS layer_styles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256),
        f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
        useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
        update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""",
)


@dataclass(frozen=True)
class GpkgMetadata:
    """One metadata document and the layers it describes.

    Attributes
    ----------
    text
        The document (e.g. JSON).
    mime_type
        Its MIME type, e.g. ``application/json``.
    standard_uri
        URI of the standard it follows (``md_standard_uri``).
    tables
        Layers it describes (``reference_scope = 'table'``); empty: the whole GeoPackage.
    scope
        ``md_scope``: ``dataset`` (default) or ``series``, ...
    """

    text: str
    mime_type: str
    standard_uri: str
    tables: tuple[str, ...] = ()
    scope: str = "dataset"


def _finish(
    path: Path,
    descriptions: Mapping[str, str],
    styles: Mapping[str, str],
    metadata: Sequence[GpkgMetadata],
) -> None:
    with closing(sqlite3.connect(path)) as con, con:
        for sql in _SQL:
            con.execute(sql)
        for name, text in descriptions.items():
            con.execute(
                "UPDATE gpkg_contents SET description = ? WHERE table_name = ?", (text, name)
            )
        geom = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        for name, qml in styles.items():
            con.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, "
                "owner, ui) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL)",
                (name, geom.get(name, ""), name, qml, "infra-gap"),
            )
        con.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "description) VALUES ('layer_styles', 'attributes', 'layer_styles', "
            "'QGIS styles of the layers')"
        )
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            con.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                "definition, scope) SELECT ?, NULL, 'gpkg_metadata', ?, 'read-write' "
                "WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = ? "
                "AND extension_name = 'gpkg_metadata')",
                (table, _METADATA_EXT, table),
            )
        for md in metadata:
            cur = con.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES (?, ?, ?, ?)",
                (md.scope, md.standard_uri, md.mime_type, md.text),
            )
            refs: list[tuple[str, str | None]] = [("table", t) for t in md.tables]
            refs = refs or [("geopackage", None)]
            for scope, ref_table in refs:
                con.execute(
                    "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, "
                    "md_file_id) VALUES (?, ?, ?)",
                    (scope, ref_table, cur.lastrowid),
                )


def geopackage_bytes(
    layers: Mapping[str, pd.DataFrame],
    *,
    descriptions: Mapping[str, str] | None = None,
    styles: Mapping[str, str] | None = None,
    metadata: Sequence[GpkgMetadata] = (),
) -> bytes:
    """A GeoPackage holding one layer per entry, as bytes.

    Parameters
    ----------
    layers
        Layer name -> GeoDataFrame (a spatial layer) or DataFrame (an attribute table),
        written in the given order.
    descriptions
        Layer name -> ``gpkg_contents.description``.
    styles
        Layer name -> QGIS QML, one default ``layer_styles`` row each.
    metadata
        Metadata documents (``gpkg_metadata``) with their references.
    """
    with tempfile.TemporaryDirectory(prefix="infra-gap-") as tmp:
        path = Path(tmp) / "export.gpkg"
        for name, frame in layers.items():
            # GeoPackage 1.2: GDAL before 3.7 (QGIS 3.22-3.28 on Debian 12) warns that a 1.4
            # file "may only be partially supported"; nothing here needs 1.3 or 1.4
            created = path.exists()
            pyogrio.write_dataframe(
                frame, path, layer=name, driver="GPKG", append=created,
                dataset_options=None if created else {"VERSION": "1.2"},
            )  # fmt: skip
        if descriptions or styles or metadata:
            _finish(path, descriptions or {}, styles or {}, metadata)
        return path.read_bytes()
