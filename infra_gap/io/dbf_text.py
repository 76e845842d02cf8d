"""Names of a shapefile whose DBF is UTF-8 but says nothing of it (reliability.md D11).

A DBF carries no encoding of its own unless a ``.cpg`` file or its language-driver byte
says one; GDAL then reads its text as ISO-8859-1 (GDAL's Shapefile driver documentation,
``ENCODING`` open option and ``SHAPE_ENCODING``, GDAL 3.x, 2025).  A DBF written as UTF-8
(QGIS's default since 3.0) and zipped without its ``.cpg`` reads as mojibake: ``Sé``
becomes ``SÃ©``.  That reading is exactly reversible: the ISO-8859-1 text, encoded back,
gives the file's bytes, and those decode as UTF-8.  Text that really is ISO-8859-1 almost
never decodes as UTF-8 (an accented capital followed by a continuation byte), so the
repair is made only when every non-ASCII value of every text column decodes, and said.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

__all__ = ["utf8_read_as_latin1"]


def _as_utf8(value: str) -> str | None:
    """``value`` read back as UTF-8, or None when it cannot have been UTF-8."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None


def utf8_read_as_latin1(gdf: gpd.GeoDataFrame, *, name: str) -> tuple[gpd.GeoDataFrame, str | None]:
    """The layer with UTF-8 text read as ISO-8859-1 decoded again, and a note saying so.

    Returns the layer unchanged and None when no text column looks like that (plain
    ASCII, real ISO-8859-1 text, or a DBF read with its declared encoding).
    """
    fixed: dict[str, pd.Series] = {}
    for col in gdf.columns:
        dtype = gdf[col].dtype
        textual = pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
        if col == gdf.geometry.name or not textual:
            continue
        values = gdf[col]
        text = values[values.map(lambda v: isinstance(v, str) and not v.isascii())]
        if not len(text):
            continue
        again = text.map(_as_utf8)
        if again.isna().any():
            return gdf, None  # one value is not UTF-8 mojibake: leave every column as read
        fixed[col] = again
    if not fixed:
        return gdf, None
    out = gdf.copy()
    for col, again in fixed.items():
        out.loc[again.index, col] = again
    n = sum(len(v) for v in fixed.values())
    note = (
        f"warning: {name}: the DBF has no .cpg and its text is UTF-8, not ISO-8859-1 as GDAL "
        f"reads it: {n} value(s) in {', '.join(fixed)} read again as UTF-8 (e.g. "
        f"{next(iter(fixed.values())).iloc[0]!r}); add a .cpg file saying UTF-8 to be sure"
    )
    return out, note
