"""The map is coloured from the scores before the stability draws run (issue #20, item 5): a
weight change repaints the map without waiting for the draws; the draws' notes stay above the
filter and the table keeps the draws' columns."""

from __future__ import annotations

from infra_gap.errors import ScoringError
from infra_gap.text.i18n import t


def _scores(app) -> str:
    return "".join(e.proto.body for e in app.get("html") if "infraGapHeld" in e.proto.body)


def test_the_map_comes_before_the_draws_and_the_page_keeps_their_notes(at, monkeypatch):
    import infra_gap.app.ui.province as page

    # the draws' cost line stays above the drill-down boxes; the table has their ranges
    order = [e for e in at.main if getattr(e, "type", "") in ("caption", "selectbox")]
    cost = next(i for i, e in enumerate(order) if e.type == "caption" and "1.000" in e.value)
    drill = next(i for i, e in enumerate(order) if e.type == "selectbox" and "dd_" in e.key)
    assert cost < drill
    table = at.dataframe[0].value
    assert table[t("col_rank_range", "id")].notna().all()
    before = _scores(at)

    def draws_fail(*args, **kwargs):
        msg = "the draws failed here"
        raise ScoringError(msg)

    # a weight change colours the map from the scores alone, before the draws run
    monkeypatch.setattr(page, "scenario_run", draws_fail)
    at.slider(key="w_msme_uncovered_share").set_value(0.35).run()
    assert not at.exception, at.exception
    after = _scores(at)
    assert after
    assert after != before  # the new weights' colours
    assert len(at.get("component_instance")) == 1  # the map itself
    assert any("the draws failed here" in e.value for e in at.error)
    assert len(at.dataframe) == 0  # the table waits for the draws, and the page says why


def test_a_warm_level_visit_reuses_the_built_map_until_weights_or_tiles_change(at, monkeypatch):
    import infra_gap.app.ui.map_panel as panel

    panel.map_scores.clear()  # other tests of this process built maps of their own
    panel.outline_map.clear()
    at.run()
    built, drawn = [], []
    frame, draw = panel.map_frame, panel.priority_map
    monkeypatch.setattr(panel, "map_frame", lambda *a, **k: built.append(1) or frame(*a, **k))
    monkeypatch.setattr(panel, "priority_map", lambda *a, **k: drawn.append(1) or draw(*a, **k))
    first = _scores(at), at.get("component_instance")[0].proto.json_args
    at.selectbox(key="level_id").set_value("kabupaten").run()
    at.selectbox(key="level_id").set_value("kecamatan").run()
    assert not at.exception, at.exception
    again = _scores(at), at.get("component_instance")[0].proto.json_args
    assert again == first  # the same map and colours, built once
    assert len(built) == len(drawn) == 1  # the kabupaten map alone was new
    at.slider(key="w_msme_uncovered_share").set_value(0.35).run()
    assert len(built) == 2  # new weights: new colours
    assert len(drawn) == 1  # on the same map: its outlines are not built again
    assert at.get("component_instance")[0].proto.json_args == first[1]
    monkeypatch.setenv("INFRA_GAP_TILES", "https://tiles.kantor.example/{z}/{x}/{y}.png")
    at.run()
    assert len(drawn) == 2  # another tile server: another map
    assert "tiles.kantor.example" in at.get("component_instance")[0].proto.json_args


def test_the_colours_come_before_the_map(at):
    """The scores script is sent before the map (a weight change recolours the map the
    browser holds without waiting for the map's message, issue #20)."""
    kinds = [
        "scores" if e.type == "html" and "infraGapHeld" in e.proto.body else e.type
        for e in at.main
        if e.type in ("html", "component_instance")
    ]
    assert kinds.index("scores") < kinds.index("component_instance")
