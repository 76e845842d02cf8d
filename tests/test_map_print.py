"""Cetak peta (issue #19, item 7): the map view as PNG and PDF, drawn on the server."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import geopandas as gpd
import numpy as np
import pytest
from pypdf import PdfReader
from shapely.geometry import LineString, Point, box

from infra_gap.maps.labels import label_points
from infra_gap.outputs.map_print import PrintLayers, print_map
from infra_gap.text.i18n import fmt_num

UTM = "EPSG:32647"
X0, Y0 = 460_000.0, 395_000.0


@pytest.fixture
def layers() -> PrintLayers:
    """Four 4 km kecamatan in UTM 47N (as a BIG file), one without a score, one named with
    markup and an emoji."""
    names = ["Medan Tuntungan", "Medan Johor", "Amplas $x^2$ \U0001f600", "Medan Denai"]
    areas = gpd.GeoDataFrame(
        {"kode": [f"12.71.0{i + 1}" for i in range(4)], "nama": names,
         "score": [0.05, 0.5, 0.95, np.nan]},
        geometry=[box(X0 + c * 4e3, Y0 + r * 4e3, X0 + (c + 1) * 4e3, Y0 + (r + 1) * 4e3)
                  for r in range(2) for c in range(2)],
        crs=UTM,
    )  # fmt: skip
    towers = gpd.GeoSeries([Point(X0 + 1e3, Y0 + 1e3)], crs=UTM)
    backbone = gpd.GeoSeries([LineString([(X0, Y0 + 10), (X0 + 8e3, Y0 + 10)])], crs=UTM)
    return PrintLayers(areas=areas, towers=towers, backbone=backbone, labels=label_points(areas))


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)


def test_pdf_page_has_legend_scale_north_date_and_status(layers):
    pdf = print_map(
        layers, title="Peta prioritas: 4 kecamatan di Kota Medan", fmt="pdf", lang="id",
        status=["Status data: data sendiri (kec.gpkg)."], today=dt.date(2026, 12, 3),
        tick_format=lambda v: fmt_num(v, "id", decimals=1),
    )  # fmt: skip
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    for expected in ("Peta prioritas: 4 kecamatan di Kota Medan", "Skor prioritas (0-1)",
                     "0,0\u20130,2", "0,8\u20131,0", "Tidak ada data", "Lapisan bukti",
                     "Menara (per operator)", "Backbone serat optik", "3 Desember 2026",
                     "Status data: data sendiri (kec.gpkg).", "km", "Medan Johor"):  # fmt: skip
        assert expected in text, expected
    assert "Amplas $x^2$" in text  # drawn as text, not as math
    assert len(PdfReader(BytesIO(pdf)).pages) == 1


def test_png_in_english_and_the_view_crops_the_names(layers):
    png = print_map(layers, title="Priority map", status=["Data status: own data."], lang="en",
                    view=None)  # fmt: skip
    assert png.startswith(b"\x89PNG")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1753, 1240)  # A4 landscape at 150 dpi
    # a view of the south-west kecamatan only: the north-east one's name is not printed
    sw = gpd.GeoSeries([box(X0 + 500, Y0 + 500, X0 + 3_500, Y0 + 3_500)], crs=UTM).to_crs(4326)
    pdf = print_map(layers, title="Priority map", status=[], lang="en", fmt="pdf",
                    view=list(sw.total_bounds))  # fmt: skip
    text = _text(pdf)
    assert "Medan Tuntungan" in text
    assert "Medan Denai" not in text
    assert "N" in text
