"""Score drafts of annotated articles (`egkg eval --gold DIR`): precision, recall and misses per field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .draft import draft_article
from .draft.reading import read_article
from .errors import InputError
from .load.yaml_lines import line_of, load_yaml_with_lines

__all__ = ["FIELDS", "Gold", "evaluate_gold", "format_report", "read_gold"]

FIELDS = ["persons", "person+post+kind", "institutions", "meeting dates", "venues", "regulations", "figures"]
# The short column headings of the per-article table, in FIELDS order.
_SHORT = ["persons", "post+kind", "inst", "dates", "venues", "regs", "figures"]


class _Strict(BaseModel):
    # A misspelt key ("acting_qualifer") would otherwise be dropped and its fact silently unscored.
    model_config = ConfigDict(extra="forbid")


class GoldDate(_Strict):
    iso: dt.date
    uncertain: bool = False  # neither found nor wrong: the annotator could not tell


class GoldMeeting(_Strict):
    dates: list[GoldDate] = []


class GoldChair(_Strict):
    name: str = Field(min_length=1)


class GoldPerson(_Strict):
    name: str = Field(min_length=1, description="the name without titles, ranks, honorifics or degrees")
    title_as_written: Optional[str] = None
    acting_qualifier: Optional[Literal["Pj", "Pjs", "Plt", "Plh"]] = None
    rank: Optional[str] = None
    # Notation of egkg:OfficeType (or the slug of a title the vocabulary lacks). Absent: the post is
    # not scored for this person; null: the person holds no post, so any drafted post is wrong.
    office: Optional[str] = None


class GoldRegulation(_Strict):
    type: str = Field(min_length=1)
    number: Optional[str] = None
    year: int

    @field_validator("number", mode="before")
    @classmethod
    def _number_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class GoldInstitution(_Strict):
    type: str = Field(min_length=1)
    region: Optional[str] = None  # a region code such as "64.02", quoted so YAML keeps it text


class GoldFigure(_Strict):
    indicator: str = Field(min_length=1)
    value: Optional[float] = None
    value_text: Optional[str] = None


class Gold(_Strict):
    """One annotated article: what a perfect draft would hold."""

    text: Optional[str] = None  # the article beside the gold file; default: same name ending in .txt
    families: list[str] = []  # the drafting.md pattern families the article exercises (not scored)
    published: Optional[dt.date] = None
    meeting: Optional[GoldMeeting] = None
    meetings: Optional[list[GoldMeeting]] = None  # when the article reports more than one meeting
    chair: Optional[GoldChair] = None
    persons: list[GoldPerson] = []
    non_participant_names: list[str] = []
    regulations: list[GoldRegulation] = []
    # Absent: the field is not scored for this article.
    institutions: Optional[list[GoldInstitution]] = None
    venues: Optional[list[str]] = None
    figures: Optional[list[GoldFigure]] = None


def read_gold(path: Path) -> Gold:
    """One gold file, or an InputError naming its file, line and field."""
    data, lines = load_yaml_with_lines(path, str(path))
    if not isinstance(data, dict):
        raise InputError("a gold file is a mapping (published, meeting, persons, regulations, ...)", file=path, line=1)
    try:
        return Gold.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = tuple(first["loc"])
        raise InputError(first["msg"], file=path, line=line_of(lines, where),
                         field=".".join(str(p) for p in where) or "(file)") from None


# --- comparing ---------------------------------------------------------------------------------

def _tokens(name: str) -> frozenset[str]:
    """Name tokens, lenient on case, accents and punctuation ("J.H. Malonda" ~ "JH Malonda" is not: j, h)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return frozenset(re.findall(r"[a-z0-9]+", plain))


def _same_person(gold_name: str, drafted_name: str) -> bool:
    """drafting.md's rule: the drafted name has every token of the gold name."""
    g = _tokens(gold_name)
    return bool(g) and g <= _tokens(drafted_name)


def _venue_match(a: str, b: str) -> bool:
    """Venue names match when one's words contain the other's ("Hotel Novotel" ~ "Hotel Novotel Balikpapan")."""
    wa, wb = _tokens(a), _tokens(b)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


@dataclass
class Score:
    """One field of one article (or a sum of them): gold facts found, drafted facts right, and the misses."""

    gold: int = 0
    found: int = 0
    drafted: int = 0
    right: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    scored: bool = True

    @property
    def precision(self) -> float | None:
        return self.right / self.drafted if self.drafted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    def add(self, other: "Score") -> None:
        if other.scored:
            self.gold += other.gold
            self.found += other.found
            self.drafted += other.drafted
            self.right += other.right


def _match(gold: list[Any], drafted: list[Any], same, show) -> Score:
    """Pair gold and drafted facts one to one, so a fact drafted once cannot find two gold facts."""
    used: set[int] = set()
    found: set[int] = set()
    # The most specific gold facts pick first: gold "Budi" must not take the draft's "Budi Santoso"
    # from gold "Budi Santoso".
    for i in sorted(range(len(gold)), key=lambda i: -len(show(gold[i]))):
        j = next((j for j, d in enumerate(drafted) if j not in used and same(gold[i], d)), None)
        if j is not None:
            used.add(j)
            found.add(i)
    return Score(len(gold), len(found), len(drafted), len(used),
                 [show(g) for i, g in enumerate(gold) if i not in found],
                 [show(d) for j, d in enumerate(drafted) if j not in used])


def _drafted_people(draft: dict[str, Any], gold: Gold) -> list[dict[str, Any]]:
    """Drafted persons, less those the gold names as non-participants (bylines, "Baca Juga"): not scored."""
    return [p for p in draft.get("persons", [])
            if not any(_same_person(n, p["name"]) for n in gold.non_participant_names)]


def _persons(gold: Gold, draft: dict[str, Any]) -> Score:
    people = _drafted_people(draft, gold)
    return _match([p.name for p in gold.persons], [p["name"] for p in people], _same_person, str)


def _posts(gold: Gold, draft: dict[str, Any]) -> Score:
    offices = {f"post/{p['id']}": p["office"] for p in draft.get("posts", [])}
    names = {f"person/{p['id']}": p["name"] for p in _drafted_people(draft, gold)}
    drafted = [(names[h["holder"]], offices.get(h["post"]), h["kind"]) for h in draft.get("holdings", [])
               if h["holder"] in names]
    # A drafted post of a person whose gold entry leaves `office` out is not scored either way.
    unscored = [p.name for p in gold.persons if "office" not in p.model_fields_set]
    drafted = [d for d in drafted if not any(_same_person(n, d[0]) for n in unscored)]
    expected = [(p.name, p.office, p.acting_qualifier or "Definitive") for p in gold.persons
                if "office" in p.model_fields_set and p.office]

    def same(g: tuple, d: tuple) -> bool:
        return _same_person(g[0], d[0]) and g[1:] == d[1:]

    return _match(expected, drafted, same, lambda f: f"{f[0]}: {f[1]} ({f[2]})")


def _days(start: Any, end: Any) -> list[dt.date]:
    first = dt.date.fromisoformat(str(start))
    last = dt.date.fromisoformat(str(end)) if end else first
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _dates(gold: Gold, draft: dict[str, Any]) -> Score:
    meetings = [*([gold.meeting] if gold.meeting else []), *(gold.meetings or [])]
    uncertain = {d.iso for m in meetings for d in m.dates if d.uncertain}
    expected = sorted({d.iso for m in meetings for d in m.dates if not d.uncertain})
    drafted = sorted({day for m in draft.get("meetings", []) for day in _days(m["start"], m.get("end"))} - uncertain)
    return _match(expected, drafted, lambda g, d: g == d, lambda d: d.isoformat())


def _regulations(gold: Gold, draft: dict[str, Any]) -> Score:
    expected = [(r.type.lower(), r.number or "", r.year) for r in gold.regulations]
    drafted = [(str(r["type"]).lower(), str(r.get("number") or ""), int(r["year"])) for r in draft.get("regulations", [])]
    return _match(expected, drafted, lambda g, d: g == d,
                  lambda r: f"{r[0]} {r[1]} {r[2]}".replace("  ", " "))


def _institutions(gold: Gold, draft: dict[str, Any]) -> Score:
    if gold.institutions is None:
        return Score(scored=False)
    expected = [(i.type, i.region) for i in gold.institutions]
    drafted = [(o["type"], (o.get("region") or "").removeprefix("region/") or None)
               for o in draft.get("organizations", []) if o["type"] != "MediaOutlet"]
    return _match(expected, drafted, lambda g, d: g == d, lambda i: f"{i[0]} {i[1] or '(no region)'}")


def _venues(gold: Gold, draft: dict[str, Any]) -> Score:
    if gold.venues is None:
        return Score(scored=False)
    return _match(list(gold.venues), [p["name"] for p in draft.get("places", [])], _venue_match, str)


def _figures(gold: Gold, draft: dict[str, Any]) -> Score:
    if gold.figures is None:
        return Score(scored=False)

    def key(indicator: str, value: Any, text: Any) -> tuple:
        return (indicator, None if value is None else round(float(value), 4), " ".join(_tokens(text or "")))

    expected = [key(f.indicator, f.value, f.value_text) for f in gold.figures]
    drafted = [key(o["indicator"], o.get("value"), o.get("value_text")) for o in draft.get("observations", [])]
    return _match(expected, drafted, lambda g, d: g == d, lambda f: f"{f[0]}={f[1] if f[1] is not None else f[2]}")


_SCORERS = [_persons, _posts, _institutions, _dates, _venues, _regulations, _figures]


@dataclass
class ArticleScore:
    name: str
    families: list[str]
    scores: dict[str, Score]


def _text_of(gold_path: Path, gold: Gold) -> Path:
    text = gold_path.parent / (gold.text or gold_path.with_suffix(".txt").name)
    if not text.is_file():
        raise InputError(f"article text {text.name} not found beside the gold file; name it in `text:`",
                         file=gold_path, field="text")
    return text


def evaluate_gold(gold_dir: Path) -> list[ArticleScore]:
    """Draft every article with a gold file in `gold_dir` and score the draft, field by field."""
    if not gold_dir.is_dir():
        raise InputError("not a directory; give the directory holding the gold files and article texts",
                         file=gold_dir, field="--gold")
    paths = sorted(p for p in gold_dir.glob("*.yaml") if p.is_file())
    if not paths:
        raise InputError("no gold files (*.yaml) in this directory", file=gold_dir, field="--gold")
    golds = [(p, read_gold(p)) for p in paths]  # every gold file checked before any drafting
    texts = [_text_of(p, g) for p, g in golds]
    results = []
    for (path, gold), text_path in zip(golds, texts):
        draft = draft_article(read_article(text_path), published=gold.published, text_path=text_path.name)
        scores = {name: scorer(gold, draft) for name, scorer in zip(FIELDS, _SCORERS)}
        results.append(ArticleScore(path.stem, gold.families, scores))
    return results


# --- the report ---------------------------------------------------------------------------------

def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def totals(results: list[ArticleScore]) -> dict[str, Score]:
    """Each field summed over the articles that score it."""
    summed = {name: Score() for name in FIELDS}
    for r in results:
        for name in FIELDS:
            summed[name].add(r.scores[name])
    return summed


def _overall_table(summed: dict[str, Score]) -> list[str]:
    lines = [f"{'field':<17} {'precision':>9} {'recall':>7} {'found':>11} {'right':>11}"]
    for name, s in summed.items():
        lines.append(f"{name:<17} {_ratio(s.precision):>9} {_ratio(s.recall):>7} "
                     f"{f'{s.found}/{s.gold}':>11} {f'{s.right}/{s.drafted}':>11}")
    return lines


def format_report(results: list[ArticleScore]) -> str:
    """Per-article precision/recall, the misses, per-family and overall tables."""
    width = max(len("article"), *(len(r.name) for r in results))
    head = f"{'article':<{width}} " + " ".join(f"{s:>11}" for s in _SHORT)
    lines = ["precision/recall per article ('-': nothing to score)", head]
    for r in results:
        cells = [f"{_ratio(s.precision)}/{_ratio(s.recall)}" if s.scored else "not scored" for s in r.scores.values()]
        lines.append(f"{r.name:<{width}} " + " ".join(f"{c:>11}" for c in cells))
    lines += ["", "misses (gold the draft lacks; drafted facts the gold lacks)"]
    for r in results:
        for name, s in r.scores.items():
            if s.missed:
                lines.append(f"{r.name}: {name} missed: " + "; ".join(s.missed))
            if s.wrong:
                lines.append(f"{r.name}: {name} not in gold: " + "; ".join(s.wrong))
    families = sorted({f for r in results for f in r.families})
    if families:
        wide = max(len("family"), *(len(f) for f in families))
        lines += ["", f"{'family':<{wide}} {'articles':>8} {'persons P/R':>12} {'dates R':>8} {'regs R':>7}"]
        for fam in families:
            members = [r for r in results if fam in r.families]
            s = totals(members)
            lines.append(f"{fam:<{wide}} {len(members):>8} "
                         f"{_ratio(s['persons'].precision) + '/' + _ratio(s['persons'].recall):>12} "
                         f"{_ratio(s['meeting dates'].recall):>8} {_ratio(s['regulations'].recall):>7}")
    lines += ["", f"overall ({len(results)} articles)", *_overall_table(totals(results))]
    return "\n".join(lines)
