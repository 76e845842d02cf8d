"""One planner's session in the load benchmark (``bench/bench_load.py``): the steps, timed.

Each cycle, on a fresh page (a new Streamlit session):

1. ``load``: the page, until the ranked table is shown;
2. ``filter``: one kabupaten in "Beberapa kabupaten/kota" (the session's own), until the page
   says "Menampilkan N wilayah" with that kabupaten's N;
3. a seed of its own (untimed), so that the weight change below is a ranking the server has
   not cached yet;
4. ``weight``: the first sidebar slider to ``Home``/``End`` with the keyboard, until the
   table's text changes;
5. ``note``: the picked area's "listrik" checklist field, typed and saved to the workspace
   database (``s<session> c<cycle>``; checked in the database after the run);
6. ``download``: the CSV (a deferred download), checked: the kabupaten's kecamatan only;
7. ``upload``: the session's own boundaries, 50 MB register and towers into the "Data
   sendiri" boxes (each until its chip shows it uploaded: the boxes are one form, an
   upload runs no script) and "Muat data sendiri", until "Memakai data sendiri" (the
   hostile session, once: a corpus file instead, until its stable error code is shown);
8. ``own_download``: the CSV of the own data, checked: the uploaded kecamatan only.

"Done" is the script run finished and no new run started for 2 s (a page load runs the
script twice: the map component reports its first state), counted from the app's own
messages on its websocket (``new_session`` and ``script_finished``), with the app root's
``data-test-script-state`` attribute at "notRunning".
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf.message import DecodeError
from load_files import Hostile, OwnFiles
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
TABLE = "[data-testid='stDataFrame']"
GRID = f"{TABLE} [data-testid='data-grid-canvas']"
STEPS = ("load", "filter", "weight", "note", "download", "upload", "own_download")


@dataclass
class Settings:
    """Command-line switches the sessions read."""

    step_timeout_ms: int = 600_000
    verbose: bool = False
    upload: bool = True


@dataclass
class Results:
    """What the sessions measured (shared by all; asyncio runs them on one thread).

    ``times`` holds (step, cycle, session, seconds, started at ``time.monotonic()``).
    """

    times: list[tuple[str, int, int, float, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)  # area code -> last text saved
    hostile: list[tuple[str, float, float]] = field(default_factory=list)  # shown, start, end
    failed_downloads: int = 0  # failed clicks (a download is tried twice)
    lost_downloads: int = 0  # downloads that failed on both clicks
    reconnects: list[str] = field(default_factory=list)  # "s3 c1: 2": the app's websocket reopened

    def of(self, step: str, *, cycles: set[int] | None = None, skip: int = -1) -> list[float]:
        """Seconds of one step, in the given cycles, without session ``skip``."""
        return [
            s
            for name, c, n, s, _ in self.times
            if name == step and n != skip and (cycles is None or c in cycles)
        ]


def _poll_s(since: float) -> float:
    """Seconds between two looks at the page: 0.1 for the first 2 s of a wait, then 0.5.

    Each look is a round trip into a browser that shares the 2 cores with the server: 20
    sessions looking ten times a second through a 200 s upload are thousands of calls.  A
    step of minutes is then timed to within half a second, a fast one still to 0.1 s.
    """
    return 0.1 if time.monotonic() - since < 2 else 0.5


STATE = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState"""


class Session:
    """One browser context on the app: one planner at a desk."""

    def __init__(
        self, n: int, url: str, res: Results, folder: Path, own: OwnFiles, cfg: Settings
    ) -> None:
        self.n, self.url, self.res, self.folder, self.own, self.cfg = n, url, res, folder, own, cfg
        self.kab, self.n_kab = own.kab[n % len(own.kab)]  # each session its own kabupaten
        self.page = None
        self.context = None
        self.started = 0  # script runs begun on the page's stream (new_session messages)
        self.finished = 0  # and ended (script_finished, whatever its status)
        self.streams = 0  # the app's websockets opened: one per page load, more on reconnects
        self.console: list[str] = []  # the browser console's errors and warnings
        self.url_requests = 0  # upload addresses asked for (file_urls_request) on the stream
        self.url_answers = 0  # and received (file_urls_response)

    # --- plumbing ---------------------------------------------------------------------

    async def start(self, browser) -> None:
        self.context = await browser.new_context(
            viewport={"width": 2200, "height": 1000}, accept_downloads=True
        )
        self.page = await self.context.new_page()
        self.page.set_default_timeout(self.cfg.step_timeout_ms)

        async def only_local(route) -> None:
            if route.request.url.startswith(self.url):
                await route.continue_()
            else:
                self.res.blocked.append(route.request.url)
                await route.abort()

        self.page.on("websocket", self._watch)
        await self.page.route("**/*", only_local)
        self.page.on("pageerror", lambda e: self.res.errors.append(f"s{self.n}: pageerror {e}"))
        self.page.on("console", self._console)

    async def leave(self) -> None:
        """Close the app's page (a planner done for the day): its Streamlit session ends."""
        with contextlib.suppress(Exception):
            await self.page.goto("about:blank")

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()

    def _say(self, text: str) -> None:
        if self.cfg.verbose:
            print(f"  {time.strftime('%H:%M:%S')} s{self.n} {text}", flush=True)

    def _watch(self, ws) -> None:
        """Count the runs from the app's own messages on its websocket (a new page: from 0).

        The app root's ``data-test-script-state`` attribute is not a count: under load the
        browser may apply a run's "running" and "finished" messages in one render, and the
        attribute never shows that run (waits of 600 s for a run that had happened).
        """
        if "/_stcore/stream" not in ws.url:
            return
        self.started = self.finished = 0
        self.streams += 1
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._sent)
        ws.on("close", lambda _: self._say(f"stream closed ({self._counts()})"))

    def _console(self, message) -> None:
        """The browser console's errors and warnings (Streamlit logs a failed upload or a
        message the browser could not apply there, and shows nothing else)."""
        if message.type in ("error", "warning"):
            self.console.append(f"{time.strftime('%H:%M:%S')} {message.type}: {message.text[:300]}")

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        try:
            kind = ForwardMsg.FromString(payload).WhichOneof("type")
        except DecodeError:
            return
        if kind == "new_session":
            # A run begun means every earlier one ended: with fastReruns a rerun asked for
            # while a run is going (or its end not yet handled) stops that ScriptRunner and
            # starts a new one, and the app session ignores the old runner's later events,
            # so its script_finished never comes (a seed step waited 300 s on "runs
            # started 5, finished 4" with the page idle).
            self.finished = max(self.finished, self.started)
            self.started += 1
        elif kind == "script_finished":
            self.finished += 1
        elif kind == "file_urls_response":
            self.url_answers += 1

    def _sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        try:
            kind = BackMsg.FromString(payload).WhichOneof("type")
        except DecodeError:
            return
        if kind == "file_urls_request":
            self.url_requests += 1

    async def _runs(self) -> int:
        return self.finished

    async def _idle_after(self, n: int) -> None:
        """Wait until a script run after the n-th has finished and none is running."""
        t0 = time.monotonic()
        deadline = t0 + self.cfg.step_timeout_ms / 1000
        while not (
            self.finished > n
            and self.started == self.finished
            and await self.page.evaluate(STATE) == "notRunning"
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no run after run {n} ended ({self._counts()})")
            await asyncio.sleep(_poll_s(t0))

    def _counts(self) -> str:
        return (
            f"runs started {self.started}, finished {self.finished}; streams {self.streams}; "
            f"upload addresses asked {self.url_requests}, received {self.url_answers}"
        )

    async def _no_exception(self) -> None:
        """Raise at once when the app shows an exception (instead of waiting for a timeout)."""
        shown = self.page.locator("[data-testid='stException']")
        if await shown.count():
            text = (await shown.first.inner_text())[:200].replace("\n", " ")
            raise RuntimeError(f"the app shows an exception: {text}")

    async def _settle(self, n: int, quiet_ms: int = 2000) -> None:
        """Wait for a run after the n-th to finish, then until no run starts for `quiet_ms`."""
        while True:
            await self._idle_after(n)
            n = await self._runs()
            await self.page.wait_for_timeout(quiet_ms)
            await self._no_exception()
            if await self._runs() == n and await self.page.evaluate(STATE) == "notRunning":
                return
            n -= 1  # a run started meanwhile: wait for it (and any after it) to finish

    async def _grid_text(self) -> str:
        grid = self.page.locator(GRID).first
        return (await grid.text_content(timeout=self.cfg.step_timeout_ms)) or ""

    async def _until(self, what: str, check) -> None:
        t0 = time.monotonic()
        deadline = t0 + self.cfg.step_timeout_ms / 1000
        while not await check():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            await self._no_exception()
            await asyncio.sleep(_poll_s(t0))

    async def _shown_problems(self) -> list[str]:
        found = []
        for what in ("stException", "stAlertContentError"):
            for text in await self.page.locator(f"[data-testid='{what}']").all_inner_texts():
                found.append(f"{what}: {text[:200]}")
        return found

    async def _diagnose(self, label: str) -> str:
        """The app's script and connection state, and a screenshot in bench/out/."""
        try:
            out = ROOT / "bench" / "out"
            out.mkdir(parents=True, exist_ok=True)
            await self.page.screenshot(
                path=str(out / f"load-{label}.png"), full_page=True, timeout=30_000
            )
            last = "; ".join(self.console[-3:])
            return (
                str(
                    await self.page.evaluate(
                        """() => { const a = document.querySelector('[data-testid="stApp"]');
                    return `script ${a?.dataset.testScriptState} connection `
                      + `${a?.dataset.testConnectionState}`; }"""
                    )
                )
                + f" {self._counts()}; console: {last or 'nothing'}"
            )
        except Exception as err:  # the page may be gone: say so and carry on
            return f"no diagnosis: {type(err).__name__}"

    def _took(self, step: str, c: int, t0: float) -> None:
        self.res.times.append((step, c, self.n, time.monotonic() - t0, t0))

    # --- the cycle --------------------------------------------------------------------

    async def cycle(
        self,
        c: int,
        seed: int,
        hostile: Hostile | None = None,
        before_upload: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        """The steps of one cycle; every failure is recorded and ends the cycle.

        ``before_upload`` is awaited (untimed) before the upload step: the hostile session
        waits there until the others are in steady state.
        """
        page = self.page
        assert page is not None
        step = "load"
        opened = self.streams
        try:
            self._say(f"c{c} load")
            t0 = time.monotonic()
            await page.goto(self.url, wait_until="domcontentloaded")
            await self._idle_after(0)
            await page.locator(GRID).first.wait_for()
            self._took("load", c, t0)  # first run done, table shown
            await self._settle(0)
            step = "filter"
            await self._filter(c)
            step = "seed"
            await self._seed(seed)
            step = "weight"
            after = await self._weight(c)
            step = "note"
            await self._note(c)
            step = "download"
            rows = await self._download_csv(c, "download")
            if rows is not None:
                self._check_rows(c, rows, self.n_kab, self.kab)
                if rows and rows[0]["nama"] not in after:
                    self.res.errors.append(f"s{self.n} c{c}: CSV rank 1 not in the table")
            if self.cfg.upload:
                if before_upload is not None:
                    await before_upload()
                step = "upload"
                loaded = await self._upload(c, hostile)
                if loaded:
                    step = "own_download"
                    rows = await self._download_csv(c, "own_download")
                    if rows is not None:
                        self._check_rows(c, rows, None, "12.")
            problems = [p for p in await self._shown_problems() if hostile is None]
            self.res.errors.extend(f"s{self.n} c{c}: {p}" for p in problems)
        except Exception as err:  # a benchmark records every failure and carries on
            state = await self._diagnose(f"s{self.n}-c{c}-{step}")
            msg = f"s{self.n} c{c} {step}: {type(err).__name__}: {err}"[:300]
            self.res.errors.append(f"{msg} [{state}]")
        finally:  # a reconnect is a "Connecting" banner the planner saw, and may lose input
            if self.streams > opened + 1:
                self.res.reconnects.append(f"s{self.n} c{c}: {self.streams - opened - 1}")

    async def _filter(self, c: int) -> None:
        self._say(f"c{c} filter {self.kab}")
        page = self.page
        box = page.locator("[data-testid='stMultiSelect']").first
        t0 = time.monotonic()
        await box.locator("input").first.click()
        await page.keyboard.type(f"({self.kab})")
        option = page.get_by_role("option", name=f"({self.kab})").first
        await option.wait_for()
        runs = await self._runs()
        # A click, not Enter: under load the list may not have highlighted its first option
        # yet when Enter comes, and nothing is chosen (a session waited 25 min, 0 runs sent).
        await option.click()
        await page.keyboard.press("Escape")
        await page.get_by_text(f"Menampilkan {self.n_kab} wilayah").first.wait_for()
        self._took("filter", c, t0)
        await self._settle(runs)

    async def _seed(self, seed: int) -> None:
        page = self.page
        await page.get_by_text("Stabilitas peringkat", exact=True).first.click()
        box = page.locator(".st-key-seed input").first
        await box.fill(str(seed))
        runs = await self._runs()
        await box.press("Enter")
        await self._settle(runs)

    async def _weight(self, c: int) -> str:
        self._say(f"c{c} weight")
        page = self.page
        before = await self._grid_text()
        slider = page.locator("[data-testid='stSidebar'] input[type='range']").first
        await slider.focus()
        key = "End" if await slider.get_attribute("value") == "0" else "Home"
        label = await slider.get_attribute("aria-label")
        runs = await self._runs()
        t0 = time.monotonic()
        await page.keyboard.press(key)

        async def changed() -> bool:
            return (await self._grid_text()) != before

        await self._until("the ranked table did not change", changed)
        self._took("weight", c, t0)
        await self._settle(runs)
        # A weight set to 0 moves to the "other weights" expander: find it by its label.
        same = page.locator(f"[data-testid='stSidebar'] input[aria-label={json.dumps(label)}]")
        moved = await same.first.get_attribute("value")
        if moved != ("1" if key == "End" else "0"):
            self.res.errors.append(f"s{self.n} c{c}: slider at {moved} after {key}")
        return await self._grid_text()

    async def _note(self, c: int) -> None:
        """Type the picked area's "listrik" field; saved to the workspace database."""
        page = self.page
        picked = page.locator("[data-testid='stSelectbox']").filter(has_text="Pilih wilayah")
        name = await picked.first.locator("input[role='combobox']").input_value()
        code = name.rsplit("(", 1)[-1].rstrip(")")
        if not code.startswith(self.kab):
            self.res.errors.append(f"s{self.n} c{c}: picked {name!r} outside {self.kab}")
        self._say(f"c{c} note {code}")
        field = page.locator(f".st-key-ck_listrik_{code.replace('.', '-')} input").first
        text = f"s{self.n} c{c}"
        t0 = time.monotonic()
        await field.scroll_into_view_if_needed()
        await field.fill(text)
        await field.press("Enter")
        await self._until(
            "the typed note shown back in the checklist table", lambda: self._shown_back(text)
        )
        self._took("note", c, t0)
        shown = await field.input_value()
        if shown != text:
            self.res.errors.append(f"s{self.n} c{c}: note shows {shown!r}, typed {text!r}")
        self.res.notes[code] = text

    async def _shown_back(self, text: str) -> bool:
        """The script is idle and a table (the checklist's, read back from the workspace
        database after the save) holds ``text``.

        The run counter is not the signal here: the save reruns the checklist fragment alone,
        and under load the browser may apply its "running" and "finished" messages in one
        render, so the attribute never shows the run (a 600 s wait in a 4-session run).
        """
        if await self.page.evaluate(STATE) != "notRunning":
            return False
        return any(text in grid for grid in await self.page.locator(GRID).all_text_contents())

    async def _upload(self, c: int, hostile: Hostile | None) -> bool:
        """Own files into the boxes, "Muat data sendiri"; True when the data are in use."""
        page = self.page
        files = {
            "Batas wilayah": self.own.areas,
            "Daftar UMKM": self.own.register(self.folder, self.n, c),
            "Menara (OpenCelliD)": self.own.towers,
        }
        if hostile is not None:
            files[hostile.box] = hostile.path
        self._say(f"c{c} upload{' HOSTILE ' + hostile.name if hostile else ''}")
        t0 = time.monotonic()
        runs = await self._runs()
        await page.get_by_role("link", name="Data sendiri", exact=True).click()  # its page
        await self._settle(runs)
        boxes = page.locator("[data-testid='stMain'] [data-testid='stFileUploader']")
        for label, path in files.items():
            box = boxes.filter(has_text=label).first
            await box.locator("input[type='file']").set_input_files(str(path))
            await self._uploaded(box, path.name)
        runs = await self._runs()
        await page.get_by_role("button", name="Muat data sendiri").click()
        if hostile is not None:
            codes = [f"[{code}]" for code in hostile.expect if code != "ok"]
            shown = page.get_by_text(codes[0]) if len(codes) == 1 else page.locator(
                "[data-testid='stAlertContentError']"
            )  # fmt: skip
            await shown.first.wait_for()
            text = await shown.first.inner_text()
            self.res.hostile.append((text[:300], t0, time.monotonic()))
            if not any(code in text for code in codes):
                self.res.errors.append(f"s{self.n} c{c}: hostile upload shows {text[:200]!r}")
            await self._settle(runs)
            return False
        clicked = await self._runs()
        in_use = page.get_by_text("Memakai data sendiri").first
        alerts = page.locator("[data-testid='stAlertContentError']")

        async def loaded_or_refused() -> bool:
            shown = await alerts.all_inner_texts()  # no wait: an alert may go with a rerun
            if shown:
                raise RuntimeError(f"own data refused: {shown[0][:200]!r} ({self._counts()})")
            return await in_use.is_visible()

        await self._until(f"own data in use (runs at the click: {clicked})", loaded_or_refused)
        self._took("upload", c, t0)
        await self._settle(runs)
        return True

    async def _uploaded(self, box, name: str) -> None:
        """Wait until the box shows the file and its upload has finished (no spinner).

        The boxes are one form: an upload does not rerun the script, so there is no run to
        wait for; "Muat data sendiri" stays disabled while an upload in the form runs, but
        not while the box still waits for its upload address, so the bench waits for each
        file to be uploaded before the next (a planner sees the same chip).
        """
        chip = box.locator("[data-testid='stFileChip']").filter(has_text=name).first
        await chip.wait_for()

        async def done() -> bool:
            if await chip.locator("[data-testid='stFileChipIconError']").count():
                raise RuntimeError(f"the box shows an upload error for {name} ({self._counts()})")
            return not await chip.locator("[data-testid='stFileChipIconSpinner']").count()

        await self._until(f"{name} uploaded", done)

    async def _download_csv(self, c: int, step: str) -> list[dict[str, str]] | None:
        self._say(f"c{c} {step}")
        target = self.folder / f"s{self.n}-c{c}-{step}.csv"
        t0 = time.monotonic()
        for attempt in (1, 2):  # a failed download is an error; the second try tells more
            try:
                await self._download(target)
                break
            except Exception as err:
                self.res.failed_downloads += 1
                msg = f"s{self.n} c{c} {step} try {attempt}: {type(err).__name__}: {err}"
                self.res.errors.append(msg[:300])
        else:
            self.res.lost_downloads += 1
            return None
        self._took(step, c, t0)  # a retry included
        rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
        target.unlink()
        return rows

    def _check_rows(self, c: int, rows: list[dict[str, str]], n: int | None, prefix: str) -> None:
        """The CSV holds `n` rows (None: any number but none), all codes under `prefix`."""
        wrong = [r["kode"] for r in rows if not r["kode"].startswith(prefix)]
        if (n is not None and len(rows) != n) or not rows or wrong:
            self.res.errors.append(
                f"s{self.n} c{c}: CSV has {len(rows)} rows (expected {n}), "
                f"{len(wrong)} outside {prefix} {wrong[:3]}"
            )

    async def _download(self, target: Path) -> None:
        """Click "Unduh CSV" and save the file; raise with the button's own error if shown."""
        page = self.page
        button = page.locator(".st-key-download_csv button").first
        said = page.locator(".st-key-download_csv [data-testid='stDownloadButtonError']")
        # A download starts within a second or two even under load; 120 s is generous.
        waiter = asyncio.ensure_future(
            page.wait_for_event("download", timeout=min(self.cfg.step_timeout_ms, 120_000))
        )
        try:
            await button.click()
            while not waiter.done():
                if await said.count():  # shown for 5 s after a failed request
                    raise RuntimeError(f"the button says: {await said.first.inner_text()}")
                await asyncio.sleep(0.2)
            download = waiter.result()
        finally:
            if not waiter.done():
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await waiter
        await download.save_as(target)
