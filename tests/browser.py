"""Open a local HTML file in real headless Chromium and record what went wrong on it.

The browser is Debian's Chromium at /usr/bin/chromium (`scripts/ensure-chromium.sh` installs it),
driven by Playwright's Python package. Playwright's own browser download cannot work on these
machines, so it is never used: the browser is always launched with `executable_path`.

    with open_page(tmp_path / "graph.html", screenshot=tmp_path / "graph.png",
                   wait_for=VIS_READY) as page:
        assert page.problems() == []
        page.hover_vis_node("a")
        page.wait_for("document.querySelector('.vis-tooltip').style.visibility === 'visible'")

What is recorded (all from the moment the page starts loading until the `with` block ends):
console messages of type error, uncaught page errors, requests to anything but file:/data:/about:/
blob: URLs (recorded and then aborted, so a page never reaches another host and a test never
waits on one), failed requests of any kind, and alert/confirm/prompt/beforeunload dialogs (recorded
and dismissed at once, so a dialog never blocks the page).

Every step has a bounded timeout and a watchdog kills the browser if the whole visit outlives
`hard_timeout` (e.g. a page script in an endless loop); the browser is always closed.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = Path(os.environ.get("EGKG_CHROMIUM", "/usr/bin/chromium"))

# --headless is added by Playwright (headless=True); --user-data-dir is a fresh empty directory
# passed as launch_persistent_context's user_data_dir. Without the background-networking flags
# Chromium tries to reach Google services, which the closed network here refuses.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
]

# URL schemes that stay on this machine; a request to anything else is "external".
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

# A `wait_for` expression for pyvis pages: vis-network's global `network` exists and its physics
# simulation has settled (so node positions no longer move).
# The page's own flag comes last: it is set once labels are pushed apart, which moves nodes after the
# physics settles (a hover aimed before then can land on a line instead of the node).
VIS_READY = (
    "typeof network !== 'undefined' && network !== null && !!network.body"
    " && (!network.physics || !network.physics.options.enabled || network.physics.stabilized)"
    " && document.documentElement.dataset.ready === '1'"
)

def chromium_available() -> bool:
    """True if Debian's Chromium and the playwright package are both installed."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


# Mark browser tests with this: they FAIL when Chromium or playwright is missing, unless
# EGKG_SKIP_BROWSER=1 is set, and only then are they skipped.
needs_browser = pytest.mark.skipif(
    os.environ.get("EGKG_SKIP_BROWSER") == "1" and not chromium_available(),
    reason="EGKG_SKIP_BROWSER=1 and no Chromium/playwright (scripts/ensure-chromium.sh installs Chromium)",
)


def is_external(url: str) -> bool:
    return not url.startswith(LOCAL_SCHEMES)


@dataclass
class BrowserPage:
    """What one visit recorded, plus the live Playwright `page` while the `with` block runs."""

    page: Any  # playwright.sync_api.Page
    url: str
    timeout: float
    console_errors: list[str] = field(default_factory=list)
    console_messages: list[tuple[str, str]] = field(default_factory=list)  # (type, text), all types
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[tuple[str, str]] = field(default_factory=list)  # (url, error text)
    dialogs: list[tuple[str, str]] = field(default_factory=list)  # (type, message)

    def problems(self, *, allow_failed_local: bool = False) -> list[str]:
        """One line per recorded problem; an empty list means a clean page."""
        out = [f"console error: {m}" for m in self.console_errors]
        out += [f"page error: {m}" for m in self.page_errors]
        out += [f"external request: {u}" for u in self.external_requests]
        out += [f"dialog {t}: {m}" for t, m in self.dialogs]
        out += [
            f"failed request: {u} ({why})"
            for u, why in self.failed_requests
            if not (allow_failed_local or is_external(u))  # external ones are listed above
        ]
        return out

    def assert_clean(self, **kw: Any) -> None:
        found = self.problems(**kw)
        assert not found, f"{self.url}:\n  " + "\n  ".join(found)

    def evaluate(self, expression: str, arg: Any = None) -> Any:
        """`page.evaluate`: a JS expression, or a function source called with `arg`."""
        return self.page.evaluate(expression, arg)

    def wait_for(self, expression: str, timeout: float | None = None) -> None:
        """Wait until the JS `expression` is truthy; TimeoutError (with what was recorded) if not."""
        _wait_truthy(self, expression, self.timeout if timeout is None else timeout)

    def hover(self, x: float, y: float) -> None:
        """Move the real mouse to viewport position (x, y) (CSS pixels)."""
        self.page.mouse.move(x, y, steps=2)

    def hover_element(self, selector: str) -> None:
        """Move the real mouse over the element `selector` (Playwright selector, e.g. CSS)."""
        self.page.hover(selector, timeout=self.timeout * 1000)

    def vis_node_position(self, node_id: Any, network: str = "network") -> tuple[float, float]:
        """Viewport position of a vis-network node: canvasToDOM of its canvas position, shifted
        by the canvas element's own place on the page."""
        pos = self.page.evaluate(
            """([id, name]) => {
                const net = window[name] || eval(name);
                const p = net.getPositions([id])[id];
                if (!p) throw new Error('no vis node ' + JSON.stringify(id));
                const dom = net.canvasToDOM(p);
                const canvas = (net.canvas && net.canvas.frame && net.canvas.frame.canvas)
                    || net.body.container.querySelector('canvas');
                const box = canvas.getBoundingClientRect();
                return [box.left + dom.x, box.top + dom.y];
            }""",
            [node_id, network],
        )
        return float(pos[0]), float(pos[1])

    def hover_vis_node(self, node_id: Any, network: str = "network") -> tuple[float, float]:
        """Move the real mouse onto a vis-network node (fires vis's hover/tooltip handling).
        Wait for VIS_READY first, or the node may still be moving. Returns the position used."""
        x, y = self.vis_node_position(node_id, network)
        self.page.mouse.move(x + 40, y + 40)  # from off the node, so vis sees a fresh mousemove
        self.page.mouse.move(x, y, steps=4)
        return x, y

    def screenshot(self, path: Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), timeout=self.timeout * 1000)
        return path


def _wait_truthy(visit: BrowserPage, expression: str, timeout: float) -> None:
    # Poll with page.evaluate (CDP, exempt from the page's CSP): wait_for_function evals the
    # predicate inside the page, which a CSP without 'unsafe-eval' (ours) refuses.
    import time as _time

    deadline = _time.monotonic() + timeout
    while _time.monotonic() < deadline:
        if visit.page.evaluate(f"!!({expression})"):
            return
        visit.page.wait_for_timeout(100)
    found = "\n  ".join(visit.problems(allow_failed_local=True)) or "(nothing recorded)"
    raise TimeoutError(f"{visit.url}: `{expression}` not truthy after {timeout:g}s; recorded:\n  {found}")


def _kill_browser(profile: str) -> None:
    """SIGKILL every process started with this visit's own --user-data-dir (the watchdog)."""
    marker = f"--user-data-dir={profile}".encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker not in f.read():
                    continue
            # Playwright starts the browser as the leader of its own process group: kill the
            # group, so renderer and helper processes go with it (never our own group).
            group = os.getpgid(int(pid))
            if group == int(pid) and group != os.getpgrp():
                os.killpg(group, signal.SIGKILL)
            else:
                os.kill(int(pid), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass


@contextmanager
def open_page(
    path: Path,
    screenshot: Path | None = None,
    wait_for: str | None = None,
    *,
    timeout: float = 30,
    hard_timeout: float = 180,
    viewport: tuple[int, int] = (1280, 800),
    block_external: bool = True,
    network_idle: bool = True,
) -> Iterator[BrowserPage]:
    """Open file://`path` in headless Chromium and yield a BrowserPage recording its problems.

    After the load event: wait for network idle, then (if given) until the JS `wait_for` is truthy,
    each within `timeout` seconds; then save `screenshot` (PNG) if asked. The browser is killed if
    the whole visit, `with` body included, takes longer than `hard_timeout` seconds.
    """
    if not chromium_available():
        raise RuntimeError(
            f"no headless browser: need {CHROMIUM} (run scripts/ensure-chromium.sh as root) and "
            "the playwright package (pip install -e '.[test]'); EGKG_SKIP_BROWSER=1 skips browser tests"
        )
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    url = Path(path).resolve().as_uri()
    profile = tempfile.mkdtemp(prefix="egkg-chromium-")
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        _kill_browser(profile)

    watchdog = threading.Timer(hard_timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                headless=True,
                args=LAUNCH_ARGS,
                viewport={"width": viewport[0], "height": viewport[1]},
                timeout=timeout * 1000,
                service_workers="block",
            )
            try:
                context.set_default_timeout(timeout * 1000)
                context.set_default_navigation_timeout(timeout * 1000)
                page = context.pages[0] if context.pages else context.new_page()
                visit = BrowserPage(page=page, url=url, timeout=timeout)
                _record(visit, context, page, block_external)
                try:
                    page.goto(url, wait_until="load")
                    if network_idle:
                        page.wait_for_load_state("networkidle")
                    if wait_for:
                        _wait_truthy(visit, wait_for, timeout)
                    if screenshot is not None:
                        visit.screenshot(screenshot)
                    yield visit
                except PlaywrightError as err:
                    if fired.is_set():
                        raise TimeoutError(f"{url}: browser killed after {hard_timeout:g}s") from err
                    raise
            finally:
                try:
                    context.close()
                except PlaywrightError:
                    pass  # already gone (watchdog, crash)
    finally:
        watchdog.cancel()
        _kill_browser(profile)  # normally nothing left; never leave a stray Chromium behind
        shutil.rmtree(profile, ignore_errors=True)


def _record(visit: BrowserPage, context: Any, page: Any, block_external: bool) -> None:
    def on_console(msg: Any) -> None:
        visit.console_messages.append((msg.type, msg.text))
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc['url']}:{int(loc.get('lineNumber') or 0) + 1})" if loc.get("url") else ""
            visit.console_errors.append(msg.text + where)

    def on_page_error(err: Any) -> None:
        visit.page_errors.append(f"{err.name}: {err.message}" if getattr(err, "name", "") else str(err))

    def on_request(request: Any) -> None:
        if is_external(request.url):
            visit.external_requests.append(request.url)

    def on_request_failed(request: Any) -> None:
        visit.failed_requests.append((request.url, request.failure or ""))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append((dialog.type, dialog.message))
        try:
            dialog.dismiss()
        except Exception:  # noqa: BLE001 - page may already be closing; never block on a dialog
            pass

    def on_websocket(ws: Any) -> None:
        visit.external_requests.append(ws.url)

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("dialog", on_dialog)
    page.on("websocket", on_websocket)
    context.on("request", on_request)
    context.on("requestfailed", on_request_failed)
    if block_external:
        context.route(lambda u: is_external(u), lambda route: route.abort("blockedbyclient"))
