"""Entity resolution: probable duplicate persons and organisations, and the curator's decisions."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from .errors import InputError
from .load.models import RecordFile
from .outputs.export import write_atomically

__all__ = ["Candidate", "Decisions", "Mention", "candidates", "load_decisions", "mentions", "normalise", "save_decision"]

DECISIONS_FILE = "resolutions.yaml"
PERSON_THRESHOLD = 80.0  # measured: variants score 84-100, distinct officials of the articles at most 55
ORG_THRESHOLD = 90.0  # organisation names share long stems ("Komisi Pemilihan Umum Kabupaten ...")
# Titles, degrees and ranks that say nothing about who a person is (letters of "S.I.K." go as
# single letters).
_NOISE = frozenset("""
    drs dra dr ir prof hj hc komjen irjen brigjen kombes akbp kompol akp iptu ipda aiptu bripka pol purn
    jenderal mayjen kolonel letkol mayor kapten lettu letda marsekal laksamana si sik mh msi sh se st mm
    mpd msc phd ssos sip sstp mt mag mkes skm spd ma mba
""".split())


def normalise(name: str) -> str:
    """Lower case, no titles, degrees, ranks or punctuation, single spaces."""
    tokens = re.sub(r"[^\w\s]", " ", name.lower()).split()
    return " ".join(t for t in tokens if len(t) > 1 and t not in _NOISE)


@dataclass(frozen=True)
class Mention:
    """A name under which a person or organisation appears in a record file."""

    ref: str
    name: str
    kind: str  # "name" or the alias kind
    file: str
    posts: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    org_type: str = ""


@dataclass(frozen=True)
class Candidate:
    """Two mentions that probably name the same thing, with the score and the reasons."""

    a: Mention
    b: Mention
    score: float
    reasons: tuple[str, ...]
    status: str  # "curated alias", "decided same", "decided different", "proposed"


@dataclass
class Decisions:
    """Curator decisions kept in data/resolutions.yaml, which the build honours."""

    same: list[tuple[str, str]] = field(default_factory=list)
    different: list[tuple[str, str]] = field(default_factory=list)

    def canonical(self) -> dict[str, str]:
        """Every merged ref -> the ref that stands for the group (the first named)."""
        parent: dict[str, str] = {}

        def find(ref: str) -> str:
            while parent.get(ref, ref) != ref:
                ref = parent[ref]
            return ref

        for a, b in self.same:
            root_a, root_b = find(a), find(b)
            if root_a != root_b:
                parent[root_b] = root_a
        return {ref: find(ref) for ref in parent}

    def status(self, a: str, b: str) -> str | None:
        pair = {a, b}
        if any({x, y} == pair for x, y in self.same):
            return "decided same"
        if any({x, y} == pair for x, y in self.different):
            return "decided different"
        return None


def load_decisions(data_dir: Path) -> Decisions:
    """Read data/resolutions.yaml (absent means no decisions yet)."""
    path = data_dir / DECISIONS_FILE
    if not path.is_file():
        return Decisions()
    shown = f"{data_dir.name}/{DECISIONS_FILE}"  # as a curator names it, like record files
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {' '.join(str(exc).split())}", file=shown) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 at byte {exc.start}; save the file as UTF-8", file=shown) from None
    if not isinstance(raw, dict):
        raise InputError("resolutions.yaml is a mapping with 'same' and 'different' lists of [ref, ref] pairs", file=shown)
    path = shown
    decisions = Decisions()
    for key in ("same", "different"):
        for index, pair in enumerate(raw.get(key) or []):
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(r, str) for r in pair)):
                raise InputError("each decision is a pair [ref, ref]", file=path, field=f"{key}[{index}]")
            a, b = pair
            if a.split("/", 1)[0] != b.split("/", 1)[0] or a.split("/", 1)[0] not in ("person", "org"):
                raise InputError(f"{a} and {b}: decide persons with persons, orgs with orgs", file=path, field=f"{key}[{index}]")
            getattr(decisions, key).append((a, b))
    clash = {frozenset(p) for p in decisions.same} & {frozenset(p) for p in decisions.different}
    if clash:
        raise InputError(f"decided both same and different: {sorted(sorted(p) for p in clash)}", file=path)
    return decisions


def save_decision(data_dir: Path, verdict: str, a: str, b: str) -> None:
    """Add one decision to data/resolutions.yaml (written atomically)."""
    decisions = load_decisions(data_dir)
    pairs = getattr(decisions, verdict)
    if (a, b) not in pairs and (b, a) not in pairs:
        pairs.append((a, b))
    document = {"same": [list(p) for p in decisions.same], "different": [list(p) for p in decisions.different]}
    header = "# Curator decisions on probable duplicates (`egkg resolve --same/--different A B`); the build merges `same`.\n"
    write_atomically(data_dir / DECISIONS_FILE, (header + yaml.safe_dump(document, sort_keys=True, allow_unicode=True)).encode())


def mentions(records: list[tuple[str, RecordFile]]) -> list[Mention]:
    """Every person and organisation name (canonical and aliases) in the given record files."""
    found = []
    for display, record in records:
        for person in record.persons:
            ref = f"person/{person.id}"
            posts = frozenset(h.post for h in record.holdings if h.holder == ref)
            regions = frozenset(p.region for p in record.posts if f"post/{p.id}" in posts and p.region)
            found.append(Mention(ref, person.name, "name", display, posts, regions))
            found += [Mention(ref, alias.name, alias.kind, display, posts, regions) for alias in person.aliases]
        for org in record.organizations:
            ref = f"org/{org.id}"
            regions = frozenset([org.region] if org.region else [])
            for name in (org.name, *org.acronyms):
                found.append(Mention(ref, name, "name", display, regions=regions, org_type=org.type))
    return found


def _score(a: Mention, b: Mention) -> tuple[float, list[str]]:
    left, right = normalise(a.name), normalise(b.name)
    if not left or not right:
        return 0.0, []
    score = max(fuzz.token_sort_ratio(left, right), fuzz.ratio(left.replace(" ", ""), right.replace(" ", "")))
    reasons = [f"names {a.name!r} ~ {b.name!r} ({score:.0f})"]
    tokens_a, tokens_b = set(left.split()), set(right.split())
    if a.ref.startswith("org/"):
        # Institution names share long stems; what tells them apart is the words they do not share.
        rest_a, rest_b = " ".join(sorted(tokens_a - tokens_b)), " ".join(sorted(tokens_b - tokens_a))
        if rest_a and rest_b and fuzz.ratio(rest_a, rest_b) < 80:
            return 0.0, []
    if a.ref.startswith("person/") and (tokens_a < tokens_b or tokens_b < tokens_a) and a.file == b.file:
        score = max(score, 90.0)
        reasons.append("one name is part of the other, in the same article")
    if a.posts & b.posts:
        reasons.append("same post: " + ", ".join(sorted(a.posts & b.posts)))
        score = min(100.0, score + 5)
    if a.regions & b.regions:
        reasons.append("same region: " + ", ".join(sorted(a.regions & b.regions)))
    return score, reasons


def candidates(found: list[Mention], decisions: Decisions | None = None) -> list[Candidate]:
    """Pairs of mentions that probably name the same person or organisation, best first."""
    decisions = decisions or Decisions()
    best: dict[tuple[str, str, str, str], Candidate] = {}
    by_kind: dict[str, list[Mention]] = {}
    for mention in found:
        by_kind.setdefault(mention.ref.split("/", 1)[0], []).append(mention)
    for kind, group in by_kind.items():
        for a, b in itertools.combinations(sorted(group, key=lambda m: (m.ref, m.name, m.file)), 2):
            if a.name == b.name and a.ref == b.ref:
                continue
            if kind == "org" and (a.org_type != b.org_type or (a.regions and b.regions and not a.regions & b.regions)):
                continue
            score, reasons = _score(a, b)
            if score < (PERSON_THRESHOLD if kind == "person" else ORG_THRESHOLD):
                continue
            if a.ref == b.ref:
                status = "curated alias"
            else:
                status = decisions.status(a.ref, b.ref) or "proposed"
            key = (a.ref, a.name.lower(), b.ref, b.name.lower())
            if key not in best or best[key].score < score:
                best[key] = Candidate(a, b, score, tuple(reasons), status)
    return sorted(best.values(), key=lambda c: (-c.score, c.a.ref, c.b.ref, c.a.name, c.b.name))


def already_known(draft_mentions: list[Mention], known_mentions: list[Mention]) -> list[tuple[Mention, Mention]]:
    """Draft mentions whose id the records already have (one pair per draft id): the draft reuses a known entity."""
    by_ref: dict[str, Mention] = {}
    for mention in known_mentions:
        if mention.kind == "name":
            by_ref.setdefault(mention.ref, mention)
    pairs: dict[str, tuple[Mention, Mention]] = {}
    for mention in draft_mentions:
        if mention.ref in by_ref and mention.ref not in pairs:
            pairs[mention.ref] = (mention, by_ref[mention.ref])
    return [pairs[ref] for ref in sorted(pairs)]


def check_known_refs(refs: tuple[str, ...], records: list[tuple[str, RecordFile]], option: str) -> None:
    """Refuse a decision naming an id that no record file has: the next build would fail on it."""
    known = {m.ref for m in mentions(records)}
    for ref in refs:
        if ref not in known:
            raise InputError(f"unknown reference {ref!r}: no record file has this id; check the spelling "
                             "(egkg resolve lists the known ones)", field=option)
