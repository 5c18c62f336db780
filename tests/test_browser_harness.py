"""The headless-Chromium helper (tests/browser.py) itself, on small pages written to tmp_path.

These fail, not skip, when Chromium or playwright is missing, unless EGKG_SKIP_BROWSER=1.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .browser import needs_browser, open_page

pytestmark = needs_browser


def page(tmp_path: Path, body: str, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<!doctype html>\n<html><head><meta charset='utf-8'><title>t</title></head>"
                    f"<body>{body}</body></html>\n", encoding="utf-8")
    return path


def test_clean_page_records_nothing(tmp_path):
    with open_page(page(tmp_path, "<p id=p>hello</p><script>document.title = 'ok'</script>"),
                   wait_for="document.title === 'ok'") as visit:
        assert visit.problems() == []
        assert visit.console_errors == visit.page_errors == visit.external_requests == []
        assert visit.dialogs == []
        assert visit.evaluate("document.getElementById('p').textContent") == "hello"


def test_console_error_is_recorded(tmp_path):
    with open_page(page(tmp_path, '<script>console.error("x")</script>')) as visit:
        assert [m.split(" (")[0] for m in visit.console_errors] == ["x"]
        assert visit.page_errors == [] and visit.external_requests == []


def test_uncaught_exception_is_a_page_error(tmp_path):
    with open_page(page(tmp_path, "<script>null.f()</script>")) as visit:
        assert len(visit.page_errors) == 1 and "TypeError" in visit.page_errors[0]


def test_external_request_is_recorded_though_it_fails(tmp_path):
    with open_page(page(tmp_path, '<img src="http://example.invalid/x.png">')) as visit:
        assert visit.external_requests == ["http://example.invalid/x.png"]
        assert [u for u, _ in visit.failed_requests] == ["http://example.invalid/x.png"]
        assert any("external request" in p for p in visit.problems())


def test_alert_is_recorded_and_dismissed(tmp_path):
    with open_page(page(tmp_path, "<script>alert(1)</script><p id=after>after</p>")) as visit:
        assert visit.dialogs == [("alert", "1")]
        # the page went on loading once the alert was dismissed
        assert visit.evaluate("document.getElementById('after').textContent") == "after"


def test_onerror_handler_alert_is_recorded(tmp_path):
    with open_page(page(tmp_path, "<img src=x onerror=alert(2)>")) as visit:
        assert visit.dialogs == [("alert", "2")]
        assert visit.external_requests == []  # `x` is a missing local file, not another host


def test_confirm_is_dismissed(tmp_path):
    with open_page(page(tmp_path, "<script>window.answer = confirm('sure?')</script>")) as visit:
        assert visit.dialogs == [("confirm", "sure?")]
        assert visit.evaluate("window.answer") is False


def test_screenshot_is_a_png(tmp_path):
    shot = tmp_path / "shots" / "page.png"
    with open_page(page(tmp_path, "<h1>picture</h1>"), screenshot=shot) as visit:
        assert visit.problems() == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 1000


def test_hover_by_position_and_by_element(tmp_path):
    body = ("<div id=box style='position:absolute;left:100px;top:100px;width:50px;height:50px'"
            " onmouseover='window.hovers = (window.hovers || 0) + 1'"
            " onmouseout='window.left = true'></div>")
    with open_page(page(tmp_path, body)) as visit:
        visit.hover(125, 125)
        visit.wait_for("window.hovers === 1", timeout=5)
        visit.hover(10, 10)
        visit.wait_for("window.left === true", timeout=5)
        visit.hover_element("#box")
        visit.wait_for("window.hovers === 2", timeout=5)


def test_wait_for_is_bounded_and_reports_what_was_recorded(tmp_path):
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="(?s)never.*page error: Error: boom"):
        with open_page(page(tmp_path, "<script>throw new Error('boom')</script>"),
                       wait_for="window.never", timeout=2):
            pass
    assert time.monotonic() - start < 20


def test_a_hung_page_is_killed(tmp_path):
    start = time.monotonic()
    with pytest.raises(TimeoutError, match="killed"):
        with open_page(page(tmp_path, "<p>x</p>"), hard_timeout=4) as visit:
            visit.evaluate("() => { while (true) {} }")
    assert time.monotonic() - start < 30
