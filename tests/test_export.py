"""CSV export, and the toy layers every export test shares (checkable by hand).

The toy province: kabupaten 12.01 (20 x 10 km) with two kecamatan side by side, 12.01.01
(one desa) and 12.01.02 (two desa).  Nine MSMEs: four in 12.01.01 (two covered), five in
12.01.02 (one covered, four not, one of them on a no-data pixel).  Both kecamatan carry
hostile names.
"""

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.pipeline import PointFacts
from infra_gap.config import WORK_CRS
from infra_gap.layers import Layers, Raster, RowAccount, Source
from infra_gap.outputs.export import (
    EXPORT_TEXT,
    STABILITY_COLUMNS,
    SYNTHETIC_LABEL,
    ExportMeta,
    bare_column,
    column_label,
    export_columns,
    neutralise_formulas,
    ranked_csv,
    rejected_rows,
    row_accounts,
)

X0, Y0 = 400_000.0, 150_000.0  # inside UTM 47N, near Nias
HOSTILE = '=HYPERLINK("http://x")'
MIXED = "Nias & <b>Selatan</b> \U0001f30f {nb}"


def toy_layers(*, synthetic: bool = True) -> Layers:
    """The toy province (see the module docstring), in the work CRS."""

    def sq(x0: float, x1: float):
        return box(X0 + x0, Y0, X0 + x1, Y0 + 10_000)

    areas = {
        "kabupaten": gpd.GeoDataFrame(
            {"kode": ["12.01"], "nama": ["Kab Uji"]}, geometry=[sq(0, 20_000)], crs=WORK_CRS
        ),
        "kecamatan": gpd.GeoDataFrame(
            {"kode": ["12.01.01", "12.01.02"], "nama": [HOSTILE, MIXED]},
            geometry=[sq(0, 10_000), sq(10_000, 20_000)],
            crs=WORK_CRS,
        ),
        "desa": gpd.GeoDataFrame(
            {"kode": ["12.01.01.2001", "12.01.02.2001", "12.01.02.2002"], "nama": ["a", "b", "c"]},
            geometry=[sq(0, 10_000), sq(10_000, 15_000), sq(15_000, 20_000)],
            crs=WORK_CRS,
        ),
    }
    xs = [1_000, 2_000, 3_000, 4_000, 11_000, 12_000, 13_000, 16_000, 17_000]
    msme = gpd.GeoDataFrame(
        {
            "umkm_id": [f"U{i}" for i in range(9)],
            "sektor": [
                "jasa",
                "jasa",
                "perdagangan",
                "$\\frac{",
                *["perdagangan"] * 3,
                "jasa",
                "x",
            ],
            "row": [str(i + 2) for i in range(9)],
        },
        geometry=[Point(X0 + x, Y0 + 5_000) for x in xs],
        crs=WORK_CRS,
    )
    coverage = Raster(
        array=np.array([[1, 0]], dtype="uint8"),
        transform=Affine(10_000, 0, X0, 0, -10_000, Y0 + 10_000),
        crs=WORK_CRS,
        nodata=255,
    )
    towers = gpd.GeoDataFrame(
        {"site_id": ["T1"], "operator": ["Telkomsel"]},
        geometry=[Point(X0 + 2_500, Y0 + 5_000)],
        crs=WORK_CRS,
    )
    backbone = gpd.GeoDataFrame(
        {"jenis": ["pop", "line"], "nama": ["PoP", "L"]},
        geometry=[Point(X0, Y0), LineString([(X0, Y0), (X0 + 20_000, Y0 + 9_000)])],
        crs=WORK_CRS,
    )
    sources = (
        Source("boundaries", "hand-made test squares", "MIT", "2025", synthetic=False),
        Source("msme", "hand-made & <test>", "CC0", "2025", synthetic=synthetic),
        Source("towers", "hand-made", "CC BY-SA 4.0", "2024", synthetic=synthetic),
    )
    rejected = pd.DataFrame({"source": ["msme"], "row": ["11"], "reason": ["missing coordinate"]})
    return Layers(
        areas=areas,
        msme=msme,
        coverage=coverage,
        towers=towers,
        backbone=backbone,
        sources=sources,
        accounts=(RowAccount("msme", 10, 9, 1),),
        rejected=rejected,
    )


def toy_facts() -> PointFacts:
    """Placement and coverage of the nine toy MSMEs."""
    covered = np.array([1, 1, 0, 0, 0, 0, 0, 1, 0], dtype=bool)
    unknown = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1], dtype=bool)
    return PointFacts(
        area_index=np.array([0, 0, 0, 0, 1, 1, 1, 2, 2]),
        coverage=PointCoverage(covered=covered, unknown=unknown),
        accounts=(RowAccount("msme", 10, 9, 1),),
        rejected=pd.DataFrame({"source": ["towers"], "row": ["3"], "reason": ["outside"]}),
    )


def toy_ranked(*, stability: bool = True) -> pd.DataFrame:
    """The toy kecamatan, ranked by hand: 12.01.02 (4 of 5 uncovered) first."""
    out = pd.DataFrame(
        {
            "rank": [1, 2],
            "kode": ["12.01.02", "12.01.01"],
            "nama": [MIXED, HOSTILE],
            "msme_total": [5, 4],
            "msme_uncovered": [4, 2],
            "msme_uncovered_share": [0.8, 0.5],
            "msme_coverage_unknown": [1, 0],
            "tower_count": [0, 1],
            "speed_down_mbps": [np.nan, 12.5],
            "evidence_conflict": [False, True],
            "contrib_msme_uncovered": [0.7, 0.0],
            "contrib_msme_uncovered_share": [0.3, 0.0],
            "score": [1.0, 0.0],
        }
    )
    if stability:
        out.insert(0, "tier", [1, 3])
        out["rank_low"] = [1, 1]
        out["rank_high"] = [1, 2]
        out["top_n_share"] = [1.0, 0.25]
        out["reason"] = ["@SUM(A1) first", "-1 second"]
    return out


def toy_meta(**kw) -> ExportMeta:
    stability = {"top_n": 1, "draws": 200, "concentration": 20.0, "seed": 12}
    base = {
        "level": "kecamatan",
        "weights": {"msme_uncovered": 0.7, "msme_uncovered_share": 0.3},
        "stability": stability,
        "scenario_name": "=cmd| ' /C calc'!A0",
    }
    return ExportMeta(**{**base, **kw})


def _ranked():
    return pd.DataFrame(
        {
            "rank": [1, 2],
            "kode": ["12.01", "12.02"],
            "nama": ['=HYPERLINK("http://x")', "Nias & <b>Selatan</b> \U0001f30f"],
            "score": [0.875, -0.5],
            "msme_total": [1200, 3],
            "msme_uncovered": [600, 1],
            "msme_uncovered_share": [0.5, 1 / 3],
            "contrib_msme_uncovered": [0.875, -0.5],
        }
    )


@pytest.mark.catalogue("J1", "J3")
def test_csv_has_bom_and_reads_back():
    data = ranked_csv(_ranked(), synthetic=True)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert back.columns[:4].tolist() == ["rank", "kode", "nama", "score"]
    assert back["kode"].tolist() == ["12.01", "12.02"]
    assert back["nama"].tolist()[0] == '\'=HYPERLINK("http://x")'  # inert, but intact
    assert back["nama"].tolist()[1] == "Nias & <b>Selatan</b> \U0001f30f"
    assert back["score"].tolist() == [0.875, -0.5]  # numbers stay numbers, even negative
    assert (back["data_status"] == SYNTHETIC_LABEL).all()


def test_semicolon_decimal_comma_for_indonesian_excel():
    data = ranked_csv(_ranked(), synthetic=False, sep=";")
    text = data.decode("utf-8-sig")
    assert "0,875" in text
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",").rename(columns=bare_column)
    assert back["msme_uncovered_share"].tolist()[0] == pytest.approx(0.5)
    assert back["data_status"].str.contains("user data").all()


@pytest.mark.catalogue("F12", "J1")
@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "\n=1+1"])
def test_formula_starts_neutralised(cell):
    out = neutralise_formulas(pd.DataFrame({"nama": [cell], "n": [-1]}))
    assert out["nama"][0] == "'" + cell
    assert out["n"][0] == -1


def test_neutralise_keeps_missing_and_plain_cells():
    frame = pd.DataFrame(
        {"nama": ["=1", None, "ok"], "obj": pd.Series([1, "@x", None], dtype=object)}
    )
    out = neutralise_formulas(frame)
    assert out["nama"].tolist()[0] == "'=1"
    assert out["nama"].isna().tolist() == [False, True, False]
    assert out["obj"].tolist()[:2] == [1, "'@x"]
    empty = neutralise_formulas(frame.iloc[:0])
    assert list(empty.columns) == ["nama", "obj"]


def test_bad_separator():
    with pytest.raises(ValueError, match="sep"):
        ranked_csv(_ranked(), synthetic=True, sep="|")


def test_stability_columns_follow_the_standard_ones_when_present():
    ranked = toy_ranked().assign(need_class="100")
    cols = export_columns(ranked)
    assert cols[:4] == ["rank", "kode", "nama", "score"]
    start = cols.index("msme_coverage_unknown") + 1
    assert cols[start : start + len(STABILITY_COLUMNS)] == [*STABILITY_COLUMNS]
    assert STABILITY_COLUMNS[-1] == "need_class"  # added last: earlier columns keep their place
    assert cols[-2:] == ["contrib_msme_uncovered", "contrib_msme_uncovered_share"]
    assert "tier" not in export_columns(toy_ranked(stability=False))


def test_csv_with_stability_reads_back_and_reason_is_neutralised():
    back = pd.read_csv(
        io.BytesIO(ranked_csv(toy_ranked(), synthetic=True)), encoding="utf-8-sig"
    ).rename(columns=bare_column)
    assert back["tier"].tolist() == [1, 3]
    assert back["top_n_share"].tolist() == [1.0, 0.25]
    assert back["reason"].tolist() == ["'@SUM(A1) first", "'-1 second"]
    assert back["nama"].tolist() == [MIXED, "'" + HOSTILE]


def test_column_labels_in_both_languages():
    assert column_label("msme_uncovered", "id") == "UMKM tanpa sinyal 4G (UMKM)"
    assert column_label("msme_uncovered", "en") == "MSMEs without 4G (MSMEs)"
    assert column_label("contrib_msme_uncovered", "id") == "Kontribusi: UMKM tanpa sinyal 4G"
    assert column_label("tier", "en") == "Priority tier"
    assert column_label("not_a_column", "id") == "not_a_column"
    assert all(len(v) == 2 and all(v) for v in EXPORT_TEXT.values())


@pytest.mark.catalogue("J9")
def test_rejected_rows_and_accounts_join_reading_and_placement():
    layers, facts = toy_layers(), toy_facts()
    rows = rejected_rows(layers, facts.rejected)
    assert rows.to_dict("list") == {
        "source": ["msme", "towers"],
        "row": ["11", "3"],
        "reason": ["missing coordinate", "outside"],
    }
    later = RowAccount("towers", 5, 4, 1)
    assert [a.source for a in row_accounts(layers, (later,))] == ["towers", "msme"]


def test_meta_date_defaults_to_today():
    assert toy_meta().date == pd.Timestamp.today().date()


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\r\n"),
    min_size=1,
)


@pytest.mark.catalogue("J1")
@settings(deadline=None, max_examples=80)
@given(name=_TEXT, value=st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_any_name_reads_back_intact_or_quoted(name, value):
    frame = pd.DataFrame({"rank": [1], "kode": ["k"], "nama": [name], "score": [value]})
    back = pd.read_csv(
        io.BytesIO(ranked_csv(frame, synthetic=True)),
        encoding="utf-8-sig",
        dtype={"nama": str},
        keep_default_na=False,
    ).rename(columns=bare_column)
    risky = name.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert back["nama"][0] == ("'" + name if risky else name)
    assert back["score"][0] == pytest.approx(value, rel=1e-5, abs=1e-30)


def test_csv_headers_are_the_plain_stable_names() -> None:
    header = ranked_csv(_ranked(), synthetic=True).decode("utf-8-sig").split("\r\n")[0]
    assert header.split(",") == [
        "rank",
        "kode",
        "nama",
        "score",
        "msme_total",
        "msme_uncovered",
        "msme_uncovered_share",
        "contrib_msme_uncovered",
        "data_status",
    ]
    assert bare_column("msme_total [UMKM]") == "msme_total"  # reads 0.x unit headers


@settings(deadline=None, max_examples=60)
@given(
    values=st.lists(
        st.one_of(st.floats(allow_infinity=False), st.just(float("nan"))), min_size=1, max_size=8
    ),
    sep=st.sampled_from([",", ";"]),
)
def test_floats_are_written_as_six_significant_digits(values: list[float], sep: str) -> None:
    n = len(values)
    frame = pd.DataFrame(
        {"rank": range(1, n + 1), "kode": [f"k{i}" for i in range(n)], "nama": ["a"] * n}
    )
    frame["score"] = values
    text = ranked_csv(frame, synthetic=True, sep=sep).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    expected = ["" if np.isnan(v) else f"{v:.6g}" for v in values]
    if sep == ";":
        expected = [e.replace(".", ",") for e in expected]
    assert back["score"].tolist() == expected


@pytest.mark.parametrize("sep", [",", ";"])
def test_csv_floats_are_written_as_pandas_writes_them(sep):
    from infra_gap.outputs.export import csv_bytes

    values = [0.1, -0.0, 1e-7, 123456789.0, np.nan, np.inf, -np.inf, 2.5, -1234.5678]
    frame = pd.DataFrame(
        {
            "kode": [f"12.{i:02d}" for i in range(len(values))],
            "score": values,
            "share": np.array(values[::-1], dtype="float32"),
            "n": range(len(values)),
        }
    )
    decimal = "," if sep == ";" else "."
    expected = frame.to_csv(
        index=False, sep=sep, decimal=decimal, float_format="%.6g", lineterminator="\r\n"
    )
    assert csv_bytes(frame, sep=sep) == ("\ufeff" + expected).encode("utf-8")
    assert frame["score"].dtype == "float64"  # the caller's frame is left as it was
