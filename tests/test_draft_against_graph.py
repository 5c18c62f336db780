"""Drafting against the built graph (issue 17, item 4): known ids reused, new ones listed, collisions renamed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kg_builder.resolve import normalise

from .conftest import DATA, run_egkg

RECORDS = sorted((DATA / "records").glob("*.yaml"))


def _draft(article: Path, build: Path, tmp_path: Path) -> tuple[dict, str]:
    result = run_egkg("draft", article, "--data", DATA, "--build", build)
    assert result.returncode == 0, result.stderr[-2000:]
    return yaml.safe_load(result.stdout), result.stdout


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.lower()))


@pytest.mark.parametrize("record_path", RECORDS, ids=lambda p: p.name[:3])
def test_the_draft_of_a_curated_article_reuses_the_curated_ids(record_path: Path, good_build, tmp_path: Path) -> None:
    curated = yaml.safe_load(record_path.read_text(encoding="utf-8"))
    draft, printed = _draft(DATA / curated["source"]["text"], good_build.out_dir, tmp_path)
    orgs: dict[tuple, set[str]] = {}
    for o in curated.get("organizations", []):
        orgs.setdefault((o["type"], o.get("region")), set()).add(o["id"])
    posts = {(p["office"], p.get("region")): p["id"] for p in curated.get("posts", [])}
    persons = {normalise(p["name"]): p["id"] for p in curated.get("persons", [])}
    checked = 0
    for org in draft.get("organizations", []):
        if (org["type"], org.get("region")) in orgs and org["type"] != "AdHocBody":
            assert org["id"] in orgs[(org["type"], org.get("region"))], org
            checked += 1
    for post in draft.get("posts", []):
        if (post["office"], post.get("region")) in posts:
            assert post["id"] == posts[(post["office"], post.get("region"))], post
            checked += 1
    for person in draft.get("persons", []):
        assert persons.get(normalise(person["name"])) == person["id"], person  # every curated person is found
        checked += 1
    for place in draft.get("places", []):
        same = [p["id"] for p in curated.get("places", []) if _words(p["name"]) <= _words(place["name"])
                or _words(place["name"]) <= _words(p["name"])]
        assert place["id"] in same, place
        checked += 1
    assert checked >= 3
    assert not any(o["id"].endswith("-national") for o in draft.get("organizations", []))
    assert "# Drafted against the build" in printed and "reused (already known): person/" in printed


ARTICLE = """Warta Sleman
Rakor Desk Pilkada Sleman

SLEMAN – Rapat koordinasi Desk Pilkada Kabupaten Sleman digelar Senin (4/11/2024) di Aula Kantor Bupati Sleman.
Rapat dipimpin Bupati Bombana Edy Suharmanto bersama Ketua KPU Kabupaten Sleman Bahtra, serta unsur TNI dan Polri.
"""


def test_a_known_person_is_reused_and_a_namesake_with_another_post_is_renamed(good_build, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    draft, printed = _draft(article, good_build.out_dir, tmp_path)
    ids = {p["id"] for p in draft["persons"]}
    assert "edy-suharmanto" in ids  # same name and post (Bupati Bombana): the known person
    namesake = next(p for p in draft["persons"] if p["name"] == "Bahtra")
    assert namesake["id"] != "bahtra"  # person/bahtra is known with another post: never merged silently
    assert f"COLLISION, renamed (check it is not the known one): person/{namesake['id']}" in printed
    assert any(h["holder"] == f"person/{namesake['id']}" for h in draft["holdings"])
    assert {"polri", "tni"} <= {o["id"] for o in draft["organizations"]}
    assert "new: post/" in printed


def test_without_build_nothing_is_reconciled(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_egkg("draft", article, "--data", DATA)
    assert result.returncode == 0, result.stderr
    assert "polri-national" in result.stdout and "# Drafted against" not in result.stdout


def test_resolve_lists_exact_id_matches_of_a_draft_as_already_known(good_build, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    draft_file = tmp_path / "draft.yaml"
    draft_file.write_text(run_egkg("draft", article, "--data", DATA, "--build", good_build.out_dir).stdout, encoding="utf-8")
    result = run_egkg("resolve", "--draft", draft_file, "--data", DATA)
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("already known: ")]
    assert any("person/edy-suharmanto" in line for line in rows), result.stdout
    assert any("org/polri" in line for line in rows), result.stdout
