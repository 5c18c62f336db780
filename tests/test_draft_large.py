"""`egkg draft` on large and hostile input: pages near the size limit, one endless line, FIFOs; no crash, no hang."""

from __future__ import annotations

import os
import random

import yaml

from kg_builder.draft import draft_article
from kg_builder.draft.reading import MAX_ARTICLE_BYTES
from kg_builder.load.models import RecordFile

from .conftest import DATA, run_egkg

ARTICLE = DATA / "sources" / "004_dc520509730166cf.txt"


def test_a_page_just_under_the_limit_of_mixed_text(tmp_path):
    rng = random.Random(7)
    article = ARTICLE.read_text(encoding="utf-8")
    noise = "".join(rng.choice("abc XYZ 12/11/2024 Pj Bupati <div onclick=x> «» 東京 القاهرة ñ\u200b\n") for _ in range(4000))
    data = ((article + noise) * (MAX_ARTICLE_BYTES // len(article + noise) + 1)).encode("utf-8")[:MAX_ARTICLE_BYTES]
    text = data.decode("utf-8", errors="ignore")  # the cut may split a character
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    result = run_egkg("draft", path, timeout=600)
    assert result.returncode == 0, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    RecordFile.model_validate(yaml.safe_load(result.stdout))
    draft = draft_article(text[:200_000], source_url=None, outlet=None, published=None, text_path="sources/big.txt")
    RecordFile.model_validate(draft)


def test_one_line_without_a_full_stop_stays_linear(tmp_path):
    """Every figure and date looked for its sentence by walking the whole line: quadratic on such a page.

    Measured before the fix: 8.8 s at 125 kB, 32.5 s at 250 kB (hours at this size); after: a few
    seconds. No timing is asserted, only a generous timeout that the quadratic code cannot meet.
    """
    lines = [line for path in sorted((DATA / "sources").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) >= 20]
    body = " ".join(lines)  # the articles' paragraphs, without page furniture
    one_line = body.replace(".", ",").replace("!", ",").replace("?", ",") + " "
    text = (one_line * (MAX_ARTICLE_BYTES // len(one_line.encode("utf-8"))))
    path = tmp_path / "one-line.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > MAX_ARTICLE_BYTES * 0.95
    result = run_egkg("draft", path, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    draft = yaml.safe_load(result.stdout)
    RecordFile.model_validate(draft)
    assert draft.get("observations"), "the page's figures were not drafted"


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "article.txt"
    os.mkfifo(fifo)
    result = run_egkg("draft", fifo, timeout=60)  # opening a FIFO blocks until someone writes: the timeout is the bug
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {fifo}: is a FIFO, not a file; give the article's text as a regular file"], result.stderr
