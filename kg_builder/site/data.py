"""The store read once, in bulk, into Python indexes the page builders look things up in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..engines import Engine, Term

__all__ = ["Quote", "SiteData", "fetch"]

EGKG = "https://w3id.org/egkg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SOURCE_GRAPH = "https://w3id.org/egkg/id/graph/source/"
SOURCE = "https://w3id.org/egkg/id/source/"
QUERIES = Path(__file__).parent / "queries"


@dataclass(frozen=True, order=True)
class Quote:
    """One evidence quote: its source, its place in the archived text and its words."""

    source: str
    start: int
    end: int
    text: str

    @property
    def anchor(self) -> str:
        """The element id of the quote on its source page (offsets are integers: always a safe id)."""
        return f"q-{self.start}-{self.end}"


@dataclass
class SiteData:
    """Statements by subject and by object, evidence by fact, and vocabulary labels."""

    # subject -> predicate -> [Term]: everything facts.rq returned.
    out: dict[str, dict[str, list[Term]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # object IRI -> predicate -> [subject]: the same statements read backwards.
    into: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    quotes: dict[str, list[Quote]] = field(default_factory=lambda: defaultdict(list))  # fact -> quotes
    by_source: dict[str, list[tuple[Quote, str]]] = field(default_factory=lambda: defaultdict(list))  # source -> (quote, fact)
    vocab: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # term -> lang -> label
    # meeting -> predicate -> source -> {values}: each source graph's own claims.
    claims: dict[str, dict[str, dict[str, set[str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(set))))
    # iri -> label(iri): a name is shown on every page that links to it. Filled as pages ask,
    # once fetch() is done.
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    def values(self, subject: str, predicate: str) -> list[str]:
        """Distinct lexical values (IRIs or literals) of `predicate` on `subject`, sorted."""
        return sorted({t.value for t in self.out.get(subject, {}).get(predicate, ())})

    def value(self, subject: str, predicate: str) -> str:
        """One value (the least, so the choice never depends on engine order), or ""."""
        found = self.values(subject, predicate)
        return found[0] if found else ""

    def subjects(self, predicate: str, obj: str) -> list[str]:
        """Distinct subjects with `predicate` pointing at `obj`, sorted."""
        return sorted(set(self.into.get(obj, {}).get(predicate, ())))

    def types(self, subject: str) -> set[str]:
        """Local names of the egkg classes of `subject`."""
        return {t.removeprefix(EGKG) for t in self.values(subject, RDF_TYPE) if t.startswith(EGKG)}

    def label(self, iri: str) -> str:
        """rdfs:label, Indonesian or untagged first; the vocabulary's label; else the IRI's last segment."""
        found = self.labels.get(iri)
        if found is None:
            found = self.labels[iri] = self._label(iri)
        return found

    def _label(self, iri: str) -> str:
        terms = self.out.get(iri, {}).get(RDFS_LABEL, ())
        for wanted in ("id", None, "en"):
            found = sorted(t.value for t in terms if t.language == wanted)
            if found:
                return found[0]
        return self.vocab.get(iri, {}).get("id") or iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def term(self, iri: str, lang: str) -> str:
        """A vocabulary term's label in `lang` (id or en), falling back to the other language."""
        labels = self.vocab.get(iri, {})
        return labels.get(lang) or labels.get("id") or labels.get("en") or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    def sources_of(self, fact: str) -> list[str]:
        return sorted({q.source for q in self.quotes.get(fact, ())})


def _query(name: str) -> str:
    return (QUERIES / name).read_text(encoding="utf-8")


def fetch(engine: Engine) -> SiteData:
    """Run the site's four queries and index their rows; each row is touched once (linear in the graph)."""
    data = SiteData()
    for s, p, o in engine.select(_query("facts.rq")).rows:
        data.out[s.value][p.value].append(o)
        if o.kind == "iri":
            data.into[o.value][p.value].append(s.value)
    for row in engine.select(_query("evidence.rq")).as_dicts():
        quote = Quote(row["source"], int(row["start"]), int(row["end"]), row["quote"])
        data.quotes[row["fact"]].append(quote)
        data.by_source[row["source"]].append((quote, row["fact"]))
    for quotes in data.quotes.values():
        quotes.sort()
    for row in engine.select(_query("vocabulary.rq")).as_dicts():
        # Several labels per language (rdfs:label and a second one) stay deterministic: keep the least.
        current = data.vocab[row["term"]].get(row["lang"])
        if current is None or row["label"] < current:
            data.vocab[row["term"]][row["lang"]] = row["label"]
    for row in engine.select(_query("meeting-claims.rq")).as_dicts():
        if row["graph"].startswith(SOURCE_GRAPH):
            source = SOURCE + row["graph"][len(SOURCE_GRAPH):]
            data.claims[row["meeting"]][row["p"]][source].add(row["o"])
    return data
