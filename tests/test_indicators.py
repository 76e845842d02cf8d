import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.indicators import INDICATORS, area_indicators, desa_counts
from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError


def _kec():
    return gpd.GeoDataFrame(
        {"kode": ["12.01.01", "12.01.02", "12.01.03"], "nama": ["K1", "K2", "K3 (empty)"]},
        geometry=[box(0, 0, 1, 1)] * 3,
        crs=WORK_CRS,
    )


def test_counts_and_rollup_by_hand(squares):
    # 5 points: A gets 2 (1 covered), B gets 2 (0 covered, 1 unknown), one unplaced
    idx = np.array([0, 0, 1, 1, -1])
    cov = PointCoverage(
        covered=np.array([True, False, False, False, False]),
        unknown=np.array([False, False, True, False, True]),
    )
    online = np.array([True, False, False, False, True])
    counts = desa_counts(idx, cov, 3, online=online)
    assert counts["msme_total"].tolist() == [2, 2, 0]
    assert counts["msme_uncovered"].tolist() == [1, 2, 0]
    assert counts["msme_coverage_unknown"].tolist() == [0, 1, 0]
    assert counts["msme_online"].tolist() == [1, 0, 0]

    desa = area_indicators(squares, counts, squares, level="desa")
    assert desa["msme_uncovered_share"].iloc[:2].tolist() == [0.5, 1.0]
    assert np.isnan(desa["msme_uncovered_share"].iloc[2])  # empty area: ratio missing, not 0

    kec = area_indicators(squares, counts, _kec(), level="kecamatan")
    assert kec["msme_total"].tolist() == [4, 0, 0]
    assert kec["msme_uncovered"].tolist() == [3, 0, 0]
    assert kec["msme_uncovered_share"].iloc[0] == pytest.approx(0.75)
    assert kec["msme_online_share"].iloc[0] == pytest.approx(0.25)
    assert kec["msme_uncovered_share"].iloc[1:].isna().all()


def test_orphan_desa_is_an_error_not_a_silent_loss(squares):
    counts = pd.DataFrame(
        {"msme_total": [1, 0, 3], "msme_uncovered": [0, 0, 0], "msme_coverage_unknown": [0, 0, 0]}
    )
    kec = _kec().iloc[:1]  # 12.01.02 missing, and it holds 3 MSMEs
    with pytest.raises(DataError, match=r"not among the 1 kecamatan areas: \['12.01.02'\]"):
        area_indicators(squares, counts, kec, level="kecamatan")


def test_unknown_level(squares):
    counts = desa_counts(np.array([0]), PointCoverage(np.array([True]), np.array([False])), 3)
    with pytest.raises(DataError, match="`level` must be one of"):
        area_indicators(squares, counts, squares, level="province")


def test_registry_is_complete():
    for name, ind in INDICATORS.items():
        assert name == ind.name
        assert name.islower()
        assert " " not in name
        assert ind.unit
        assert ind.label_id
        assert ind.label_en
        assert ind.definition_id
        assert ind.definition_en
        assert ind.source
