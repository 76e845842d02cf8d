"""Point-in-polygon in the data's own CRS: no reprojection moves a point across an edge."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from affine import Affine
from shapely.geometry import Polygon, box

from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.analysis.placement import place_points
from infra_gap.point_frames import point_xy

# Two desa split by one long diagonal edge, (98, 1) -> (99, 3), in degrees: West (lower
# code) to its north-west, East to its south-east.  A straight edge in degrees is not
# straight in UTM, and a 250 km edge has only its two end vertices projected exactly.
WEST = Polygon([(98.0, 1.0), (99.0, 3.0), (98.0, 3.0)])
EAST = Polygon([(98.0, 1.0), (99.0, 1.0), (99.0, 3.0)])
# 1e-7 degrees (about 1 cm) either side of the edge's midpoint (98.5, 2.0).
NEAR = [("98,4999999", "2,0"), ("98,5000001", "2,0")]


def _write(tmp_path, geoms, crs, *, rows=NEAR):
    """BIG-style boundaries (KDDESA, NMDESA, WADMKK), a `;` CSV with decimal commas, and
    a coverage raster in degrees (all covered)."""
    areas = gpd.GeoDataFrame(
        {
            "KDDESA": ["12.01.01.2001", "12.01.01.2002"],
            "NMDESA": ["Barat", "Timur"],
            "WADMKK": ["Tapanuli Tengah", "Tapanuli Tengah"],
        },
        geometry=geoms,
        crs="EPSG:4326",
    ).to_crs(crs)
    areas.to_file(tmp_path / "desa.geojson" if crs == "EPSG:4326" else tmp_path / "desa.gpkg")
    lines = ["bujur;lintang;nama_usaha"] + [f"{x};{y};toko {i}" for i, (x, y) in enumerate(rows)]
    (tmp_path / "umkm.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with rasterio.open(
        tmp_path / "cov.tif", "w", driver="GTiff", width=20, height=30, count=1,
        dtype="uint8", crs="EPSG:4326", transform=Affine(0.1, 0, 97.5, 0, -0.1, 3.5),
        nodata=255,
    ) as dst:  # fmt: skip
        dst.write(np.ones((30, 20), dtype="uint8"), 1)
    name = "desa.geojson" if crs == "EPSG:4326" else "desa.gpkg"
    return InputPaths(
        areas=tmp_path / name,
        msme=tmp_path / "umkm.csv",
        coverage=tmp_path / "cov.tif",
        level="desa",
    )


def test_near_edge_points_stay_in_their_own_desa(tmp_path):
    layers = load_layers(_write(tmp_path, [WEST, EAST], "EPSG:4326")).layers
    assert layers.native_areas is not None
    facts = place_and_cover(layers, covered_min=1)
    # In the file's own coordinates the first point is west of the edge, the second east.
    assert facts.area_index.tolist() == [0, 1]
    assert facts.coverage.covered.tolist() == [True, True]
    # Placed after reprojecting to UTM (as before), one of the two crosses the edge: the
    # case is a real near-edge case, not one both ways agree on.
    moved = place_points(*point_xy(layers.msme), layers.areas["desa"])
    assert moved[0] == moved[1]


def test_metric_boundaries_are_joined_in_the_work_crs(tmp_path):
    # A file already in UTM 47N: there is no common CRS with the degrees of the register,
    # so the points are projected once and placed there (no native copy is kept).
    paths = _write(tmp_path, [WEST, EAST], "EPSG:32647", rows=[("98,3", "2,5"), ("98,7", "1,5")])
    layers = load_layers(paths).layers
    assert layers.native_areas is None
    assert place_and_cover(layers, covered_min=1).area_index.tolist() == [0, 1]


def test_native_join_follows_the_rule_overlap_edge_and_outside(tmp_path):
    # West and an overlapping East: the overlap goes to the lower code (West); a point on
    # West's east edge x = 98.6 (inside East) is in West (lower code, on its boundary); a
    # point outside both is rejected with its file line.
    west, east = box(98.0, 1.0, 98.6, 2.0), box(98.5, 1.0, 99.0, 2.0)
    rows = [("98,55", "1,5"), ("98,6", "1,5"), ("98,8", "1,5"), ("97,0", "1,5")]
    layers = load_layers(_write(tmp_path, [west, east], "EPSG:4326", rows=rows)).layers
    facts = place_and_cover(layers, covered_min=1)
    assert facts.area_index.tolist() == [0, 0, 1, -1]
    assert (facts.account.read, facts.account.used, facts.account.rejected) == (4, 3, 1)
    assert facts.rejected[["row", "reason"]].values.tolist() == [["5", "outside every area"]]


def test_invalid_boundary_is_repaired_in_its_own_crs_too(tmp_path):
    # A bow-tie desa (self-intersecting) is repaired in both CRSs; a point in each of its
    # two lobes is placed in it, natively.
    bowtie = Polygon([(98.0, 1.0), (98.4, 1.4), (98.4, 1.0), (98.0, 1.4)])
    other = box(98.5, 1.0, 98.9, 1.4)
    rows = [("98,05", "1,2"), ("98,35", "1,2"), ("98,7", "1,2")]
    loaded = load_layers(_write(tmp_path, [bowtie, other], "EPSG:4326", rows=rows))
    assert len(loaded.boundary.repairs) == 1
    assert loaded.layers.native_areas is not None
    assert loaded.layers.native_areas.geometry.is_valid.all()
    facts = place_and_cover(loaded.layers, covered_min=1)
    assert facts.area_index.tolist() == [0, 0, 1]


def test_label_grid_kept_on_disk_is_checked_and_gives_the_same_placement(tmp_path, squares):
    from infra_gap.analysis import placement
    from infra_gap.io.cache import CacheWarning

    x, y = np.array([5_000.0, 10_000.0, 17_000.0, 30_000.0]), np.full(4, 5_000.0)
    built = placement.label_grid(squares, cell_m=700.0, cache_dir=tmp_path)
    (stored,) = tmp_path.glob("label-grid-*")
    assert {p.name for p in stored.iterdir()} >= {"labels.npy", "grid.json", "manifest.json"}
    placement._cached_grid.cache_clear()  # a new process: nothing in memory
    read = placement.label_grid(squares, cell_m=700.0, cache_dir=tmp_path)
    assert read is not built
    assert np.array_equal(read.labels, built.labels)
    assert not read.labels.flags.writeable
    assert placement.place_points_indexed(x, y, read).tolist() == [0, 0, 1, -1]
    # A damaged file is noticed (SHA-256), said, and the grid built again.
    labels = stored / "labels.npy"
    labels.write_bytes(labels.read_bytes()[:-8] + b"\x00" * 8)
    placement._cached_grid.cache_clear()
    with pytest.warns(CacheWarning, match="labels.npy"):
        again = placement.label_grid(squares, cell_m=700.0, cache_dir=tmp_path)
    assert np.array_equal(again.labels, built.labels)
    placement._cached_grid.cache_clear()
