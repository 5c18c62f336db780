"""Institutions named in the text: governments, election bodies, police, military, prosecution, forums."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .regions import gazetteer
from .spans import finditer

__all__ = ["InstitutionMention", "find_institutions", "ORG_KINDS"]

# kind -> (organisation type, name stem, acronym stem, fixed level or None)
ORG_KINDS: dict[str, tuple[str, str, str, str | None]] = {
    "pemprov": ("RegionalGovernment", "Pemerintah Provinsi", "Pemprov", "province"),
    "pemkab": ("RegionalGovernment", "Pemerintah Kabupaten", "Pemkab", "regency"),
    "pemkot": ("RegionalGovernment", "Pemerintah Kota", "Pemkot", "regency"),
    "pemda": ("RegionalGovernment", "Pemerintah Daerah", "Pemda", None),
    "kpu": ("ElectionCommission", "Komisi Pemilihan Umum", "KPU", None),
    "bawaslu": ("ElectionSupervisor", "Badan Pengawas Pemilihan Umum", "Bawaslu", None),
    "dprd": ("Legislature", "Dewan Perwakilan Rakyat Daerah", "DPRD", None),
    "dpr": ("Legislature", "Dewan Perwakilan Rakyat Republik Indonesia", "DPR RI", "national"),
    "forkopimda": ("Forum", "Forum Koordinasi Pimpinan Daerah", "Forkopimda", None),
    "kesbangpol": ("GovernmentAgency", "Badan Kesatuan Bangsa dan Politik", "Kesbangpol", None),
    "disdukcapil": ("GovernmentAgency", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", None),
    "opd": ("GovernmentAgency", "Organisasi Perangkat Daerah", "OPD", None),
    "tni": ("Military", "Tentara Nasional Indonesia", "TNI", "national"),
    "polri": ("Police", "Kepolisian Negara Republik Indonesia", "Polri", "national"),
    "polda": ("Police", "Kepolisian Daerah", "Polda", "province"),
    "polres": ("Police", "Kepolisian Resor", "Polres", "regency"),
    "polsek": ("Police", "Kepolisian Sektor", "Polsek", "district"),
    "kodam": ("Military", "Komando Daerah Militer", "Kodam", "province"),
    "korem": ("Military", "Komando Resor Militer", "Korem", "province"),
    "kodim": ("Military", "Komando Distrik Militer", "Kodim", "regency"),
    "koramil": ("Military", "Komando Rayon Militer", "Koramil", "district"),
    "kejati": ("Prosecution", "Kejaksaan Tinggi", "Kejati", "province"),
    "kejari": ("Prosecution", "Kejaksaan Negeri", "Kejari", "regency"),
    "kejaksaan": ("Prosecution", "Kejaksaan", "Kejaksaan", None),
    "kecamatan": ("RegionalGovernment", "Kecamatan", "Kecamatan", "district"),
    "tim": ("AdHocBody", "Tim", "Tim", None),
}
_PATTERNS: list[tuple[str, str]] = [
    ("pemprov", r"Pemerintah[ \t]+Provinsi|Pemeritah[ \t]+Provinsi|Pemprov"),
    ("pemkab", r"Pemerintah[ \t]+Kabupaten|Pemkab"),
    ("pemkot", r"Pemerintah[ \t]+Kota|Pemkot"),
    ("kpu", r"(?:Komisi[ \t]+Pemilihan[ \t]+Umum(?:[ \t]*\(KPU\))?|KPUD?)"),
    ("bawaslu", r"(?:Badan[ \t]+Pengawas[ \t]+Pemilihan[ \t]+Umum(?:[ \t]*\(Bawaslu\))?|Bawaslu)"),
    ("dprd", r"DPRD"),
    ("dpr", r"(?:Komisi[ \t]+[IVX]+[ \t]+)?DPR[ \t]+RI"),
    ("forkopimda", r"(?:Forum[ \t]+Koordinasi[ \t]+Pimpinan[ \t]+Daerah(?:[ \t]*\(Forkopimda\))?|Forkopimda)"),
    ("kesbangpol", r"(?:Badan[ \t]+)?(?:Kesatuan[ \t]+Bangsa[ \t]+dan[ \t]+Politik(?:[ \t]*\(Kesbangpol\))?|Kesbangpol)"),
    ("disdukcapil", r"Disdukcapil|Dinas[ \t]+Kependudukan[ \t]+dan[ \t]+Pencatatan[ \t]+Sipil"),
    ("tni", r"TNI"),
    ("polri", r"Polri|POLRI|KEPOLISIAN"),
    ("polda", r"Polda"), ("polres", r"Polresta|Polres"), ("polsek", r"Polsek"),
    ("kodim", r"Kodim"), ("korem", r"Korem"), ("kodam", r"Kodam"),
    ("kejati", r"Kejati|Kejaksaan[ \t]+Tinggi"), ("kejari", r"Kejari|Kejaksaan[ \t]+Negeri"), ("kejaksaan", r"Kejaksaan"),
]
_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{p})" for k, p in _PATTERNS) + r")(?![\w])")
_LEVEL = re.compile(r"[ \t]+(?P<lvl>Provinsi|Prov\.|Kabupaten|Kab\.|Kota|RI)(?![\w])")


@dataclass
class InstitutionMention:
    """An institution at [start, end) of kind `kind`, with level and region when printed."""

    start: int
    end: int
    kind: str
    level: str | None
    region: str | None
    confidence: float = 0.7


def find_institutions(text: str) -> list[InstitutionMention]:
    found = []
    for m in finditer(_RE, text):
        kind = m.lastgroup or ""
        otype, _, _, level = ORG_KINDS[kind]
        at, region = m.end(), None
        lvl = _LEVEL.match(text, at)
        prefix = None
        if lvl:
            prefix = lvl.group("lvl")
            at = lvl.end()
            if prefix == "RI":
                level = "national"
        hit = gazetteer().match_at(text, at + 1) if re.match(r"[ \t]", text[at : at + 1]) else None
        if hit is None and lvl and prefix != "RI":
            hit = gazetteer().match_at(text, lvl.start() + 1)
        if hit:
            region, at = hit.code, max(at, hit.end)
            level = level or ("province" if hit.kind == "Province" else "regency")
        elif prefix and prefix != "RI":
            level = "province" if prefix.startswith("Prov") else "regency"
        conf = 0.8 if (region or level == "national") else 0.5
        found.append(InstitutionMention(m.start(), at, kind, level, region, conf))
    return found
