"""`egkg draft` on a 5 MB page of mixed scripts, HTML and control bytes: no crash, a valid draft."""

from __future__ import annotations

import random

from kg_builder.draft import draft_article
from kg_builder.models import RecordFile
from kg_builder.paths import DATA_DIR

from .conftest import run_egkg


def test_five_megabytes_of_mixed_text(tmp_path):
    rng = random.Random(7)
    article = (DATA_DIR / "sources" / "004_dc520509730166cf.txt").read_text(encoding="utf-8")
    noise = "".join(rng.choice("abc XYZ 12/11/2024 Pj Bupati <div onclick=x> «» 東京 القاهرة ñ\u200b\n") for _ in range(4000))
    text = ((article + noise) * (5_000_000 // len(article + noise) + 1))[:5_000_000]
    path = tmp_path / "big.txt"
    path.write_bytes(text.encode("utf-8") + b"\xff\xfe\x00 trailing bytes that are not UTF-8")
    result = run_egkg("draft", path, timeout=600)
    assert result.returncode == 0, result.stderr[-500:]
    assert "Traceback" not in result.stderr
    import yaml

    RecordFile.model_validate(yaml.safe_load(result.stdout))
    draft = draft_article(text[:200_000], source_url=None, outlet=None, published=None, text_path="sources/big.txt")
    RecordFile.model_validate(draft)
