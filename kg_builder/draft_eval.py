"""Score the drafting assistant against the curated records: precision and recall per fact type."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .draft import draft_article
from .load.evidence import normalise

__all__ = ["evaluate_all", "facts", "format_table"]

FACT_TYPES = ["persons", "institutions", "meeting dates", "venues", "regulations", "figures"]


def _name(text: str) -> str:
    """Lenient on names: case, punctuation and spacing do not matter."""
    return re.sub(r"[^a-z0-9]+", " ", normalise(text).lower()).strip()


def _value(value: Any) -> Decimal | None:
    """A figure's value compared as a number: 74 == 74.0 == "74"."""
    if value is None:
        return None
    try:
        return Decimal(str(value)).normalize()
    except InvalidOperation:
        return None


def facts(record: dict[str, Any]) -> dict[str, set[tuple]]:
    """The comparable facts of one record file (curated or drafted)."""
    holdings: dict[str, list[tuple[str, str]]] = {}
    posts = {f"post/{p['id']}": p["office"] for p in record.get("posts", [])}
    for h in record.get("holdings", []):
        holdings.setdefault(h["holder"], []).append((posts.get(h["post"], "?"), h["kind"]))
    persons = set()
    for p in record.get("persons", []):
        for office, kind in holdings.get(f"person/{p['id']}", [(None, None)]):
            persons.add((_name(p["name"]), office, kind))
    institutions = {(o["type"], o.get("region")) for o in record.get("organizations", []) if o["type"] != "MediaOutlet"}
    dates = {(str(m["start"]), str(m.get("end") or "")) for m in record.get("meetings", [])}
    venues = {_name(p["name"]) for p in record.get("places", [])}
    regulations = {(r["type"], str(r.get("number") or ""), int(r["year"])) for r in record.get("regulations", [])}
    figures = {(o["indicator"], _value(o.get("value")), _name(o.get("value_text") or "")) for o in record.get("observations", [])}
    return {"persons": persons, "institutions": institutions, "meeting dates": dates, "venues": venues,
            "regulations": regulations, "figures": figures}


def _venue_match(a: str, b: str) -> bool:
    """Venue names match when one's words contain the other's ("Hotel Novotel" ~ "Hotel Novotel Balikpapan")."""
    wa, wb = set(a.split()), set(b.split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def _count(kind: str, gold: set, drafted: set) -> tuple[int, int, int]:
    if kind != "venues":
        return len(gold & drafted), len(drafted - gold), len(gold - drafted)
    tp = sum(1 for g in gold if any(_venue_match(g, d) for d in drafted))
    fp = sum(1 for d in drafted if not any(_venue_match(g, d) for g in gold))
    return tp, fp, len(gold) - tp


def evaluate_all(data_dir: Path) -> list[dict[str, Any]]:
    """Draft every curated article under `data_dir` and score the drafts, one row per fact type."""
    totals = {k: [0, 0, 0] for k in FACT_TYPES}
    for path in sorted(Path(data_dir, "records").glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        src = gold["source"]
        text = Path(data_dir, src["text"]).read_text(encoding="utf-8")
        draft = draft_article(text, source_url=src.get("url"), outlet=src.get("outlet"),
                              published=src.get("published"), text_path=src["text"])
        g, d = facts(gold), facts(draft)
        for kind in FACT_TYPES:
            for i, n in enumerate(_count(kind, g[kind], d[kind])):
                totals[kind][i] += n
    rows = []
    for kind, (tp, fp, fn) in totals.items():
        rows.append({"fact_type": kind, "precision": tp / (tp + fp) if tp + fp else 1.0,
                     "recall": tp / (tp + fn) if tp + fn else 1.0, "tp": tp, "fp": fp, "fn": fn})
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'fact type':<15} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for r in rows:
        lines.append(f"{r['fact_type']:<15} {r['precision']:>9.2f} {r['recall']:>7.2f} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4}")
    return "\n".join(lines)
