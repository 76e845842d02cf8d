"""Multi-layer files built in memory and handed back as bytes.

GDAL cannot add a second layer to an in-memory GeoPackage (pyogrio refuses ``append`` for
a ``BytesIO`` target), so the layers are written into a private temporary directory, read
back as bytes, and the directory is removed.  No caller ever sees the path.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyogrio

__all__ = ["geopackage_bytes"]


def geopackage_bytes(layers: Mapping[str, pd.DataFrame]) -> bytes:
    """A GeoPackage holding one layer per entry, as bytes.

    Parameters
    ----------
    layers
        Layer name -> GeoDataFrame (a spatial layer) or DataFrame (an attribute table),
        written in the given order.
    """
    with tempfile.TemporaryDirectory(prefix="infra-gap-") as tmp:
        path = Path(tmp) / "export.gpkg"
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG", append=path.exists())
        return path.read_bytes()
