"""Messy real-world inputs: every row used or listed with its reason."""

import io as stdio
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from infra_gap import io
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.analysis.validate import check_boundaries
from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError, InputFileError, SchemaError
from tests.conftest import DATA, ROOT

TESTDATA = ROOT / "tests" / "data"

# Two desa near Medan, 0.01 degree squares side by side (lon 98.60-98.62, lat 3.50-3.51).
DESA = gpd.GeoDataFrame(
    {"KODE_DESA": ["12.71.01.1001", "12.71.01.1002"], "NAMA_DESA": ["Satu", "Dua"]},
    geometry=[box(98.60, 3.50, 98.61, 3.51), box(98.61, 3.50, 98.62, 3.51)],
    crs="EPSG:4326",
)


def _gpkg_bytes(gdf, layer="desa"):
    buf = stdio.BytesIO()
    gdf.to_file(buf, driver="GPKG", layer=layer, engine="pyogrio")
    return buf.getvalue()


MESSY_CSV = (
    "nama;lintang;bujur;kode_desa;online\n"
    "Warung Bu Sé;3,505;98,605;;ya\n"  # desa 1, decimal comma, Latin-1 é
    "Toko Dua;3,505;98,615;;tidak\n"  # desa 2
    "Tanpa koordinat;;;12.71.01.1002;tidak\n"  # no coordinates, a desa code: placed by code
    "Kosong;;;;tidak\n"  # nothing: rejected, missing coordinate
    "Huruf;abc;98,6;;tidak\n"  # rejected, non-numeric
    "Jauh;95,0;98,6;;tidak\n"  # rejected, out of range
    "Tertukar;98,605;3,505;;tidak\n"  # swapped: outside every area, said so
    "Laut;3,2;98,9;;ya\n"  # valid, but outside every area
)


@pytest.mark.catalogue("E3", "E4", "F2", "F3", "F6", "F7")
@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", False), ("utf-8", True), ("latin-1", False)]
)
def test_messy_msme_csv_every_row_accounted(encoding, bom):
    data = ("\ufeff" if bom else "").encode("utf-8") + MESSY_CSV.encode(encoding)
    loaded = load_layers(
        InputPaths(
            areas=_gpkg_bytes(DESA), msme=data, names={"areas": "desa.gpkg", "msme": "umkm.csv"}
        )
    )
    layers = loaded.layers
    assert layers.msme["online"].tolist()[:2] == [True, False]
    rej = layers.rejected.set_index("row")["reason"].to_dict()
    assert rej["5"] == "missing coordinate"
    assert rej["6"] == "non-numeric coordinate"
    assert rej["7"] == "coordinate out of range"
    assert rej["8"].startswith("latitude and longitude look swapped")
    assert len(rej) == 4
    # a binary coverage raster over both desa: everything covered
    from infra_gap.analysis.coverage import model_coverage

    cov = model_coverage(
        np.array([]), np.array([]), np.array([]), bounds=(0, 0, 1, 1), pixel_m=1, crs=WORK_CRS
    )
    object.__setattr__(layers, "coverage", cov)
    facts = place_and_cover(layers, covered_min=1)
    acc = facts.account
    assert (acc.read, acc.used, acc.rejected) == (8, 3, 5)
    reasons = facts.rejected.set_index("row")["reason"]
    assert reasons["9"] == "outside every area"
    assert len(facts.rejected) == acc.rejected
    table = indicator_table(layers, facts, level="desa").set_index("kode")
    assert table["msme_total"].to_dict() == {"12.71.01.1001": 1, "12.71.01.1002": 2}
    # the code-only row has unknown coverage, counted as not covered
    assert table["msme_coverage_unknown"].to_dict() == {"12.71.01.1001": 1, "12.71.01.1002": 2}


@pytest.mark.catalogue("F2", "F9")
def test_decimal_point_comma_separated_and_xlsx(tmp_path):
    csv = "id,lat,lon\n1,3.505,98.605\n2,3.505,98.615\n"
    gdf, rejected = io.read_msme_table(csv.encode(), name="u.csv")
    assert len(gdf) == 2
    assert rejected.empty
    xlsx = tmp_path / "u.xlsx"
    pd.DataFrame({"Latitude": [3.505, "x"], "Longitude": [98.605, 98.6]}).to_excel(
        xlsx, index=False
    )
    gdf, rejected = io.read_msme_table(xlsx)
    assert len(gdf) == 1
    assert rejected["reason"].tolist() == ["non-numeric coordinate"]
    assert rejected["row"].tolist() == ["3"]


def test_lat_lon_override_and_missing_columns():
    csv = b"a,b\n3.505,98.605\n"
    gdf, _ = io.read_msme_table(csv, name="u.csv", lat_col="a", lon_col="b")
    assert gdf["lat"].tolist() == [3.505]
    with pytest.raises(SchemaError, match="no latitude/longitude columns"):
        io.read_msme_table(csv, name="u.csv")


def test_online_flags_read_by_their_text_and_a_bad_one_named():
    csv = b"lat,lon,online\n3.5,98.6, Ya\n3.5,98.6,FALSE\n3.5,98.6,1\n3.5,98.6,\n"
    gdf, _ = io.read_msme_table(csv, name="u.csv")
    assert gdf["online"].tolist() == [True, False, True, False]
    bad = b"lat,lon,online\n3.5,98.6,ya\n3.5,98.6,mungkin\n"
    with pytest.raises(
        SchemaError, match=r"u.csv: row 3, column 'online': 'mungkin' is not yes/no"
    ):
        io.read_msme_table(bad, name="u.csv")


@pytest.mark.catalogue("A9")
def test_zipped_shapefile_upper_case_extensions(tmp_path):
    shp = tmp_path / "kec.shp"
    DESA.rename(columns={"KODE_DESA": "KDKEC", "NAMA_DESA": "NMKEC"}).to_file(shp)
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for ext in ("shp", "shx", "dbf", "prj"):
            z.write(tmp_path / f"kec.{ext}", f"KEC.{ext.upper()}")
    areas = io.read_areas(buf.getvalue(), name="KEC.ZIP")
    assert areas["kode"].tolist() == ["12.71.01.1001", "12.71.01.1002"]
    assert areas["nama"].tolist() == ["Satu", "Dua"]
    assert areas.crs.to_string() == WORK_CRS


def test_geoparquet_in_another_crs(tmp_path):
    path = tmp_path / "a.parquet"
    DESA.to_crs(3857).to_parquet(path)
    areas = io.read_areas(path)
    np.testing.assert_allclose(areas.geometry.area, DESA.to_crs(WORK_CRS).geometry.area, rtol=1e-9)


@pytest.mark.catalogue("A8")
def test_gpkg_layer_choice(tmp_path):
    path = tmp_path / "two.gpkg"
    DESA.to_file(path, layer="desa")
    DESA.to_file(path, layer="copy")
    with pytest.raises(InputFileError, match=r"several layers \['desa', 'copy'\]"):
        io.read_areas(path)
    assert len(io.read_areas(path, layer="copy")) == 2


@pytest.mark.catalogue("B8")
def test_unknown_format_refused():
    with pytest.raises(InputFileError, match="not an allowed vector format"):
        io.read_areas(b"<kml/>", name="x.kml")


@pytest.mark.catalogue("D9")
def test_duplicate_codes_stop_with_the_list():
    areas = io.read_areas(_gpkg_bytes(pd.concat([DESA, DESA.iloc[:1]])), name="d.gpkg")
    with pytest.raises(
        DataError, match=r"1 duplicated area code\(s\): 12.71.01.1001 \(rows 1, 3\)"
    ):
        check_boundaries(areas, name="d.gpkg")


@pytest.mark.catalogue("D1")
def test_invalid_geometry_repaired_and_reported():
    bowtie = Polygon([(98.60, 3.50), (98.61, 3.51), (98.61, 3.50), (98.60, 3.51), (98.60, 3.50)])
    gdf = DESA.copy()
    gdf.loc[0, "geometry"] = bowtie
    areas = io.read_areas(_gpkg_bytes(gdf), name="b.gpkg")
    fixed, report = check_boundaries(areas, name="b.gpkg")
    assert fixed.geometry.is_valid.all()
    assert report.repairs["kode"].tolist() == ["12.71.01.1001"]
    assert "Self-intersection" in report.repairs["action"].iloc[0]
    assert report.repairs["area_after_km2"].iloc[0] > 0


@pytest.mark.catalogue("D8")
def test_real_boundaries_overlap_report():
    areas = io.read_areas(DATA / "sumut_kecamatan.geojson")
    _, report = check_boundaries(areas, name="kec")
    overlaps = report.overlaps()
    assert 1000 < len(overlaps) < 1100  # domain.md: about 1,050 pairs
    assert 500 < overlaps["overlap_km2"].sum() < 560  # about 530 km²
    assert report.gap_km2() > 0


def test_real_opencellid_sample():
    towers = io.read_opencellid(TESTDATA / "opencellid_510_sumut_sample.csv")
    assert len(towers) == 243
    # the reader keeps the network code; names come from data/mcc_mnc_510.csv (test_towers)
    assert towers["operator"].value_counts().to_dict() == {"510-11": 223, "510-10": 20}
    assert towers["row"].iloc[0] == "2"
    prov = io.read_areas(DATA / "sumut_provinsi.geojson")
    inside = towers.geometry.within(prov.geometry.iloc[0].buffer(2000)).sum()
    assert inside == 234  # SOURCES.md: 234 inside the province (2 km buffer), 9 outside


@pytest.mark.catalogue("G1")
def test_hand_made_ookla_sample_keeps_quadkeys():
    tiles = io.read_speed_tiles(TESTDATA / "ookla_sample.csv")
    assert tiles["quadkey"].tolist()[-1] == "0002231120233302"  # leading zeros kept
    assert tiles["quadkey"].map(type).eq(str).all()
    assert tiles["tests"].sum() == 157
    medan = tiles.iloc[:3]
    mean = (medan["avg_d_kbps"] * medan["tests"]).sum() / medan["tests"].sum() / 1000
    assert mean == pytest.approx((25000 * 40 + 3000 * 10 + 12000 * 5) / 55 / 1000)


def test_exported_demo_reads_back_to_the_same_ranking(demo_layers, tmp_path):
    from infra_gap.config import ScoringParams
    from infra_gap.ranking.levels import rank_level
    from infra_gap.synthetic.demo import export_demo

    export_demo(demo_layers, tmp_path)
    loaded = load_layers(
        InputPaths(
            areas=tmp_path / "areas.gpkg",
            areas_layer="desa",
            level="desa",
            msme=tmp_path / "msme.csv",
            coverage=tmp_path / "coverage.tif",
            towers=tmp_path / "towers_opencellid.csv",
            speed_tiles=tmp_path / "speed_tiles.parquet",
            backbone=tmp_path / "backbone.geojson",
        )
    )
    weights = ScoringParams().weights
    mine = rank_level(
        loaded.layers, place_and_cover(loaded.layers, covered_min=1), level="desa", weights=weights
    )
    ref = rank_level(
        demo_layers, place_and_cover(demo_layers, covered_min=1), level="desa", weights=weights
    )
    assert mine["kode"].tolist() == ref["kode"].tolist()
    pd.testing.assert_series_equal(mine["msme_uncovered"], ref["msme_uncovered"])
    assert mine["msme_total"].sum() == 1_166_918


@pytest.mark.catalogue("C3")
def test_windowed_sampling_equals_in_memory(demo_layers, tmp_path):
    from infra_gap.analysis.coverage import sample_raster

    path = tmp_path / "cov.tif"
    io.write_geotiff(demo_layers.coverage, path)
    pts = demo_layers.msme.geometry.iloc[::50]
    x, y = pts.x.to_numpy(), pts.y.to_numpy()
    whole, inside_a = sample_raster(demo_layers.coverage, x, y, xy_crs=WORK_CRS)
    windowed, inside_b, nodata = io.sample_geotiff(path, x, y, xy_crs=WORK_CRS, rows_per_window=97)
    np.testing.assert_array_equal(inside_a, inside_b)
    np.testing.assert_array_equal(whole, windowed)
    assert nodata == 255


def test_towers_only_give_modelled_coverage():
    towers = b"radio,mcc,net,area,cell,unit,lon,lat,range\nLTE,510,10,1,1,-1,98.605,3.505,500\n"
    msme = b"lat,lon\n3.505,98.605\n3.505,98.615\n"
    loaded = load_layers(
        InputPaths(areas=_gpkg_bytes(DESA), msme=msme, towers=towers,
                   names={"areas": "d.gpkg", "msme": "m.csv", "towers": "t.csv"})
    )  # fmt: skip
    layers = loaded.layers
    assert any(s.origin.startswith("modelled from towers") for s in layers.sources)
    facts = place_and_cover(layers, covered_min=1)
    # the tower's 500 m reach covers the first MSME (same point), not the one 1.1 km east
    assert facts.coverage.covered.tolist() == [True, False]


def test_speed_tiles_from_a_geopackage(tmp_path):
    tiles = io.read_speed_tiles(TESTDATA / "ookla_sample.csv")
    gpkg = tmp_path / "tiles.gpkg"
    tiles.drop(columns=["row"]).to_file(gpkg, layer="tiles")
    back = io.read_speed_tiles(gpkg)
    assert back["quadkey"].tolist() == tiles["quadkey"].tolist()
    assert back["tests"].tolist() == tiles["tests"].tolist()


def test_chosen_code_column_beside_a_kode_column_keeps_one_kode():
    gdf = DESA.assign(kode=["x", "y"], nama=["n1", "n2"])
    areas = io.read_areas(gdf.to_json().encode(), name="desa.geojson", id_col="KODE_DESA")
    assert list(areas.columns).count("kode") == 1
    assert list(areas.columns).count("nama") == 1
    assert areas["kode"].tolist() == ["12.71.01.1001", "12.71.01.1002"]
    assert areas["kode_asli"].tolist() == ["x", "y"]
    assert areas["nama"].tolist() == ["n1", "n2"]


def test_float_codes_with_a_missing_or_fractional_value():
    # `kode` alone: beside KODE_DESA (complete, unique, code-shaped) it would not be chosen.
    only = DESA.drop(columns="KODE_DESA")
    missing = io.read_areas(_gpkg_bytes(only.assign(kode=[1271011001.0, np.nan])), name="d.gpkg")
    assert missing["kode"].tolist()[0] == "1271011001"
    fractional = io.read_areas(_gpkg_bytes(only.assign(kode=[1.5, 2.0])), name="d.gpkg")
    assert fractional["kode"].tolist() == ["1.5", "2.0"]


def test_points_in_a_boundary_layer_are_listed_not_kept():
    from shapely.geometry import Point

    gdf = pd.concat(
        [
            DESA,
            gpd.GeoDataFrame(
                {"KODE_DESA": ["p"], "NAMA_DESA": ["P"]},
                geometry=[Point(98.6, 3.5)],
                crs="EPSG:4326",
            ),
        ]
    )
    areas = io.read_areas(gdf.to_json().encode(), name="desa.geojson")
    fixed, report = check_boundaries(areas, name="desa.geojson")
    assert fixed["kode"].tolist() == ["12.71.01.1001", "12.71.01.1002"]
    assert report.dropped_empty["reason"].tolist() == ["not a polygon"]


def test_shapefile_in_two_folders_is_refused(tmp_path):
    DESA.to_file(tmp_path / "desa.shp")
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for folder in ("a", "b"):
            for ext in ("shp", "shx", "dbf", "prj"):
                z.write(tmp_path / f"desa.{ext}", f"{folder}/desa.{ext}")
    with pytest.raises(InputFileError, match="several folders"):
        io.read_areas(buf.getvalue(), name="desa.zip")


@pytest.mark.slow  # a register larger than one chunk, five times: make test only
@pytest.mark.parametrize("odd_row", [None, "3,5;98,6", " 3.5 ;98.6", "abc;98.6", ";"])
def test_large_register_points_equal_to_crs(odd_row):
    # 120,000 rows: the plain-number fast path and the two-thread point making; one odd
    # row (decimal comma, blanks, text, nothing) sends the column through the text path.
    rng = np.random.default_rng(3)
    lat = np.round(rng.uniform(1.0, 4.0, 120_000), 6)
    lon = np.round(rng.uniform(97.0, 100.0, 120_000), 6)
    lines = [f"{a};{b}" for a, b in zip(lat, lon, strict=True)]
    if odd_row is not None:
        lines[500] = odd_row
    data = ("lat;lon\n" + "\n".join(lines) + "\n").encode()
    gdf, rejected = io.read_msme_table(data, name="umkm.csv")
    keep = np.ones(len(lines), dtype=bool)
    if odd_row in ("abc;98.6", ";"):
        keep[500] = False
        assert rejected["row"].tolist() == ["502"]
    elif odd_row is not None:
        lat[500], lon[500] = 3.5, 98.6
    assert len(gdf) + len(rejected) == len(lines)
    expected = gpd.GeoSeries(gpd.points_from_xy(lon[keep], lat[keep]), crs=4326).to_crs(WORK_CRS)
    assert gdf.geometry.x.tolist() == expected.x.tolist()
    assert gdf.geometry.y.tolist() == expected.y.tolist()
    assert gdf["lat"].tolist() == lat[keep].tolist()
