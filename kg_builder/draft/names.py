"""Personal names: capitalised name runs with initials and particles, honorifics, degrees and police/military ranks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .knowledge import degree_pattern, honorific_pattern, name_abbreviations, name_particles, not_name_words, rank_pattern

__all__ = ["NameParts", "read_name", "read_name_backwards", "looks_like_name", "is_not_name_word", "STOPWORDS"]

# Ranks, honorifics, degrees, particles and the words that are never names are in knowledge/names.yaml.
_RANK_RE = re.compile(rank_pattern() + r"(?:[ \t]+|(?<=\.)(?=[A-Z]))")
# A dotted honorific may be glued to the name ("Drs.Mulyadi", "H.M.Faisal").
_HON_RE = re.compile(honorific_pattern() + r"(?:[ \t]+|(?<=\.)(?=[A-Z]))")
_DEG_RE = re.compile(r"[ \t]*,?[ \t]*(" + degree_pattern() + r")")
# Patterns matched at a position of the whole text (`pattern.match(text, pos)`), never on a slice
# `text[pos:]`: a slice copies the rest of the article, once per name, which is quadratic on a long page.
_GAP = re.compile(r"[ \t]+")
_AFTER_DEGREE = re.compile(r"(?:[ \t]*,|[ \t]*$|[ \t]+[a-z,.(]|\.)")
_WORD = r"[A-Z][a-z]+(?:['’-][A-Za-z]+)*"
# One token of a name: a capitalised word (the last one may end a sentence), a word in capitals, an
# initial or short abbreviation with its dot ("J.F.", "A.", "Muh."), glued to the next word or not, or a
# bare capital letter before another word ("I Wayan", "A Munawar").
_TOKEN_RE = re.compile(
    r"(?P<initial>[A-Z]\.(?:[ \t]?[A-Z]\.)*|(?:" + "|".join(map(re.escape, name_abbreviations())) + r")\.)(?=[ \t]*[A-Z])"
    r"|(?P<letter>[A-Z])(?=[ \t]+[A-Z][a-z])"
    r"|(?P<word>" + _WORD + r"|[A-Z]{3,})(?![\w.])"
    r"|(?P<last>" + _WORD + r"|[A-Z]{3,})(?=\.(?:\s|$))"
)
_TOKEN_GAP = re.compile(r"[ \t]*")
_MAX_TOKENS = 6

# Kept for callers that test single words; the knowledge file and the office titles are the source.
STOPWORDS = set(not_name_words()) | {w.lower() for w in """
Kapten Penjabat Pejabat Pelaksana Sementara Harian Tugas Pjs Plh Plt Panitia Tim Ketum Sekjen
Komisi Pemerintah Pemprov Pemkab Pemkot Pemda Forkopimda Forum DPR DPRD DPD RI TNI Polri Polres Polda
Kejaksaan Kejati Kejari Rapat Rakor Rakornas Rakorda Rakortek Rakornis Hotel Kantor Ruang Aula Pendopo
Gedung Balai Kesbangpol OPD ASN Republik Indonesia Kesatuan Bangsa Dalam Kemudian Selain Pada Di Dan Yang
Saat Menurut Ia Beliau Sedangkan Adapun Senin Selasa Rabu Kamis Jumat Sabtu Minggu Januari Februari Maret
April Mei Juni Juli Agustus September Oktober November Nopember Desember Tahun Nomor Selaku Oleh Para
Seluruh Serta Bersama Dengan Untuk Sebagai Hal Arahan Sambutan Namun Bahkan Juga Kami Kita Mereka Saya Ini
Itu Tersebut Prov Kab Kec Sultra Kaltim Sumbar Se Kepolisian Tentara Pancasila UUD Undang FGD Coffee Morning
Apel Siaga Focus Group Discussion Share Bagikan Facebook Twitter WhatsApp Baca
""".split()}


def is_not_name_word(word: str) -> bool:
    return word.strip(".").lower() in STOPWORDS


@dataclass
class NameParts:
    """A name read at [start, end) with its printed form split into parts."""

    start: int
    end: int
    name: str
    name_start: int
    name_end: int
    honorifics: list[str] = field(default_factory=list)
    degrees: list[str] = field(default_factory=list)
    ranks: list[str] = field(default_factory=list)


def _tokens_from(text: str, pos: int) -> list[re.Match[str]]:
    tokens: list[re.Match[str]] = []
    at = pos
    while len(tokens) < _MAX_TOKENS:
        m = _TOKEN_RE.match(text, at)
        if not m or is_not_name_word(m.group(0)):
            break
        tokens.append(m)
        at = m.end()
        if m.lastgroup == "last":
            break
        gap = _GAP.match(text, at)
        if gap:
            at = gap.end()
        elif m.lastgroup != "initial":  # only an initial's dot may be glued to the next word
            break
    while tokens and tokens[-1].lastgroup in ("initial", "letter"):
        tokens.pop()  # a name does not end with an initial ("Ketua PPK A." is no name)
    return tokens


def looks_like_name(tokens: list[str]) -> bool:
    """A personal name has at least one real word: not a particle, not an acronym, not an institution word."""
    particles = name_particles()
    for t in tokens:
        plain = t.strip(".")
        if len(plain) >= 3 and not plain.isupper() and plain not in particles and not is_not_name_word(plain):
            return True
    return False


def _printed_name(tokens: list[re.Match[str]]) -> str:
    name = " ".join(t.group(0).replace(" ", "").replace("\t", "") for t in tokens)
    name = re.sub(r"(?<=\.)(?=[A-Z][a-z])", " ", name)  # "M.Fadlan" -> "M. Fadlan"
    if name.replace(".", "").replace(" ", "").isupper():
        name = name.title()
    return name


def read_name(text: str, pos: int) -> NameParts | None:
    """Ranks, honorifics, a capitalised name run and trailing degrees starting at `pos`."""
    at = pos
    ranks: list[str] = []
    honorifics: list[str] = []
    while True:
        r = _RANK_RE.match(text, at)
        if r and not honorifics:
            ranks.append(r.group(0).strip())
            at = r.end()
            continue
        h = _HON_RE.match(text, at)
        if h:
            honorifics.append(h.group(0).strip())
            at = h.end()
            continue
        break
    tokens = _tokens_from(text, at)
    if not tokens or not looks_like_name([t.group(0) for t in tokens]):
        return None
    if all(t.group(0).isupper() for t in tokens) and not ranks and not honorifics and len(tokens) < 2:
        return None  # a lone all-caps word is an acronym, not a name
    name_start, name_end = tokens[0].start(), tokens[-1].end()
    end = name_end
    degrees: list[str] = []
    while True:
        d = _DEG_RE.match(text, end)
        if not d or not _AFTER_DEGREE.match(text, d.end()) and text[d.end() : d.end() + 1] not in ",. \n":
            break
        degrees.append(d.group(1).strip())
        end = d.end()
    return NameParts(pos, end, _printed_name(tokens), name_start, name_end, honorifics, degrees, ranks)


_CLAUSE_BREAK = re.compile(r"(?:[.!?:;(\"“]\s|\n|^)(?=[^\n]*$)")
_WORD_START = re.compile(r"(?<![\w.])[A-Z]")
_TRAILING_COMMA = re.compile(r"[ \t]*,?[ \t]*$")


def read_name_backwards(text: str, end: int, floor: int = 0) -> NameParts | None:
    """The name (with rank, honorifics, degrees) that ends right before `end`, after an optional comma.

    For "NAME selaku ..." and "NAME, S.H., Kepala ...": the earliest start in the clause, at or after
    `floor`, from which a name reads up to `end` (so the rank and honorifics are kept).
    """
    base = max(floor, end - 160)
    head = text[base:end]
    cut = max((m.end() for m in re.finditer(r"[.!?:;(\"“](?=\s)|\n", head)), default=0)
    tail = _TRAILING_COMMA.search(head)
    stop = base + (tail.start() if tail else len(head))
    for w in _WORD_START.finditer(text, base + cut, stop):
        found = read_name(text, w.start())
        if found and found.end == stop:
            return found
    return None
