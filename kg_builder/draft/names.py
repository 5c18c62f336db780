"""Personal names: capitalised name runs, honorifics, academic degrees and police/military ranks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .knowledge import degree_pattern, honorific_pattern, rank_pattern

__all__ = ["NameParts", "read_name", "read_name_backwards", "STOPWORDS"]

# Ranks, honorifics and degrees are listed in knowledge/names.yaml.
_RANK = rank_pattern()
_HONORIFIC = honorific_pattern()
_DEGREE = degree_pattern()
_TOKEN = r"(?:[A-Z][a-z]+(?:['’-][A-Za-z]+)?|[A-Z]{3,})"
_RANK_RE = re.compile(_RANK + r"[ \t]+")
_HON_RE = re.compile(_HONORIFIC + r"[ \t]+")
_DEG_RE = re.compile(r"[ \t]*,?[ \t]*(" + _DEGREE + r")")
# Patterns matched at a position of the whole text (`pattern.match(text, pos)`), never on a slice
# `text[pos:]`: a slice copies the rest of the article, once per name, which is quadratic on a long page.
_GAP = re.compile(r"[ \t]+")
_AFTER_DEGREE = re.compile(r"(?:[ \t]*,|[ \t]*$|[ \t]+[a-z,.(]|\.)")
_TOKEN_RE = re.compile(_TOKEN + r"(?![\w.])|" + _TOKEN + r"(?=\.(?:\s|$))")

STOPWORDS = {w.lower() for w in """
Ketua Wakil Anggota Komisioner Gubernur Bupati Walikota Wali Kota Kapolda Kapolres Kapolresta Kapolsek Pangdam
Danrem Dandim Danramil Kajati Kajari Kasi Pidum Camat Kepala Kaban Sekretaris Sekda Sesprov Sekdaprov Pabung
Asintel Wakapolres Wakapolda Kasat Kabag Kadis Kasdim Kapten Staf Direktur Menteri Presiden Penjabat Pejabat
Pelaksana Sementara Harian Tugas Pjs Plh Plt Divisi Panitia Tim Ketum Sekjen Camat Lurah Kades
KPU KPUD Bawaslu Panwaslu DKPP Komisi Pemilihan Umum Pemerintah Pemprov Pemkab Pemkot Pemda Kabupaten Provinsi
Daerah Dinas Badan Forkopimda Forum DPR DPRD DPD RI TNI Polri Polres Polda Polsek Kodim Korem Kodam Koramil
Kejaksaan Kejati Kejari Negeri Tinggi Rapat Koordinasi Rakor Pilkada Pemilu Hotel Kantor Ruang Aula Pendopo
Gedung Balai Kesbangpol OPD PPK PPS KPPS Pantarlih ASN Republik Indonesia Negara Kesatuan Bangsa Politik
Dalam Sementara Kemudian Selain Pada Di Dan Yang Hadir Turut Saat Menurut Ia Beliau Sedangkan Adapun
Senin Selasa Rabu Kamis Jumat Sabtu Minggu Januari Februari Maret April Mei Juni Juli Agustus September
Oktober November Nopember Desember Tahun Nomor Selaku Oleh Para Seluruh Unsur Serta Bersama Dengan Untuk
Sebagai Hal Kegiatan Acara Arahan Sambutan Menurut Namun Bahkan Juga Kami Kita Mereka Saya Ini Itu Tersebut
Pj Pjs Provinsi Prov Kab Kec Desa Kelurahan Kecamatan Sultra Kaltim Sumbar Se Sekretariat Kepolisian Tentara
""".split()}


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


def _tokens_from(text: str, pos: int, limit: int = 5) -> tuple[list[re.Match[str]], int]:
    tokens: list[re.Match[str]] = []
    at = pos
    while len(tokens) < limit:
        m = _TOKEN_RE.match(text, at)
        if not m or m.group(0).lower() in STOPWORDS:
            break
        tokens.append(m)
        at = m.end()
        gap = _GAP.match(text, at)
        if not gap:
            break
        at = gap.end()
    return tokens, at


def read_name(text: str, pos: int) -> NameParts | None:
    """Ranks, honorifics, a capitalised name run and trailing degrees starting at `pos`."""
    at = pos
    ranks: list[str] = []
    honorifics: list[str] = []
    while True:
        r = _RANK_RE.match(text, at)
        if r:
            ranks.append(r.group(0).strip())
            at = r.end()
            continue
        h = _HON_RE.match(text, at)
        if h:
            honorifics.append(h.group(0).strip())
            at = h.end()
            continue
        break
    tokens, _ = _tokens_from(text, at)
    if not tokens:
        return None
    if all(t.group(0).isupper() for t in tokens) and not ranks and not honorifics:
        if len(tokens) < 2:
            return None  # a lone all-caps word is an acronym, not a name
    name_start, name_end = tokens[0].start(), tokens[-1].end()
    end = name_end
    degrees: list[str] = []
    while True:
        d = _DEG_RE.match(text, end)
        if not d or not _AFTER_DEGREE.match(text, d.end()) and not text[d.end():d.end()+1] in ",. \n":
            break
        degrees.append(d.group(1).strip())
        end = d.end()
    name = " ".join(t.group(0) for t in tokens)
    if name.isupper():
        name = name.title()
    return NameParts(pos, end, name, name_start, name_end, honorifics, degrees, ranks)


def read_name_backwards(text: str, end: int) -> NameParts | None:
    """The capitalised name run that ends right before `end` (for "NAME selaku ...")."""
    head = text[max(0, end - 80) : end]
    m = re.search(r"((?:" + _TOKEN + r")(?:[ \t]+" + _TOKEN + r"){0,4})[ \t]*,?[ \t]*$", head)
    if not m:
        return None
    words = m.group(1).split()
    while words and words[0].lower() in STOPWORDS:
        words.pop(0)
    if not words or any(w.lower() in STOPWORDS for w in words):
        return None
    base = max(0, end - 80)
    start = base + m.start(1) + m.group(1).index(words[0]) if len(words) < len(m.group(1).split()) else base + m.start(1)
    start = base + m.group(0).rfind(" ".join(words)) + m.start() if " ".join(words) in m.group(0) else start
    stop = start + len(" ".join(words))
    if text[start:stop] != " ".join(words):
        return None
    return NameParts(start, stop, " ".join(words), start, stop)
