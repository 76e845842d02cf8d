"""One kernel per indicator: the province pipeline and the partition kernels agree.

Both engines compute the per-MSME and per-area facts with :mod:`infra_gap.analysis.kernels`;
these tests check the kernels on hand-made arrays and check, on an office's own files
(``tests/office_workload.py``: BIG-style columns, UTM, a ``;`` decimal-comma register, two
kabupaten partitions with overlapping areas, towers and speed tiles), that each
partition's own rows carry, column by column, the values of the pipeline's table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import minimum_spanning_tree

from infra_gap.analysis import pipeline
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.kernels import (
    TOWER_AREA_COLUMNS,
    Groups,
    msme_tower_km,
    operator_class,
    tower_area_facts,
)
from infra_gap.config import EvidenceParams
from infra_gap.national.build import build_workload
from infra_gap.national.partitions import facts_meta, partition_facts, read_partition
from infra_gap.synthetic.model import spanning_tree
from tests.office_workload import OfficeWorkload, build


def test_groups_and_tower_facts_on_hand_made_areas() -> None:
    # Desa 12.01.01.2001/2002 in kecamatan 12.01.01, desa 12.01.02.2001 in 12.01.02.
    finest = pd.Series(["12.01.01.2001", "12.01.01.2002", "12.01.02.2001"])
    groups = Groups.at(finest, "kecamatan")
    assert groups.names.tolist() == ["12.01.01", "12.01.02"]
    assert groups.of_points(np.array([2, -1, 0])).tolist() == [1, -1, 0]
    codes = pd.Series(["12.01.01", "12.01.02", "12.01.03"])
    facts = tower_area_facts(
        codes,
        groups,
        area_index=np.array([0, 1, 2, -1]),
        tower_km=np.array([1.0, 3.0, 5.0, 99.0]),  # the unplaced MSME counts nowhere
        tower_operator=np.array(["A", "A", "B", "C"]),
        tower_index=np.array([0, 1, 1, -1]),  # C stands outside every area
        reached=np.array([[True, False], [True, True], [False, False], [True, True]]),
    )
    assert list(facts.columns) == list(TOWER_AREA_COLUMNS)
    assert facts["operator_count"].tolist() == [2, 0, 0]
    assert facts["msme_tower_km"].iloc[:2].tolist() == [2.0, 5.0]
    assert np.isnan(facts["msme_tower_km"].iloc[2])
    assert facts["operators_reaching"].tolist() == [2, 0, 0]
    assert operator_class(facts["operator_count"]).tolist() == ["several", "none", "none"]
    assert operator_class(np.array([1])).tolist() == ["single"]


def test_tower_km_is_nan_without_coordinates_or_towers() -> None:
    x, y = np.array([0.0, np.nan, 3000.0]), np.array([0.0, 0.0, 4000.0])
    km = msme_tower_km(x, y, np.array([0.0]), np.array([0.0]))
    assert km[0] == 0.0
    assert np.isnan(km[1])
    assert km[2] == pytest.approx(5.0)
    assert np.isnan(msme_tower_km(x, y, np.empty(0), np.empty(0))).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=40))
def test_spanning_tree_is_a_minimum_spanning_tree(points: list[tuple[int, int]]) -> None:
    xy = np.unique(np.array(points, dtype="float64"), axis=0)
    edges = spanning_tree(xy)
    assert len(edges) == len(xy) - 1
    assert {j for _, j in edges} == set(range(1, len(xy)))  # each point joins once
    length = sum(float(np.hypot(*(xy[i] - xy[j]))) for i, j in edges)
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    assert length == pytest.approx(float(minimum_spanning_tree(d).sum()))


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> OfficeWorkload:
    return build(tmp_path_factory.mktemp("office"))


@pytest.mark.parametrize("level", ["kecamatan", "desa"])
def test_each_partition_carries_the_pipeline_values(
    office: OfficeWorkload, tmp_path: Path, level: str
) -> None:
    paths = InputPaths(
        areas=office.kec if level == "kecamatan" else office.desa, msme=office.msme,
        level=level, coverage=office.coverage, towers=office.towers,
        speed_tiles=office.tiles, backbone=office.backbone,
        name_col="NMKEC" if level == "kecamatan" else "NAMOBJ",
    )  # fmt: skip
    wl = build_workload(paths, tmp_path / "wl", by="kabupaten").workload
    layers = load_layers(paths).layers
    facts = pipeline.place_and_cover(layers, covered_min=1.0)
    local = pipeline.indicator_table(layers, facts, level=level).set_index("kode")
    frames = []
    for code in wl.parts:  # each partition's kernel, as either engine runs it
        desa = read_partition(code, root=wl.root, crs=wl.crs, level=wl.finest)
        params = EvidenceParams()
        frames.append(partition_facts(desa, wl=wl, covered_min=1.0, levels=(level,), params=params))
    rows = pd.concat(frames, ignore_index=True)
    own = rows[rows["level"] == "desa"].set_index("kode")  # the finest areas' own rows
    assert sorted(own.index) == sorted(local.index)
    # Every figure a partition returns is one of the pipeline's columns (the "_" sums are
    # the parts of its mean speeds), so no indicator exists on one engine only.
    public = [c for c in facts_meta(wl).columns if c not in ("kode", "level") and c[0] != "_"]
    assert [c for c in public if c not in local.columns] == []
    assert {*TOWER_AREA_COLUMNS, "msme_no_operator", "msme_below_4g_speed"} <= set(public)
    assert local["operator_count"].gt(0).any()
    assert local["msme_tower_km"].notna().any()
    for column in public:
        pd.testing.assert_series_equal(
            own[column].reindex(local.index), local[column], check_dtype=False, obj=column
        )
