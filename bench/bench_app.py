"""How fast the app answers: rerun after a weight change, map payload per level, paint time.

1. Server side: the app's rerun after a weight change, timed with AppTest (warm caches; one
   compiled script shared by the runs, as on the server; plain AppTest also printed), against
   the same page built with no caches at all (load, place, index, score, draw) in this run.
2. Map payload (bytes of the map HTML) per level: the priority map alone, and with every
   evidence layer; the desa map of one kabupaten against the whole province.
3. In headless Debian Chromium (Playwright, 1366x768, all non-local requests blocked), for a
   cold server (a new process) and a warm one (a second visitor): time to the first text, to
   the page's content and to the first painted map; then the repaint after a weight change
   and after level changes (kabupaten, the province's 6,110 desa, kecamatan). The load
   average is printed beside them; screenshots go to ``.cache/bench_app/``. Below each figure,
   the websocket as the browser saw it: when it asked for the rerun, when the map message came
   (bytes of map sent, or a reference to a map the browser holds), when the script finished,
   and the bytes received in all. Each level is visited twice: first (caches filling), warm.

Run: ``.venv/bin/python bench/bench_app.py`` (a few minutes on two cores), or with
``--browser`` for part 3 alone.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import geopandas as gpd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra_gap.analysis.pipeline import indicator_table, place_and_cover  # noqa: E402
from infra_gap.config import GEO_CRS  # noqa: E402
from infra_gap.maps import folium_maps as maps  # noqa: E402
from infra_gap.maps import layers as map_layers  # noqa: E402
from infra_gap.maps.score_map import area_shapes  # noqa: E402
from infra_gap.outputs.views import (  # noqa: E402
    TOOLTIP_COLUMNS,
    indicator_tips,
    map_frame,
    tooltip_fields,
)
from infra_gap.ranking.scenario import Scenario, run_scenario  # noqa: E402
from infra_gap.synthetic.demo import load_demo  # noqa: E402
from infra_gap.text.i18n import t  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _display(areas: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    tolerance = 150.0 if level == "desa" else 50.0
    geometry = maps.display_geometry(areas, tolerance_m=tolerance)
    return gpd.GeoDataFrame(areas[["kode", "nama"]].copy(), geometry=geometry).to_crs(GEO_CRS)


def _priority_map(display: gpd.GeoDataFrame, ranked, lang: str = "id"):
    return maps.priority_choropleth(
        map_frame(display, ranked, lang),
        value_col="score",
        tooltip_fields=[(c, t(k, lang).format(n=10)) for c, k in TOOLTIP_COLUMNS],
        legend_title=t("legend_score", lang),
        layer_name=t("layer_priority", lang),
    )


def _app_map(display: gpd.GeoDataFrame, ranked, table, lang: str = "id"):
    """The map a user gets: every indicator in the tooltips, as the app builds it."""
    frame = map_frame(display, ranked, lang, tips=indicator_tips(table, lang))
    return maps.priority_choropleth(
        frame,
        value_col="score",
        tooltip_fields=tooltip_fields(frame, lang, top_n=10),
        legend_title=t("legend_score", lang),
        layer_name=t("layer_priority", lang),
        shapes=area_shapes(display[["kode", "geometry"]]),
    )


def cold_rebuild(level: str = "kecamatan") -> float:
    """The page's work with no cache: load, place and cover, indicators, score, draw."""
    t0 = time.perf_counter()
    layers = load_demo(ROOT / "data", ROOT / ".cache")
    facts = place_and_cover(layers, covered_min=1.0)
    ranked = run_scenario(indicator_table(layers, facts, level=level), Scenario(level=level)).ranked
    maps.map_html(_priority_map(_display(layers.areas[level], level), ranked))
    return time.perf_counter() - t0


def direct_rerun(level: str = "kecamatan", repeats: int = 5) -> float:
    """Median time of the library calls the app makes after a weight change (warm data):
    scoring with stability, the map frame, the choropleth and its HTML."""
    layers = load_demo(ROOT / "data", ROOT / ".cache")
    facts = place_and_cover(layers, covered_min=1.0)
    table = indicator_table(layers, facts, level=level)
    display = _display(layers.areas[level], level)
    times = []
    for i in range(repeats):
        weights = {"msme_uncovered": 0.7, "msme_uncovered_share": 0.2 + 0.1 * i}
        t0 = time.perf_counter()
        scenario = Scenario(level=level, preset="custom", weights=weights)
        ranked = run_scenario(table, scenario).ranked
        maps.map_html(_priority_map(display, ranked))
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def apptest_rerun(repeats: int = 7, *, server_cache: bool) -> tuple[float, float]:
    """Median AppTest rerun after a weight change (warm caches), and the first (cold) run.

    AppTest gives every run a new ``ScriptCache``, so it compiles the main script (and rewrites its
    AST for Streamlit's magic) on each rerun; the server keeps one cache per process and
    compiles the script once. With ``server_cache`` the runs share one cache, as on the
    server: that is the server's time to rebuild the page.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    originals = (app_test.ScriptCache, local_script_runner.ScriptCache)
    if server_cache:
        shared = ScriptCache()
        app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        at = AppTest.from_file(str(ROOT / "infra_gap" / "app" / "main.py"), default_timeout=600)
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        times = []
        for i in range(repeats):
            value = 0.2 + 0.1 * (i % 5)
            t0 = time.perf_counter()
            at.slider(key="w_msme_uncovered_share").set_value(value).run()
            times.append(time.perf_counter() - t0)
            assert not at.exception, at.exception
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = originals
    return statistics.median(times), first


def payloads() -> list[tuple[str, int]]:
    layers = load_demo(ROOT / "data", ROOT / ".cache")
    facts = place_and_cover(layers, covered_min=1.0)
    out = []
    for level in ("kabupaten", "kecamatan", "desa"):
        table = indicator_table(layers, facts, level=level)
        ranked = run_scenario(table, Scenario(level=level)).ranked
        display = _display(layers.areas[level], level)
        m = _priority_map(display, ranked)
        out.append((f"{level} (province)", len(maps.map_html(m).encode())))
        m = _app_map(display, ranked, table)
        out.append((f"{level} (province, app tooltips)", len(maps.map_html(m).encode())))
        if level == "desa":
            outlines = area_shapes(display[["kode", "geometry"]]).nbytes
            out.append(("desa (province) outlines alone", outlines))
            one = display[display["kode"].str.startswith("12.01.")]
            out.append(
                (
                    "desa (one kabupaten, 12.01)",
                    len(maps.map_html(_priority_map(one, ranked)).encode()),
                )
            )
        if level == "kecamatan":
            cells = map_layers.msme_cells(
                layers.msme["lon"].to_numpy(),
                layers.msme["lat"].to_numpy(),
                ~facts.coverage.covered,
            )
            m = _priority_map(display, ranked)
            map_layers.add_msme_density(
                m, None, None, None, cells=cells, name_all="a", name_uncovered="b"
            )
            out.append(("kecamatan + MSME heat maps", len(maps.map_html(m).encode())))
            map_layers.add_coverage(m, layers.coverage, covered_min=1.0, name="c")
            map_layers.add_speed_tiers(m, layers.speed_tiles, name="s", labels=["1", "2", "3", "4"])
            map_layers.add_towers(m, layers.towers, name="t")
            map_layers.add_backbone(m, layers.backbone, name="b", pop_label="p")
            out.append(("kecamatan + every evidence layer", len(maps.map_html(m).encode())))
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# The map in the page: a new map is an iframe whose window has `map` and no bench mark.
_MAP_STATE_JS = """() => {
  const frames = [...document.querySelectorAll("iframe[title*='streamlit_folium']")];
  return frames.map((f) => {
    const w = f.contentWindow;
    if (!w || !w.map) return {ready: false};
    // painted: outlines drawn and coloured (none still waiting for its scores)
    const areas = Object.values(w.map._layers).filter((l) => l.feature && l.feature.id);
    const waiting = areas.some((l) => l.options && l.options.fillColor === "#d9d9d9");
    return {ready: !waiting, old: !!w.__bench_old, areas: areas.length};
  });
}"""
_ZOOM_JS = """() => {
  const w = [...document.querySelectorAll("iframe[title*='streamlit_folium']")].pop();
  return w && w.contentWindow && w.contentWindow.map ? w.contentWindow.map.getZoom() : -1;
}"""
# Every area's fill colour and tooltip text in the newest map: it changes when a weight change
# has repainted the map, whether the map was drawn anew or recoloured in place.
_PAINT_JS = """() => {
  const f = [...document.querySelectorAll("iframe[title*='streamlit_folium']")].pop();
  const w = f && f.contentWindow;
  if (!w || !w.map) return {sig: "", old: false};
  const out = [];
  Object.values(w.map._layers).forEach((l) => {
    if (!l.feature || !l.feature.id || !l.options) return;
    const tip = l.getTooltip && l.getTooltip();
    out.push(l.feature.id + ":" + l.options.fillColor + ":" + (tip ? tip.getContent() : ""));
  });
  out.sort();
  return {sig: out.join("|"), old: !!w.__bench_old};
}"""
_MARK_JS = """() => document.querySelectorAll("iframe[title*='streamlit_folium']")
  .forEach((f) => { if (f.contentWindow) f.contentWindow.__bench_old = true; })"""


def _wait_new_map(page, t0: float, *, min_areas: int = 1, timeout: float = 300.0) -> float:
    """Seconds from `t0` until a map not marked old has painted `min_areas` areas."""
    while time.monotonic() - t0 < timeout:
        states = page.evaluate(_MAP_STATE_JS)
        if any(s["ready"] and not s["old"] and s["areas"] >= min_areas for s in states):
            return time.monotonic() - t0
        page.wait_for_timeout(50)
    return float("nan")


def _wait_repaint(page, t0: float, before: str, *, timeout: float = 300.0) -> tuple[float, bool]:
    """Seconds from `t0` until the newest map shows other colours or tooltips than `before`
    (none still waiting for its scores), and whether that map is a new one (re-mounted)."""
    while time.monotonic() - t0 < timeout:
        state = page.evaluate(_PAINT_JS)
        if state["sig"] and state["sig"] != before and "#d9d9d9" not in state["sig"]:
            return time.monotonic() - t0, not state["old"]
        page.wait_for_timeout(20)
    return float("nan"), False


class _Wire:
    """Every websocket frame the page receives or sends, with the time it was seen.

    Timestamps are taken when Playwright hands the frame over (while the bench polls, every
    20 ms), so they are late by up to a poll; sizes are exact.
    """

    def __init__(self) -> None:
        self.frames: list[tuple[float, str, bytes]] = []

    def attach(self, page) -> None:
        def on_ws(ws) -> None:
            ws.on("framereceived", lambda data: self._add("in", data))
            ws.on("framesent", lambda data: self._add("out", data))

        page.on("websocket", on_ws)

    def _add(self, way: str, data: bytes | str) -> None:
        raw = data.encode() if isinstance(data, str) else data
        self.frames.append((time.monotonic(), way, raw))

    def since(self, t0: float) -> dict[str, float]:
        """What the browser got after `t0`: when it asked for the rerun, when the map came
        (its delta, or a reference to a delta the browser already holds), the map's bytes,
        when the script finished, and the bytes received in all."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        out = {"ask": nan, "map_msg": nan, "map_bytes": 0.0, "map_ref": 0.0, "done": nan,
               "bytes_in": 0.0}  # fmt: skip
        maps: set[str] = set()  # hashes of the map's deltas (the browser caches large ones)
        for seen, way, raw in self.frames:
            after = seen >= t0
            if way == "out":
                if after and out["ask"] != out["ask"]:
                    out["ask"] = seen - t0
                continue
            msg = ForwardMsg.FromString(raw)
            kind = msg.WhichOneof("type")
            is_map = False
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                is_map = el.WhichOneof("type") == "component_instance" and (
                    "folium" in el.component_instance.component_name
                )
                if is_map:
                    maps.add(msg.hash)
            if not after:
                continue
            out["bytes_in"] += len(raw)
            if kind == "script_finished" and out["done"] != out["done"]:
                out["done"] = seen - t0
            if (is_map or (kind == "ref_hash" and msg.ref_hash in maps)) and (
                out["map_msg"] != out["map_msg"]
            ):
                out["map_msg"] = seen - t0  # the first map message after t0
            if kind == "ref_hash" and msg.ref_hash in maps:
                out["map_ref"] += 1
            if is_map:
                out["map_bytes"] += len(raw)
        return out


nan = float("nan")


def _map_shot(page, path: Path) -> None:
    """A screenshot with the map in view (it sits below the fold at 1366x768)."""
    page.locator("iframe[title*='streamlit_folium']").last.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))


def _start_server(port: int, db: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "infra_gap" / "app" / "main.py"), "--server.headless",
           "true", "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false"]  # fmt: skip
    env = {**os.environ, "INFRA_GAP_DB": f"sqlite:///{db}"}
    env.pop("INFRA_GAP_TILES", None)
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)  # fmt: skip


def browser_times(shots: Path) -> dict[str, float]:
    """A cold server (a new process: empty in-memory caches, the demo's files on disk, as
    after ``make run``) and a warm one (a second visitor) in headless Debian Chromium at
    1366x768, every non-local request blocked; then a weight change and level changes.

    Times from the request: first text (the title the boot placeholder sends before the
    imports), the page's content (the synthetic-demo banner) and the first painted map.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    shots.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    out: dict[str, float] = {}
    blocked: list[str] = []
    t_start = time.monotonic()
    proc = _start_server(port, shots / "workspaces.sqlite")
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        out["server_up"] = time.monotonic() - t_start

        def only_local(route):
            if route.request.url.startswith(url):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            for visit in ("cold", "warm"):
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                page.route("**/*", only_local)
                wire = _Wire()
                wire.attach(page)
                t0 = time.monotonic()
                page.goto(url, wait_until="commit")
                page.get_by_text("infra-gap").first.wait_for(timeout=600_000)
                out[f"{visit}_text"] = time.monotonic() - t0
                if visit == "cold":
                    page.screenshot(path=str(shots / "cold-first-text.png"))
                page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=600_000)
                out[f"{visit}_content"] = time.monotonic() - t0
                out[f"{visit}_map"] = _wait_new_map(page, t0, timeout=600)
                page.wait_for_timeout(800)
                _map_shot(page, shots / f"{visit}-map.png")
                if visit == "cold":
                    page.close()
            page.wait_for_timeout(1500)  # the map's first report (a fragment rerun) settles

            def idle() -> None:
                page.wait_for_timeout(300)
                page.locator("[data-testid='stStatusWidget']").wait_for(
                    state="detached", timeout=300_000
                )

            idle()
            # the planner zooms in twice; the repaint after a weight change keeps that zoom
            zoom_in = page.frame_locator("iframe[title*='streamlit_folium']").last.locator(
                ".leaflet-control-zoom-in"
            )
            for _ in range(2):
                zoom_in.click()
                page.wait_for_timeout(800)
            page.wait_for_timeout(1000)  # the view's report (a fragment rerun) settles
            idle()
            out["zoom_before"] = float(page.evaluate(_ZOOM_JS))
            page.evaluate(_MARK_JS)
            before = page.evaluate(_PAINT_JS)["sig"]
            thumb = page.locator("[data-testid='stSidebar'] input[type='range']").first
            thumb.focus()
            t0 = time.monotonic()
            thumb.press("ArrowLeft")
            out["weight_map"], remounted = _wait_repaint(page, t0, before)
            out["weight_remounted"] = float(remounted)
            idle()
            _wire_out(out, "weight", wire.since(t0))
            page.wait_for_timeout(500)
            out["zoom_after"] = float(page.evaluate(_ZOOM_JS))
            _map_shot(page, shots / "weight-changed.png")
            # again, the view unchanged since the last full run (the first change after a
            # zoom sends the map's new view, and with it the map, once)
            page.wait_for_timeout(1000)
            idle()
            before = page.evaluate(_PAINT_JS)["sig"]
            thumb.focus()
            t0 = time.monotonic()
            thumb.press("ArrowLeft")
            out["weight2_map"], _ = _wait_repaint(page, t0, before)
            idle()
            _wire_out(out, "weight2", wire.since(t0))
            _map_shot(page, shots / "weight-changed-again.png")
            # five more, each after the page is idle: the median and the best
            more = []
            for i in range(5):
                page.wait_for_timeout(1000)
                idle()
                before = page.evaluate(_PAINT_JS)["sig"]
                thumb.focus()
                t0 = time.monotonic()
                thumb.press("ArrowRight" if i % 2 else "ArrowLeft")
                more.append(_wait_repaint(page, t0, before)[0])
                idle()
            out["weight_median"] = statistics.median(more)
            out["weight_best"] = min(more)
            box = page.locator("[data-testid='stSelectbox']").filter(has_text="Tingkat wilayah")
            # each level twice: the first visit fills the level's caches, the second is warm
            for option, key, n in (("Kabupaten/kota", "level_kab", 33),
                                   ("Desa/kelurahan", "level_desa", 6110),
                                   ("Kecamatan", "level_kec", 455),
                                   ("Kabupaten/kota", "warm_kab", 33),
                                   ("Desa/kelurahan", "warm_desa", 6110),
                                   ("Kecamatan", "warm_kec", 455)):  # fmt: skip
                page.evaluate(_MARK_JS)
                choice = page.get_by_role("option", name=option).first
                for _ in range(5):  # a rerun that ends may close the list just opened
                    box.first.click()
                    try:
                        choice.wait_for(timeout=5_000)
                        break
                    except PlaywrightTimeout:
                        page.keyboard.press("Escape")
                        idle()
                t0 = time.monotonic()
                choice.click()
                out[key] = _wait_new_map(page, t0, min_areas=n)
                idle()
                _wire_out(out, key, wire.since(t0))
                page.wait_for_timeout(500)
                _map_shot(page, shots / f"{key}.png")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out["blocked"] = float(len(blocked))
    return out


def _wire_out(out: dict[str, float], name: str, wire: dict[str, float]) -> None:
    for k, v in wire.items():
        out[f"{name}_{k}"] = v


def _wire_line(times: dict[str, float], name: str) -> str:
    """Where a change's time went, as the browser's websocket saw it."""
    g = {k: times[f"{name}_{k}"] for k in ("ask", "map_msg", "map_bytes", "map_ref", "done",
                                            "bytes_in")}  # fmt: skip
    how = f"{g['map_bytes'] / 1e3:,.0f} kB of map, {g['map_ref']:.0f} reference(s) to a map held"
    return (f"      asked {g['ask']:.2f} s, map message {g['map_msg']:.2f} s ({how}), script "
            f"done {g['done']:.2f} s, {g['bytes_in'] / 1e3:,.0f} kB received in all")  # fmt: skip


def print_browser(times: dict[str, float]) -> None:
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"3. headless Debian Chromium 1366x768, non-local requests blocked (load {load})")
    print(f"   server process up (health answers)          {times['server_up']:7.2f} s")
    for visit in ("cold", "warm"):
        print(f"   {visit} server: first text {times[f'{visit}_text']:6.2f} s, page content "
              f"{times[f'{visit}_content']:6.2f} s, first painted map "
              f"{times[f'{visit}_map']:6.2f} s")  # fmt: skip
    how = "map drawn anew" if times["weight_remounted"] else "recoloured in place"
    print(f"   weight change -> map repainted              {times['weight_map']:7.2f} s"
          f"  ({how}; zoom {times['zoom_before']:g} before, {times['zoom_after']:g} after)")  # fmt: skip
    print(_wire_line(times, "weight"))
    print(f"   weight change again, view unchanged         {times['weight2_map']:7.2f} s")
    print(_wire_line(times, "weight2"))
    print(f"   five more weight changes: median {times['weight_median']:.2f} s, best "
          f"{times['weight_best']:.2f} s")  # fmt: skip
    for visit, prefix in (("first visit", "level"), ("warm, again", "warm")):
        for name, what in (("kab", "kabupaten (33 painted)      "),
                           ("desa", "desa, whole province (6,110)"),
                           ("kec", "kecamatan (455)             ")):  # fmt: skip
            key = f"{prefix}_{name}"
            print(f"   level -> {what} {visit:11s} {times[key]:6.2f} s")
            print(_wire_line(times, key))
    print(f"   requests blocked (non-local)                {int(times['blocked']):7d}")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"   load average at the end: {load}")


def main() -> None:
    shots = ROOT / ".cache" / "bench_app"
    if "--browser" in sys.argv[1:]:  # only part 3 (about two minutes)
        print_browser(browser_times(shots))
        print(f"   screenshots in {shots}")
        return
    cold = cold_rebuild()
    warm, first = apptest_rerun(server_cache=True)
    plain, _ = apptest_rerun(server_cache=False)
    direct = direct_rerun()
    print(f"1. server side, kecamatan, weight change (load {os.getloadavg()[0]:.1f})")
    print(f"   baseline: full rebuild without caches        {cold:7.2f} s")
    print(f"   AppTest first run (caches filling)           {first:7.2f} s")
    print(f"   rerun after a weight change (median of 7)    {warm:7.2f} s"
          f"  = {warm / cold:.3f} x baseline, target 0.2 s")  # fmt: skip
    print(f"   the same in plain AppTest (script compiled   {plain:7.2f} s"
          "  per run, which the server does not)")  # fmt: skip
    print(f"   library calls of that rerun (score+map HTML) {direct:7.2f} s"
          f"  = {direct / cold:.2f} x baseline")  # fmt: skip
    print("2. map payload (bytes of HTML)")
    sizes = payloads()
    base = dict(sizes)["kecamatan (province)"]
    for name, size in sizes:
        print(f"   {name:36s} {size:>10,d}  = {size / base:5.2f} x kecamatan")
    print_browser(browser_times(shots))
    print(f"   screenshots in {shots}")


if __name__ == "__main__":
    main()
