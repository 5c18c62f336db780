"""The query page `egkg serve` shows at `/`: the library's questions, no other host, answers by label (in Chromium)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from kg_builder.queries import load_library

from .browser import CHROMIUM, LAUNCH_ARGS, chromium_available, needs_browser

CAPTURES = os.environ.get("EGKG_CLI_CAPTURES")  # a directory: keep the page's screenshot there


def test_the_page_and_its_files_come_from_egkg_with_a_policy(endpoint):
    page = requests.get(f"{endpoint}/", timeout=10)
    assert page.status_code == 200 and "egkg" in page.text and "yasgui" not in page.text.lower()
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    library = requests.get(f"{endpoint}/ui/library.json", timeout=10).json()
    assert {q["name"] for q in library["questions"]} == set(load_library())
    assert library["prefixes"]["egkg"] == "https://w3id.org/egkg/ontology#"
    # Only the listed files are endpoint: a path naming another file of the package reaches nothing.
    for elsewhere in ("/ui/../serve.py", "/ui/vendor/codemirror/../../../serve.py", "/ui/nothing.js", "/ui/%2e%2e/serve.py"):
        assert requests.get(f"{endpoint}{elsewhere}", timeout=10).status_code == 404


@needs_browser
def test_the_page_lists_the_questions_and_shows_labels_without_other_hosts(endpoint, tmp_path):
    if not chromium_available():
        pytest.fail(f"no {CHROMIUM} or playwright; scripts/ensure-chromium.sh installs Chromium")
    from playwright.sync_api import sync_playwright

    elsewhere: list[str] = []
    problems: list[str] = []
    profile = tempfile.mkdtemp(prefix="egkg-chromium-")
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS,
                viewport={"width": 1280, "height": 900}, timeout=30_000,
            )
            try:
                page = context.pages[0] if context.pages else context.new_page()
                page.set_default_timeout(30_000)

                def record(request) -> None:
                    if not request.url.startswith(endpoint + "/") and not request.url.startswith("data:"):
                        elsewhere.append(request.url)

                page.on("request", record)
                page.on("pageerror", lambda error: problems.append(str(error)))
                page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
                page.goto(f"{endpoint}/", wait_until="networkidle")
                page.wait_for_function("document.body.dataset.ready === 'yes'")
                names = page.eval_on_selector_all("nav button[data-name]", "bs => bs.map(b => b.dataset.name)")
                assert sorted(names) == sorted(load_library())
                before = tmp_path / "query-page-loaded.png"
                page.screenshot(path=str(before), full_page=True)
                page.click("nav button[data-name='who-coordinated-with-whom']")
                assert "PREFIX egkg:" in page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
                page.click("#run")
                page.wait_for_selector("#results table td")
                headers = page.eval_on_selector_all("#results th", "cells => cells.map(c => c.textContent)")
                cells = page.eval_on_selector_all("#results td", "cells => cells.map(c => c.textContent)")
                after = tmp_path / "query-page-answer.png"
                page.screenshot(path=str(after), full_page=False)
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if CAPTURES:
        for shot in (before, after):
            shutil.copy(shot, Path(CAPTURES) / shot.name)
    assert not elsewhere, f"requests to other hosts: {elsewhere}"
    assert not problems, problems
    assert "aLabel" in headers and "a" not in headers  # the IRI column gives way to its label
    assert "Edy Suharmanto" in cells or "Andap Budhi Revianto" in cells
    assert not any("^^" in c or "http://www.w3.org/2001/XMLSchema#" in c for c in cells)
    assert not any(c.startswith("https://w3id.org/egkg/id/") for c in cells)


def test_ask_and_construct_are_answered_by_an_endpoint_too(endpoint, good_build):
    from .conftest import run_egkg

    endpoint = ["--endpoint", f"{endpoint}/query", "--build", good_build.out_dir]
    asked = run_egkg("sparql", "ASK { ?m a egkg:Meeting }", *endpoint)
    assert asked.returncode == 0 and asked.stdout == "yes\n", asked.stderr
    built = run_egkg("sparql", "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a egkg:Meeting ; rdfs:label ?l }",
                     "--format", "nt", *endpoint)
    assert built.returncode == 0 and built.stdout.count("rdf-schema#label") == 6, built.stderr
