"""Regulation citations: "UU Nomor 10 Tahun 2016", "PKPU Nomor 2 Tahun 2024", decree numbers, vague "UU Pemilu"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from .spans import finditer

__all__ = ["Citation", "find_citations"]

_UU = r"(?:Undang[- ]Undang|UU)"
# Ordered: the first alternative matching at a position wins, so specific forms come first.
_TYPES: list[tuple[str, str]] = [
    ("perppu", rf"Peraturan[ \t]+Pemerintah[ \t]+Pengganti[ \t]+(?:{_UU}D?)(?:[ \t]*\(Perppu\))?|Perppu"),
    ("uud", r"Undang[- ]Undang[ \t]+Dasar(?:[ \t]+Negara[ \t]+Republik[ \t]+Indonesia)?|UUD(?=[ \t]+(?:Tahun[ \t]+)?1945)"),
    ("uu", rf"{_UU}(?:[ \t]*\(UUD?\))?"),
    ("pp", r"Peraturan[ \t]+Pemerintah(?:[ \t]*\(PP\))?|PP"),
    ("perpres", r"Peraturan[ \t]+Presiden(?:[ \t]*\(Perpres\))?|Perpres"),
    ("permendagri", r"Peraturan[ \t]+Menteri[ \t]+Dalam[ \t]+Negeri(?:[ \t]*\(Permendagri\))?|Permendagri"),
    ("pkpu", r"Peraturan[ \t]+(?:KPU|Komisi[ \t]+Pemilihan[ \t]+Umum)(?:[ \t]*\(PKPU\))?|PKPU"),
    ("perbawaslu", r"Peraturan[ \t]+(?:Bawaslu|Badan[ \t]+Pengawas[ \t]+Pemilihan[ \t]+Umum)(?:[ \t]*\(Perbawaslu\))?|Perbawaslu"),
    ("perda", r"Peraturan[ \t]+Daerah(?:[ \t]*\(Perda\))?|Perda"),
    ("keputusan", r"Keputusan|Kepmendagri|Surat[ \t]+Keputusan"),
]
_TYPE_RE = "|".join(f"(?P<{name}>{pattern})" for name, pattern in _TYPES)
# [0-9] and [0-9A-Za-z_], not \d and \w: those also take other scripts' digits ("०"), which the id slug drops.
_NUMBER = r"(?:Nomor|Nomer|No\.?)[ \t]*:?[ \t]*(?P<number>[0-9][0-9A-Za-z_./-]*)"
_YEAR = r"(?:[ \t]*,?[ \t]*(?:Tahun|Thn\.?)[ \t]+(?P<year>[0-9]{4}))?"
_CITATION = re.compile(
    rf"(?<![\w-])(?:(?P<type>{_TYPE_RE})(?P<issuer>[ \t]+[^\n;]{{0,90}}?)??[ \t]+{_NUMBER}{_YEAR}"
    rf"|(?P<const>Undang[- ]Undang[ \t]+Dasar(?:[ \t]+Negara[ \t]+Republik[ \t]+Indonesia)?|UUD)[ \t]+(?:Tahun[ \t]+)?(?P<cyear>1945))",
    re.I,
)
_VAGUE = re.compile(r"(?<![\w-])(?P<type>UU|PKPU|Perppu|Permendagri|Perbawaslu|Perpres|Perda)(?:[ \t]+(?![Nn]o)[A-Z][\w-]+){1,3}")
_PASAL = re.compile(r"Pasal[ \t]+([0-9]+[A-Za-z]?(?:[ \t]+ayat[ \t]+\([0-9]+\))?)[ \t]+$", re.I)
_TITLE = re.compile(r"[ \t]*,?[ \t]*(?P<date>Tanggal[ \t]+[0-9]{1,2}[ \t]+[A-Za-z]+\.?[ \t]+[0-9]{4}[ \t]*,?[ \t]*)?tentang[ \t]+(?P<title>[^\n.;]{3,200})", re.I)
_DATE_AFTER = re.compile(r"[ \t]*,?[ \t]*Tanggal[ \t]+", re.I)


@dataclass
class Citation:
    """A regulation mention at [start, end); `resolved` when type, number (unless UUD) and year are known."""

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

    @property
    def reg_id(self) -> str:
        from ..models import _slugify_number

        return f"{self.type}/{self.year}" + (f"/{_slugify_number(self.number)}" if self.number else "")


def find_citations(text: str) -> list[Citation]:
    """Resolved citations first-to-last, then vague mentions ("UU Pemilu") marked unresolved."""
    found: list[Citation] = []
    for m in finditer(_CITATION, text):
        if m.group("const"):
            found.append(Citation(m.start(), m.end(), "uud", None, int(m.group("cyear")), m.group(0), confidence=0.9))
            continue
        kind = next(name for name, _ in _TYPES if m.group(name))
        number = m.group("number").rstrip("./-")
        year = int(m.group("year")) if m.group("year") else None
        if year is None:
            tail = re.search(r"/((?:19|20)[0-9]{2})$", number)
            year = int(tail.group(1)) if tail else None
        issuer = (m.group("issuer") or "").strip() or None
        if issuer and kind != "keputusan" and len(issuer) > 40:
            continue  # a type word far from its number: probably two different things
        cit = Citation(m.start(), m.end(), kind, number, year, m.group(0).strip(), issuer_text=issuer,
                       resolved=year is not None and 1945 <= year <= 2100)
        cit.confidence = 0.9 if cit.resolved else 0.4
        pasal = _PASAL.search(text[max(0, m.start() - 40) : m.start()])
        if pasal:
            cit.article = pasal.group(1)
        found.append(cit)
    for cit in found:
        after = _TITLE.match(text, cit.end)
        if after:
            cit.date_text = after.group("date")
            title = after.group("title")
            nxt = _CITATION.search(title)  # stop the title at the next citation's type word
            cut = nxt.start() if nxt else len(title)
            title = re.split(r",?[ \t]+(?:serta|dan program|yang mengatur)\b", title[:cut])[0]
            # The span ends where the stripped title ends: the evidence quote must hold all of it.
            end = after.start("title") + len(title.rstrip(" ,"))
            title = title.strip(" ,")
            if len(title) >= 3:
                cit.title = title
                cit.title_span = (cit.end, end)
    spans = [(c.start, c.end) for c in found]
    for m in finditer(_VAGUE, text):
        if any(s <= m.start() < e for s, e in spans):
            continue
        found.append(Citation(m.start(), m.end(), m.group("type").lower(), None, None, m.group(0), resolved=False, confidence=0.3))
    return found
