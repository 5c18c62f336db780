"""Page furniture versus article body: mask share buttons, "Baca Juga" links, comment forms, widgets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Body", "split_body"]

# A line that is furniture by itself.
_LINE_FURNITURE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s*Baca\s+(Juga|Pula)\b.*$", re.I), '"Baca Juga" related-article link'),
    (re.compile(r"^\s*(Komentar|Bagikan|Share\s*:?|X|Facebook|Twitter|WhatsApp|Telegram|Print|Email)\s*$", re.I), "share buttons or comment counter"),
    (re.compile(r"^\s*(Home|Beranda)\s*/.*$", re.I), "breadcrumb navigation"),
    (re.compile(r"^\s*(Dibaca|Dilihat)\s*:?\s*\d+.*$", re.I), "view counter"),
    (re.compile(r"^\s*(Foto|Photo|Sumber foto)\s*:.*$", re.I), "photo credit"),
    (re.compile(r"^\s*(Editor|Penulis|Reporter|Pewarta)\s*:.*$", re.I), "byline"),
]
# A line after which everything is furniture (comment forms, related and latest lists).
_TAIL_MARKERS = re.compile(
    r"^\s*(Tinggalkan\s+Balasan|Tinggalkan\s+Komentar|Pos\s+terkait|Berita\s+Terkait|Artikel\s+Terkait|"
    r"Related\s+(Articles|Posts)|Latest\s+Articles|Baca\s+Juga\s*:?|Share\s*:|Bagikan\s*:|Komentar\s*\(\d*\))\s*$",
    re.I,
)
_DATELINE = re.compile(r"\d{1,2}:\d{2}|^(Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad)\b", re.I)
# A paragraph opening with the dateline ("ARSO - ...", "KOTA BIMA – ...") starts the body, however short.
_BODY_DATELINE = re.compile(r"^[A-Z][A-Z.'’]+(?:[ \t]+[A-Z][A-Z.'’]+){0,3}[ \t]*(?:,[^–—\n-]{0,40})?[ \t]*[–—-][ \t]")
_TRAILING_CREDIT = re.compile(r"\((ADV|adv[^)]*|[A-Z][a-z]+|[a-z]{2,5}(/[a-z]+)*)\)\s*$")


@dataclass
class Body:
    """The masked text (same length; furniture replaced by newlines), furniture found, header end."""

    masked: str
    furniture: list[tuple[int, int, str]] = field(default_factory=list)
    header_end: int = 0
    title: tuple[int, int] | None = None


def split_body(text: str) -> Body:
    """Find furniture lines and the page header; mask furniture so no pattern can match across it."""
    chars = list(text)
    furniture: list[tuple[int, int, str]] = []
    offset = 0
    tail = False
    first_long: int | None = None
    title: tuple[int, int] | None = None
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        start, end = offset, offset + len(content)
        offset += len(line)
        stripped = content.strip()
        if not stripped:
            continue
        reason = None
        if tail:
            reason = "after the end of the article (related lists, comment form)"
        elif _TAIL_MARKERS.match(content):
            tail = True
            reason = "end-of-article widget heading"
        else:
            for pattern, why in _LINE_FURNITURE:
                if pattern.match(content):
                    reason = why
                    break
        if reason:
            lead = len(content) - len(content.lstrip())
            furniture.append((start + lead, start + lead + len(stripped), reason))
            for i in range(start, end):
                chars[i] = "\n"
            continue
        credit = _TRAILING_CREDIT.search(content)
        if credit and len(stripped.split()) > 8:
            furniture.append((start + credit.start(), start + credit.end(), "advertorial marker or byline"))
        if first_long is None and (len(stripped.split()) >= 20 or (_BODY_DATELINE.match(stripped) and len(stripped.split()) >= 8)):
            first_long = start
        if title is None and 3 <= len(stripped.split()) <= 30 and not _DATELINE.search(stripped):
            title = (start + len(content) - len(content.lstrip()), start + len(content.rstrip()))
    return Body("".join(chars), furniture, first_long or 0, title)
