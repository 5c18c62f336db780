"""Fuzzing with hypothesis: the record loader, the date and citation parsers and draft raise only documented errors."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kg_builder.draft import draft_article
from kg_builder.draft.citations import find_citations
from kg_builder.draft.dates import MONTHS, WEEKDAYS, find_dates, parse_date
from kg_builder.errors import InputError, InputErrors
from kg_builder.load.corpus import load_corpus
from kg_builder.load.evidence import MIN_QUOTE_CHARS, normalise, pins_a_place
from kg_builder.load.models import RecordFile
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.pipeline.stages import ShaclViolations, check
from kg_builder.rdf.vocab import load_ontology

from .conftest import DATA
from .test_draft import _quotes

# derandomize: CI tries the same examples on every run, so a failure is reproducible.
FUZZ = settings(deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BASE_RECORD = "000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml"
ONTOLOGY = load_ontology(ONTOLOGY_FILE)


def _keys(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(str(key))
            _keys(value, found)
    elif isinstance(node, list):
        for item in node:
            _keys(item, found)
    return found


def _leaves(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for value in node.values():
            _leaves(value, found)
    elif isinstance(node, list):
        for item in node:
            _leaves(item, found)
    elif isinstance(node, str) and len(node) < 60:
        found.add(node)
    return found


REAL = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.BaseLoader) for p in sorted((DATA / "records").glob("*.yaml"))]
BASE = yaml.load((DATA / "records" / BASE_RECORD).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
KEYS = sorted(set().union(*(_keys(r, set()) for r in REAL)))
VALUES = sorted(set().union(*(_leaves(r, set()) for r in REAL)))
# Values a curator's typo or a hostile file could hold, beside the real ones.
ODD_VALUES = ["", " ", "~", "null", "yes", "2024-02-30", "2024-13-01", "0000-00-00", "9999-12-31", "1e400", ".nan",
              "-.inf", "0x1F", "person/", "/", "person/../org/x", "region/99.99", "region/74.06.01.2001", "sources",
              "sources/../records/fuzz.yaml", "../../etc/passwd", "/etc/passwd", "sources/missing.txt", "\u200b",
              "ا", "東京", "<script>", '"}', "\\", "a" * 300]
TOKENS = [": ", ":", "- ", "-", "\n", "\n  ", "\n    ", "  ", "\t", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">",
          "&a ", "*a", "<<: ", "!!python/object:os.system ", "!!binary ", "!tag ", "? ", "---\n", "...\n", "%YAML 1.1\n",
          "\ufeff", "\x00", "\r\n", "\\u0000", "@", "`", "%"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True),
    st.text(max_size=20), st.sampled_from(VALUES), st.sampled_from(ODD_VALUES),
)
nested = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=5),
    ),
    max_leaves=25,
)
yamlish = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.sampled_from(KEYS).map(lambda k: k + ": "), st.sampled_from(VALUES),
              st.sampled_from(ODD_VALUES), st.text(max_size=8)),
    max_size=60,
).map("".join)


@pytest.fixture(scope="module")
def fuzz_data(tmp_path_factory) -> Path:
    """A data/ copy whose only record file is the one each example writes."""
    target = tmp_path_factory.mktemp("fuzz") / "data"
    shutil.copytree(DATA, target)
    for path in (target / "records").iterdir():
        path.unlink()
    return target


def _write(data: Path, content: str | bytes, suffix: str = ".yaml") -> None:
    for path in (data / "records").iterdir():
        path.unlink()
    path = data / "records" / f"fuzz{suffix}"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))


def _load(data: Path) -> None:
    """Only the documented input errors may escape, each naming the fuzzed file."""
    try:
        load_corpus(data, ONTOLOGY)
    except InputError as exc:
        assert "fuzz" in exc.problem.file or "records" in exc.problem.file, exc.problem
    except InputErrors as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(FUZZ, max_examples=120)
@given(text=yamlish)
def test_yaml_ish_text_is_loaded_or_refused(fuzz_data, text):
    _write(fuzz_data, text)
    _load(fuzz_data)


@settings(FUZZ, max_examples=80)
@given(document=nested, as_json=st.booleans())
def test_arbitrary_nested_documents_are_loaded_or_refused(fuzz_data, document, as_json):
    if as_json:
        _write(fuzz_data, json.dumps(document), ".json")
    else:
        _write(fuzz_data, yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    _load(fuzz_data)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += _paths(item, (*prefix, index))
    return found


def _mutate(draw, record: dict) -> dict:
    """The real record with one to three places replaced, removed or duplicated."""
    record = json.loads(json.dumps(record))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(record) if p]
        path = draw(st.sampled_from(paths))
        parent = record
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "text"]))
        if action == "delete":
            del parent[last]
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(parent[last])))
        elif action == "text" and isinstance(parent[last], str):
            original = parent[last]
            cut = draw(st.integers(0, len(original)))
            parent[last] = original[:cut] + draw(st.one_of(st.text(max_size=5), st.sampled_from(ODD_VALUES))) + original[cut:]
        else:
            parent[last] = draw(nested)
    return record


@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_mutated_records_are_loaded_or_refused(fuzz_data, data):
    _write(fuzz_data, yaml.safe_dump(_mutate(data.draw, BASE), allow_unicode=True, sort_keys=False))
    _load(fuzz_data)


FIXED_FIELDS = {"id", "text", "evidence", "quote", "start", "end", "date", "published", "url", "type", "kind", "level"}
TEXT_PIECES = ['"', "\\", "<>", "\n", "'''", "@id", "_:b0", "\x00", "\u202e", "\ud800"]


def _at(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _edit_free_text(draw, record: dict) -> dict:
    """The real record with names, titles and other free text edited: it still loads, so the
    mapping to RDF and SHACL see the new text."""
    record = json.loads(json.dumps(record))
    paths = [p for p in _paths(record) if p and isinstance(_at(record, p), str) and "/" not in _at(record, p)
             and not FIXED_FIELDS & {part for part in p if isinstance(part, str)}]
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3, unique=True)):
        parent = _at(record, path[:-1])
        original = parent[path[-1]]
        cut = draw(st.integers(0, len(original)))
        added = draw(st.one_of(st.text(min_size=1, max_size=8), st.sampled_from(TEXT_PIECES)))
        parent[path[-1]] = original[:cut] + added + original[cut:]
    return record


# Each example that loads costs a full SHACL run (~1-2 s): no shrinking, which could take minutes.
@settings(FUZZ, max_examples=8, phases=[Phase.explicit, Phase.generate])
@given(data=st.data())
def test_edited_records_through_every_check(fuzz_data, data):
    """Past the loader: mapping to RDF and SHACL must also end in a documented error or a graph."""
    _write(fuzz_data, yaml.safe_dump(_edit_free_text(data.draw, BASE), allow_unicode=True, sort_keys=False))
    try:
        check(fuzz_data)
    except (InputError, InputErrors):
        pass
    except ShaclViolations as exc:
        assert exc.violations and all(v.problem.message for v in exc.violations)


# --- dates --------------------------------------------------------------------------------------

NUMBER_WORDS = ["satu", "dua", "tiga", "sepuluh", "0", "1", "9", "31", "32", "99"]
DATE_TOKENS = [*MONTHS, *(m.title() for m in MONTHS), *WEEKDAYS, *(w.title() for w in WEEKDAYS), "(", ")", "/", "-",
               "–", ",", ".", " ", " ", "\n", "s.d.", "sampai", "hingga", "hari", "tanggal", "tgl.", "lalu", "lagi",
               "yang lalu", "mendatang", "kemarin", "besok", "lusa", "hari ini", "2024", "1945", "0000", "0001", "9999",
               "24", "00", "yaitu pada", *NUMBER_WORDS]
date_texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(DATE_TOKENS), st.integers(0, 40).map(str)), max_size=40).map(" ".join),
    st.lists(st.one_of(st.sampled_from(DATE_TOKENS), st.integers(0, 40).map(str)), max_size=40).map("".join),
)


@settings(FUZZ, max_examples=400)
@given(text=date_texts, published=st.one_of(st.none(), st.dates(), st.sampled_from([dt.date.min, dt.date.max])))
def test_date_finder_never_crashes_and_spans_fit(text, published):
    mentions = find_dates(text, published)
    starts = [m.start for m in mentions]
    assert starts == sorted(starts)
    for before, after in zip(mentions, mentions[1:]):
        assert before.end <= after.start, (before, after)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text)
        assert m.kind in {"absolute", "no-year", "relative", "anchored"}
        assert m.end_date is None or m.end_date >= m.date
        assert 0 <= m.confidence <= 1
        assert (m.weekday_ok is False) == ("contradicts" in m.note)


def _names(table: dict[str, int], value: int) -> list[str]:
    return [name for name, number in table.items() if number == value]


@settings(FUZZ, max_examples=300)
@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), data=st.data())
def test_written_dates_read_back(day, data):
    month = data.draw(st.sampled_from(_names(MONTHS, day.month)))
    month = data.draw(st.sampled_from([month, month.title(), month.upper(), month + "."]))
    right = {w.title() for w in _names(WEEKDAYS, day.weekday())}
    weekday = data.draw(st.sampled_from(sorted(right)))
    wrong = data.draw(st.sampled_from(sorted({w.title() for w in WEEKDAYS} - right)))
    d = data.draw(st.sampled_from([str(day.day), f"{day.day:02d}"]))
    forms = {
        f"{weekday}, {d} {month} {day.year}": True,
        f"{weekday} ({d}/{day.month}/{day.year})": True,
        f"pada {d}/{day.month:02d}/{day.year} lalu": None,
        f"{month} {d}, {day.year}": None,
        f"{wrong}, {d} {month} {day.year}": False,
    }
    form = data.draw(st.sampled_from(sorted(forms)))
    filler = data.draw(st.sampled_from(["", "Rapat digelar ", "Kendari - "]))
    found = parse_date(filler + form + ".")
    assert found is not None, form
    assert found.date == day, (form, found)
    assert found.weekday_ok is forms[form], (form, found)
    assert found.kind == "absolute"


@settings(FUZZ, max_examples=150)
@given(first=st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), length=st.integers(1, 5),
       separator=st.sampled_from(["-", " - ", "–", " s.d. ", " sampai ", " hingga "]))
def test_day_ranges_read_back(first, length, separator):
    last = first + dt.timedelta(days=length)
    if last.month != first.month:
        return  # "30 Juni-2 Juli" is not a form the parser claims to read
    month = _names(MONTHS, first.month)[0].title()
    found = parse_date(f"Rakor berlangsung {first.day}{separator}{last.day} {month} {first.year} di Kendari")
    assert found is not None and (found.date, found.end_date) == (first, last), found


# --- citations ----------------------------------------------------------------------------------

CITATION_TOKENS = ["UU", "Undang-Undang", "Undang Undang", "UUD", "Perppu", "PP", "Peraturan Pemerintah", "Perpres",
                   "Permendagri", "PKPU", "Peraturan KPU", "Perbawaslu", "Perda", "Keputusan", "Surat Keputusan",
                   "Kepmendagri", "Nomor", "Nomer", "No.", "No", ":", "Tahun", "Thn.", "tentang", "Pasal", "ayat",
                   "(1)", "(UU)", "(PKPU)", "Negara Republik Indonesia", "1945", "2016", "10", "100.3.3.2/180/HK/2025",
                   "1/2024", "/", ".", ",", ";", "-", "\n", "Pemilu", "Pilkada", "serta", "dan program", "Tanggal",
                   "6 November 2024", "Menteri Dalam Negeri", "Gubernur", "A", "x" * 50]
# One citation's shape with each part drawn widely: numbers in any script, odd separators, titles.
shaped_citations = st.tuples(
    st.sampled_from(CITATION_TOKENS[:16]), st.sampled_from([" Nomor ", " No. ", " Nomor: ", " nomor "]),
    st.one_of(st.integers(0, 999).map(str), st.text(st.characters(categories=["Nd", "Lu", "Po"]), min_size=1, max_size=6),
              st.text(st.characters(categories=["Nd"], exclude_characters="0123456789"), min_size=1, max_size=4),
              st.sampled_from(["100.3.3.2/180/HK/2025", "1/2024", "5A", "1-2", "7."])),
    st.sampled_from([" Tahun ", ", Tahun ", " Thn. ", " "]), st.integers(1900, 2200).map(str),
    st.sampled_from(["", " tentang Pemilu", " tentang ,Pilkada serentak", " Tanggal 6 November 2024 tentang X Y Z"]),
).map("".join)
citation_texts = st.one_of(
    st.text(max_size=200),
    shaped_citations,
    st.lists(st.one_of(st.sampled_from(CITATION_TOKENS), st.integers(0, 3000).map(str),
                       st.text(st.characters(categories=["Nd"]), min_size=1, max_size=4)), max_size=40).map(" ".join),
)


@settings(FUZZ, max_examples=400)
@given(text=citation_texts)
def test_citation_finder_never_crashes_and_quotes_the_text(text):
    for c in find_citations(text):
        assert 0 <= c.start < c.end <= len(text)
        assert text[c.start:c.end].strip() == c.printed.strip(), c
        if c.resolved:
            assert c.year is not None and 1945 <= c.year <= 2100, c
        if c.title is not None:
            start, end = c.title_span
            assert c.end <= start < end <= len(text)
            assert text[start:end].endswith(c.title), (c.title, text[start:end])


@settings(FUZZ, max_examples=300)
@given(text=citation_texts)
def test_resolved_citations_keep_their_number_in_the_id(text):
    for c in find_citations(text):
        if c.resolved and c.number:
            # An id like "uu/2016/" has lost the number it was read from (and names no regulation).
            assert not c.reg_id.endswith("/"), (c.printed, c.reg_id)


@settings(FUZZ, max_examples=150)
@given(kind=st.sampled_from(["UU", "PP", "Perpres", "PKPU", "Permendagri", "Perbawaslu"]),
       number=st.integers(1, 999), year=st.integers(1945, 2100), joiner=st.sampled_from([" Tahun ", " Tahun ", ", Tahun "]))
def test_written_citations_read_back(kind, number, year, joiner):
    text = f"Sesuai {kind} Nomor {number}{joiner}{year} tentang Pemilihan Umum."
    found = [c for c in find_citations(text) if c.resolved]
    assert len(found) == 1, found
    assert (found[0].type, found[0].number, found[0].year) == (kind.lower(), str(number), year)
    assert found[0].title == "Pemilihan Umum"


# --- draft --------------------------------------------------------------------------------------
# tests/test_draft.py fuzzes draft_article with free text and generic words; this adds texts built
# from the date and citation vocabulary above, with officials, so the extractors meet each other.

OFFICIAL_TOKENS = ["Pj Bupati", "Plt Gubernur", "Wali Kota", "Kapolda", "Ketua KPU", "Sultra", "Kendari", "Bombana",
                   "Drs.", "H.", "M.Si", "Edy Suharmanto", "Andap Budhi Revianto", "Rakor", "di Hotel Claro",
                   "rapat koordinasi", "menghadiri", "diwakili oleh", "selaku", "sebanyak 1.234 TPS", "Rp 1,5 miliar"]


@settings(FUZZ, max_examples=100)
@given(words=st.lists(st.sampled_from(DATE_TOKENS + CITATION_TOKENS + OFFICIAL_TOKENS), max_size=120),
       separator=st.sampled_from([" ", "\n", ". "]),
       published=st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))))
def test_draft_of_dense_governance_text(words, separator, published):
    text = separator.join(words)
    try:
        draft = draft_article(text, source_url=None, outlet=None, published=published, text_path="sources/x.txt")
    except InputError as exc:
        # Nothing to draft: no letter or digit, or less text than one evidence quote needs.
        too_short = len(normalise(text)) < MIN_QUOTE_CHARS
        assert exc.problem.message == "article has no text to draft from" and (too_short or not any(ch.isalnum() for ch in text))
        return
    RecordFile.model_validate(draft)
    haystack = normalise(text)
    for quote in _quotes(draft):
        assert normalise(quote) in haystack, quote
        assert pins_a_place(quote), quote  # egkg validate refuses shorter quotes
