import io

import pandas as pd
import pytest

from infra_gap.export import SYNTHETIC_LABEL, neutralise_formulas, ranked_csv


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


def test_csv_has_bom_and_reads_back():
    data = ranked_csv(_ranked(), synthetic=True)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype={"kode": str})
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
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert back["msme_uncovered_share"].tolist()[0] == pytest.approx(0.5)
    assert back["data_status"].str.contains("user data").all()


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_neutralised(cell):
    out = neutralise_formulas(pd.DataFrame({"nama": [cell], "n": [-1]}))
    assert out["nama"][0] == "'" + cell
    assert out["n"][0] == -1


def test_bad_separator():
    with pytest.raises(ValueError, match="sep"):
        ranked_csv(_ranked(), synthetic=True, sep="|")
