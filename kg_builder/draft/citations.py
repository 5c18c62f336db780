"""Regulation citations: "UU Nomor 10 Tahun 2016", "PKPU 2 tahun 2024", decree numbers, vague "UU Pemilu".

The types and their spellings come from knowledge/regulations.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .knowledge import written_form
from .lexicon import load_regulation_rows, vocabulary_notations
from .spans import finditer

__all__ = ["Citation", "Grammar", "find_citations", "regulation_types"]

# [0-9] and [0-9A-Za-z_], not \d and \w: those also take other scripts' digits ("०"), which the id slug drops.
_NUMBER = r"(?:Nomor|Nomer|No\.?)[ \t]*:?[ \t]*(?P<number>[0-9][0-9A-Za-z_./-]*)"
# "PKPU 2 tahun 2024": a bare number counts only when its year follows.
_BARE = r"(?P<bare>[0-9]{1,4})(?=[ \t]*,?[ \t]*(?:Tahun|Thn\.?)[ \t]+[0-9]{4})"
_YEAR = r"(?:[ \t]*,?[ \t]*(?:Tahun|Thn\.?)[ \t]+(?P<year>[0-9]{4}))?"
_PASAL = re.compile(r"Pasal[ \t]+([0-9]+[A-Za-z]?(?:[ \t]+ayat[ \t]+\([0-9]+\))?)[ \t]+$", re.I)
_PASAL_AFTER = re.compile(r"[ \t]*,?[ \t]*Pasal[ \t]+[0-9]", re.I)
_TITLE = re.compile(r"[ \t]*,?[ \t]*(?P<date>Tanggal[ \t]+[0-9]{1,2}[ \t]+[A-Za-z]+\.?[ \t]+[0-9]{4}[ \t]*,?[ \t]*)?tentang[ \t]+(?P<title>[^\n.;]{3,200})", re.I)
# Between a basis word and the constitution: only a little glue ("dalam", "pada"), never "Pancasila dan".
_GLUE = re.compile(r"^[ \t]*(?:(?:dalam|pada|kepada|dengan|ketentuan)[ \t]+)*$", re.I)


@dataclass(frozen=True)
class Grammar:
    """The citation patterns built from regulations.yaml, and which types the ontology knows."""

    citation: re.Pattern[str]
    vague: re.Pattern[str]
    type_of: tuple[tuple[str, re.Pattern[str]], ...]  # (type, fullmatch pattern of its forms), longest first
    issuer_between: frozenset[str]
    known: frozenset[str]
    basis: re.Pattern[str]


def _form(forms: list[str]) -> str:
    # A long form may carry its abbreviation in brackets: "Peraturan KPU (PKPU)", "Undang-Undang (UUD)".
    ordered = sorted(forms, key=len, reverse=True)
    return "(?:" + "|".join(written_form(f) for f in ordered) + r")(?:[ \t]*\([A-Za-z]{2,12}\))?"


@lru_cache(maxsize=1)
def regulation_types() -> Grammar:
    """The patterns of regulations.yaml (cached; clear the cache after editing the file in a test)."""
    rows, basis_words = load_regulation_rows()
    # The constitution has no number: only its own branch below reads it ("UUD 1945").
    forms = sorted({f for row in rows if row.type != "uud" for f in row.forms}, key=len, reverse=True)
    # Every form, longest first, so "Peraturan Pemerintah Pengganti UU" is not read as "Peraturan Pemerintah".
    any_type = _form(forms)
    constitution = [r.forms for r in rows if r.type == "uud"]
    const = (rf"(?<![\w-])(?P<const>{_form(constitution[0])})[ \t]+(?:Tahun[ \t]+)?(?P<cyear>1945)(?![0-9])"
             if constitution else r"(?P<const>(?!x)x)(?P<cyear>(?!x)x)")
    citation = re.compile(
        rf"{const}|(?<![\w-])(?P<type>{any_type})(?![\w-])"
        rf"(?:[ \t]+{_BARE}|(?P<issuer>[ \t]+[^\n;]{{0,90}}?)??[ \t]+{_NUMBER}){_YEAR}",
        re.I,
    )
    # Vague mentions ("UU Pemilu", "PKPU Kampanye"): the one-word forms of the rows marked `vague`.
    short = sorted({f for row in rows if row.vague for f in row.forms if " " not in f and "-" not in f},
                   key=len, reverse=True)
    vague = re.compile(r"(?<![\w-])(?P<type>" + "|".join(re.escape(a) for a in short)
                       + r")(?:[ \t]+(?![Nn]o)[A-Z][\w-]+){1,3}")
    type_of = tuple((row.type, re.compile(_form(row.forms), re.I)) for row in rows)
    basis = re.compile(r"(?<![\w-])(?:" + "|".join(written_form(w) for w in sorted(basis_words, key=len, reverse=True))
                       + r")(?![\w-])", re.I)
    return Grammar(citation, vague, type_of, frozenset(r.type for r in rows if r.issuer_between),
                   vocabulary_notations().get("RegulationType", frozenset()), basis)


def _type_of(printed: str, grammar: Grammar) -> str:
    """The type whose forms spell the printed type word exactly (the longest forms tried first)."""
    for name, pattern in grammar.type_of:
        if pattern.fullmatch(printed.strip()):
            return name
    raise AssertionError(printed)  # not reached: the printed word came from these forms


@dataclass
class Citation:
    """A regulation mention at [start, end); `resolved` when type, number (unless UUD) and year are known.

    `why` says, for a mention that is not drafted, what keeps it out (for the draft's notes).
    """

    start: int
    end: int
    type: str
    number: str | None
    year: int | None
    printed: str
    title: str | None = None
    title_span: tuple[int, int] | None = None
    date_text: str | None = None
    article: str | None = None
    issuer_text: str | None = None
    resolved: bool = True
    confidence: float = 0.85
    why: str = "no number or year"

    @property
    def reg_id(self) -> str:
        from ..load.models import _slugify_number

        return f"{self.type}/{self.year}" + (f"/{_slugify_number(self.number)}" if self.number else "")


def _cited_as_basis(text: str, start: int, end: int, grammar: Grammar) -> bool:
    """The constitution is cited by its article ("Pasal 22E UUD 1945") or right after a basis word."""
    if _PASAL.search(text[max(0, start - 40) : start]) or _PASAL_AFTER.match(text, end):
        return True
    before = text[max(0, start - 60) : start]
    last = None
    for last in grammar.basis.finditer(before):
        pass
    return bool(last) and bool(_GLUE.match(before[last.end() :]))


def _constitution(m: re.Match[str], text: str, grammar: Grammar) -> Citation:
    cit = Citation(m.start(), m.end(), "uud", None, int(m.group("cyear")), m.group(0), confidence=0.9)
    if not _cited_as_basis(text, m.start(), m.end(), grammar):
        cit.resolved, cit.confidence = False, 0.3
        cit.why = "named without an article or a basis word (rhetoric, not a citation)"
    return cit


def find_citations(text: str) -> list[Citation]:
    """Resolved citations first-to-last, then vague mentions ("UU Pemilu") marked unresolved."""
    grammar = regulation_types()
    found: list[Citation] = []
    for m in finditer(grammar.citation, text):
        if m.group("const"):
            found.append(_constitution(m, text, grammar))
            continue
        kind = _type_of(m.group("type"), grammar)
        number = (m.group("number") or m.group("bare")).rstrip("./-")
        year = int(m.group("year")) if m.group("year") else None
        if year is None:
            tail = re.search(r"/((?:19|20)[0-9]{2})$", number)
            year = int(tail.group(1)) if tail else None
        issuer = (m.group("issuer") or "").strip() or None
        if issuer and kind not in grammar.issuer_between and len(issuer) > 40:
            continue  # a type word far from its number: probably two different things
        cit = Citation(m.start(), m.end(), kind, number, year, m.group(0).strip(), issuer_text=issuer,
                       resolved=year is not None and 1945 <= year <= 2100)
        cit.confidence = 0.9 if cit.resolved else 0.4
        if cit.resolved and kind not in grammar.known:
            cit.resolved, cit.why = False, f"type {kind!r} is not an egkg:RegulationType yet (add it to the ontology)"
        pasal = _PASAL.search(text[max(0, m.start() - 40) : m.start()])
        if pasal:
            cit.article = pasal.group(1)
        found.append(cit)
    for cit in found:
        _add_title(text, cit, grammar)
    spans = [(c.start, c.end) for c in found]
    for m in finditer(grammar.vague, text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        kind = _type_of(m.group("type"), grammar)
        found.append(Citation(m.start(), m.end(), kind, None, None, m.group(0), resolved=False, confidence=0.3))
    return found


def _add_title(text: str, cit: Citation, grammar: Grammar) -> None:
    after = _TITLE.match(text, cit.end)
    if not after:
        return
    cit.date_text = after.group("date")
    title = after.group("title")
    nxt = grammar.citation.search(title)  # stop the title at the next citation's type word
    cut = nxt.start() if nxt else len(title)
    title = re.split(r",?[ \t]+(?:serta|dan program|yang mengatur)\b", title[:cut])[0]
    # The span ends where the stripped title ends: the evidence quote must hold all of it.
    end = after.start("title") + len(title.rstrip(" ,"))
    title = title.strip(" ,")
    if len(title) >= 3:
        cit.title = title
        cit.title_span = (cit.end, end)
