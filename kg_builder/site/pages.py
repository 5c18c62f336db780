"""What each page shows: plain dicts and lists built from SiteData, for the templates to render."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from markupsafe import Markup

from .data import EGKG, RDFS_LABEL, SKOS_ALT, SiteData
from .graphics import Node, ego_network
from .paths import ID, PAGE_KINDS, link_between, page_path

__all__ = ["Page", "Pages"]

ELI_AMENDS = "http://data.europa.eu/eli/ontology#amends"
ORG_SUB = "http://www.w3.org/ns/org#subOrganizationOf"
ACTING = {"Pj", "Pjs", "Plh", "Plt"}
EGO_PARTNERS = 16  # more names than this on one circle stop being readable; the list below has all
E = EGKG  # short: E + "holder"


@dataclass
class Page:
    """One page being assembled: its path, and the sources its facts cite, numbered on first use."""

    path: str
    data: SiteData
    # The IRIs that get a page: links go only there, so none can break. Pages passes a dict of
    # IRI -> page path, so the path of an IRI linked from thousands of pages is worked out once.
    published: Collection[str]
    sources: dict[str, int] = field(default_factory=dict)

    def page_of(self, iri: str) -> str | None:
        """The site path of `iri`'s page, or None when it gets none."""
        if iri not in self.published:
            return None
        return self.published[iri] if isinstance(self.published, dict) else page_path(iri)

    def href(self, iri: str) -> str | None:
        target = self.page_of(iri)
        return link_between(self.path, target) if target else None

    def ref(self, iri: str) -> dict[str, str | None]:
        """An entity as a link to its page (or plain text when it has none)."""
        return {"text": self.data.label(iri), "href": self.href(iri), "iri": iri}

    def term(self, iri: str) -> dict[str, str]:
        """A vocabulary term as its Indonesian and English labels."""
        return {"id": self.data.term(iri, "id"), "en": self.data.term(iri, "en"), "code": iri.rsplit("/", 1)[-1]}

    def evidence(self, *facts: str) -> dict:
        """The quotes behind `facts` as links into their source pages, and whether one source is all."""
        quotes = sorted({q for fact in facts for q in self.data.quotes.get(fact, ())})
        per_source = Counter(q.source for q in quotes)
        seen: Counter[str] = Counter()
        cited = []
        for quote in quotes:
            number = self.sources.setdefault(quote.source, len(self.sources) + 1)
            # Several quotes from one source read [1a] [1b]: two links both labelled [1] look like a
            # mistake and give no hint that they open different sentences.
            label = str(number) + (_letter(seen[quote.source]) if per_source[quote.source] > 1 else "")
            seen[quote.source] += 1
            source_page = self.page_of(quote.source)
            cited.append({"n": number, "label": label, "text": quote.text,
                          "href": f"{link_between(self.path, source_page)}#{quote.anchor}" if source_page else None})
        return {"quotes": cited, "sources": len(per_source)}

    def source_list(self) -> list[dict]:
        """The sources cited on the page in citation order, each flagged when it is paid content."""
        return [{"n": n, **self.ref(iri), "advertorial": self.data.value(iri, E + "advertorial") == "true",
                 "published": self.data.value(iri, E + "datePublished")}
                for iri, n in sorted(self.sources.items(), key=lambda item: item[1])]


def _kind(iri: str) -> str:
    return iri[len(ID):].partition("/")[0] if iri.startswith(ID) else "other"


def _timeline(holdings: list[dict], participations: list[dict]) -> list[dict]:
    """Posts (from their first attestation) and meetings on one date-ordered list."""
    events = [{"date": h["first"], "until": h["last"] if h["last"] != h["first"] else "", "kind": "post",
               "what": h["post"], "badges": h["kinds"], "acting": h["acting"]} for h in holdings if h["first"]]
    events += [{"date": r["date"], "until": "", "kind": "meeting", "what": [r["meeting"]], "badges": r["roles"],
                "acting": False} for r in participations if r["date"]]
    return sorted(events, key=lambda e: (e["date"], e["kind"] != "post", [w["text"] for w in e["what"]]))


def _letter(index: int) -> str:
    """a, b, ..., z, then aa, ab, ...: a fact may rest on any number of quotes from one article."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def safe_url(url: str) -> str | None:
    """`url` if it is an http(s) URL with a host, else None: nothing else is ever made a link."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url) else None


class Pages:
    """Builds the context of every page kind from one SiteData."""

    def __init__(self, data: SiteData):
        self.data = data
        self.participations_of: dict[str, list[str]] = defaultdict(list)  # party or institution -> participations
        self.meetings_of: dict[str, set[str]] = defaultdict(set)  # party -> meetings
        for participation in data.subjects(RDF_TYPE_, E + "Participation"):
            meeting = data.value(participation, E + "meeting")
            for who in {*data.values(participation, E + "participant"), *data.values(participation, E + "institution")}:
                self.participations_of[who].append(participation)
            for party in data.values(participation, E + "participant"):
                self.meetings_of[party].add(meeting)
        self.parties_at: dict[str, set[str]] = defaultdict(set)  # meeting -> parties
        for party, meetings in self.meetings_of.items():
            for meeting in meetings:
                self.parties_at[meeting].add(party)
        self.published = {iri: page_path(iri) for kind in PAGE_KINDS for iri in self.entities(kind)}
        self._supported: dict[str, list[str]] = {}  # fact -> the published pages it appears on, sorted

    def new_page(self, iri: str) -> Page:
        return Page(page_path(iri), self.data, self.published)

    def entities(self, kind: str) -> list[str]:
        """Every IRI of a page kind that the graph describes (has a label), sorted."""
        prefix = f"{ID}{kind}/"
        found = sorted(s for s in self.data.out if s.startswith(prefix) and RDFS_LABEL in self.data.out[s] and page_path(s))
        return [s for s in found if s in self.used_regions] if kind == "region" else found

    # --- pieces shared by several kinds -------------------------------------------------------

    def _participation(self, page: Page, participation: str) -> dict:
        d = self.data
        meeting = d.value(participation, E + "meeting")
        return {
            "meeting": page.ref(meeting), "date": d.value(meeting, E + "startDate"),
            "party": [page.ref(p) for p in d.values(participation, E + "participant")],
            "roles": [page.term(r) for r in d.values(participation, E + "role")],
            "capacity": [page.ref(p) for p in d.values(participation, E + "inCapacityOf")],
            "institution": [page.ref(i) for i in d.values(participation, E + "institution")],
            "represents": [page.ref(r) for r in d.values(participation, E + "represents")],
            "kind": [page.term(k) for k in d.values(participation, E + "appointmentKind")],
            "evidence": page.evidence(participation),
        }

    def _holding(self, page: Page, holding: str) -> dict:
        d = self.data
        kinds = [page.term(k) for k in d.values(holding, E + "appointmentKind")]
        replaced = [h for p in ("replaces", "temporarilyReplaces") for h in d.values(holding, E + p)]
        return {
            "holder": [page.ref(h) for h in d.values(holding, E + "holder")],
            "post": [page.ref(p) for p in d.values(holding, E + "post")],
            "kinds": kinds, "acting": any(k["code"] in ACTING for k in kinds),
            "first": d.value(holding, E + "firstAttested") or d.value(holding, E + "attestedOn"),
            "last": d.value(holding, E + "lastAttested") or d.value(holding, E + "attestedOn"),
            "portfolio": d.values(holding, E + "portfolio"),
            "replaces": [page.ref(h) for r in replaced for h in d.values(r, E + "holder")],
            "evidence": page.evidence(holding),
        }

    def _meetings(self, page: Page, meetings: set[str]) -> list[dict]:
        # Ordered before their evidence is read: a page numbers its sources on first use, so a set's
        # order (which changes with Python's hash seed) would renumber them from run to run.
        dated = sorted((self.data.value(m, E + "startDate"), m) for m in meetings)
        return [{"meeting": page.ref(m), "date": date, "evidence": page.evidence(m)} for date, m in dated]

    def _participations(self, page: Page, who: str) -> list[dict]:
        rows = [self._participation(page, p) for p in sorted(set(self.participations_of.get(who, ())))]
        return sorted(rows, key=lambda r: (r["date"], r["meeting"]["iri"]))

    def _region(self, page: Page, subject: str, predicate: str) -> list[dict]:
        return [page.ref(r) for r in self.data.values(subject, predicate)]

    # --- page kinds ---------------------------------------------------------------------------

    def person(self, iri: str, page: Page) -> dict:
        d = self.data
        variants = [{"name": d.value(v, E + "variantName"), "kind": page.term(d.value(v, E + "variantKind")),
                     "evidence": page.evidence(v)} for v in d.values(iri, E + "hasNameVariant")]
        holdings = sorted((self._holding(page, h) for h in d.subjects(E + "holder", iri)),
                          key=lambda h: (h["first"], h["post"][0]["text"] if h["post"] else ""))
        shared = Counter()
        for meeting in self.meetings_of.get(iri, ()):
            shared.update(p for p in self.parties_at[meeting] if p != iri)
        ranked = sorted(shared.items(), key=lambda i: (-i[1], i[0]))
        partners = [{"party": page.ref(p), "count": n} for p, n in ranked]
        participations = self._participations(page, iri)
        return {
            "ego": self._ego(page, iri, ranked[:EGO_PARTNERS]) if ranked else None,
            "timeline": _timeline(holdings, participations),
            "name": d.label(iri), "evidence": page.evidence(iri),
            "printed": d.values(iri, E + "printedName"), "rank": d.values(iri, E + "rank"),
            "honorifics": d.values(iri, E + "honorificPrefix"), "degrees": d.values(iri, E + "academicDegree"),
            "variants": variants, "holdings": holdings, "participations": participations,
            "partners": partners[:50],
        }

    def _ego(self, page: Page, iri: str, ranked: list[tuple[str, int]]) -> Markup:
        """The person and their most frequent co-participants, with the meetings the partners share."""
        index = {party: i for i, (party, _) in enumerate(ranked)}
        ties: Counter[tuple[int, int]] = Counter()
        for meeting in self.meetings_of.get(iri, ()):
            present = sorted(index[p] for p in self.parties_at[meeting] if p in index)
            ties.update((a, b) for n, a in enumerate(present) for b in present[n + 1:])
        nodes = [Node(self.data.label(p), page.href(p), _kind(p), n) for p, n in ranked]
        centre = Node(self.data.label(iri), None, "person")
        return ego_network(centre, nodes, [(a, b, n) for (a, b), n in sorted(ties.items())],
                           f"Jaringan rapat / meeting network: {self.data.label(iri)}")

    def org(self, iri: str, page: Page) -> dict:
        d = self.data
        kinds = sorted(d.types(iri) - {"Organization"})
        seats = sorted({*d.values(iri, E + "hasSeat"), *d.subjects(E + "postIn", iri)})
        organised = {m for m in d.subjects(E + "organizer", iri)}
        return {
            "name": d.label(iri), "evidence": page.evidence(iri), "acronyms": d.values(iri, SKOS_ALT),
            "types": [page.term(E + k) for k in kinds], "level": [page.term(v) for v in d.values(iri, E + "level")],
            "jurisdiction": self._region(page, iri, E + "jurisdiction"),
            "parents": [page.ref(p) for p in d.values(iri, ORG_SUB)],
            "children": [page.ref(c) for c in d.subjects(ORG_SUB, iri)],
            "posts": [page.ref(p) for p in seats],
            "organised": self._meetings(page, organised),
            "participations": self._participations(page, iri),
            "notes": d.values(iri, E + "curatorNote"),
        }

    def post(self, iri: str, page: Page) -> dict:
        d = self.data
        holdings = sorted((self._holding(page, h) for h in d.subjects(E + "post", iri)),
                          key=lambda h: (h["first"], h["holder"][0]["text"] if h["holder"] else ""))
        in_capacity = sorted(set(d.subjects(E + "inCapacityOf", iri)) | set(self.participations_of.get(iri, ())))
        rows = sorted((self._participation(page, p) for p in in_capacity), key=lambda r: (r["date"], r["meeting"]["iri"]))
        return {
            "name": d.label(iri), "evidence": page.evidence(iri),
            "office": [page.term(t) for t in d.values(iri, E + "officeType")],
            "institution": [page.ref(o) for o in d.values(iri, E + "postIn")],
            "jurisdiction": self._region(page, iri, E + "jurisdiction"),
            "seat": "ForkopimdaSeat" in d.types(iri),
            "holdings": holdings, "participations": rows,
        }

    def meeting(self, iri: str, page: Page) -> dict:
        d = self.data
        participations = [self._participation(page, p) for p in d.subjects(E + "meeting", iri)]
        by_role: dict[str, list[dict]] = defaultdict(list)
        role_terms = {}
        for row in participations:
            for role in row["roles"] or [{"id": "Peserta", "en": "Participant", "code": "attendee"}]:
                by_role[role["code"]].append(row)
                role_terms[role["code"]] = role
        order = ["chair", "opener", "organizer", "host", "speaker", "committee", "representative", "attendee"]
        groups = [{"role": role_terms[code], "rows": sorted(by_role[code], key=lambda r: [p["text"] for p in r["party"]])}
                  for code in sorted(by_role, key=lambda c: (order.index(c) if c in order else len(order), c))]
        venue = d.values(iri, E + "venue")
        observations = sorted(d.subjects(E + "reportedAt", iri))
        citations = d.values(iri, E + "hasCitation")
        cited = sorted({*d.values(iri, E + "citesRegulation"), *(r for c in citations for r in d.values(c, E + "citedRegulation"))})
        return {
            "name": d.label(iri), "evidence": page.evidence(iri, *citations),
            "title": d.values(iri, E + "title"), "kinds": [page.term(k) for k in d.values(iri, E + "meetingKind")],
            "start": d.value(iri, E + "startDate"), "end": d.value(iri, E + "endDate"),
            "venue": [{"place": page.ref(v), "regions": self._region(page, v, E + "inRegion"), "evidence": page.evidence(v)}
                      for v in venue],
            "regions": self._region(page, iri, E + "inRegion"), "concerns": self._region(page, iri, E + "concernsRegion"),
            "organizers": [page.ref(o) for o in d.values(iri, E + "organizer")],
            "chairs": [page.ref(c) for c in d.values(iri, E + "chair")],
            "elections": [page.ref(e) for e in d.values(iri, E + "forElection")],
            "topics": [page.term(t) for t in d.values(iri, E + "topic")],
            "regulations": [{"regulation": page.ref(r), "asPrinted": d.values(r, E + "asPrinted")} for r in cited],
            "figures": [{"label": d.label(o), "asPrinted": d.value(o, E + "asPrinted"), "asOf": d.value(o, E + "asOf"),
                         "regions": self._region(page, o, E + "inRegion"), "evidence": page.evidence(o)} for o in observations],
            "groups": groups, "claims": self._claims(page, iri), "notes": d.values(iri, E + "curatorNote"),
        }

    def _claims(self, page: Page, meeting: str) -> list[dict]:
        """Per property, each source's values, flagged where the sources disagree."""
        claims = self.data.claims.get(meeting, {})
        sources = sorted({s for by_source in claims.values() for s in by_source})
        if len(sources) < 2:
            return []
        rows = []
        for predicate in sorted(claims):
            by_source = claims[predicate]
            cells = [[self._show(page, v) for v in sorted(by_source.get(s, ()))] for s in sources]
            distinct = {frozenset(by_source.get(s, ())) for s in sources if by_source.get(s)}
            rows.append({"property": page.term(predicate), "cells": cells, "conflict": len(distinct) > 1})
        return [{"sources": [page.ref(s) for s in sources], "rows": rows}]

    def _show(self, page: Page, value: str) -> dict:
        return page.ref(value) if value.startswith(ID) else {"text": value, "href": None, "iri": ""}

    def regulation(self, iri: str, page: Page) -> dict:
        d = self.data
        citing = {*d.subjects(E + "citesRegulation", iri),
                  *(m for c in d.subjects(E + "citedRegulation", iri) for m in d.subjects(E + "hasCitation", c))}
        return {
            "name": d.label(iri), "evidence": page.evidence(iri), "title": d.values(iri, E + "title"),
            "type": [page.term(t) for t in d.values(iri, E + "regulationType")],
            "number": d.value(iri, E + "number"), "year": d.value(iri, E + "year"),
            "date": d.value(iri, E + "documentDate"), "asPrinted": d.values(iri, E + "asPrinted"),
            "issuer": [page.ref(i) for i in d.values(iri, E + "issuer")],
            "amends": [page.ref(r) for r in d.values(iri, ELI_AMENDS)],
            "amendedBy": [page.ref(r) for r in d.subjects(ELI_AMENDS, iri)],
            "enacts": [page.ref(r) for r in d.values(iri, E + "enacts")],
            "enactedBy": [page.ref(r) for r in d.subjects(E + "enacts", iri)],
            "meetings": self._meetings(page, citing),
        }

    def region(self, iri: str, page: Page) -> dict:
        d = self.data
        children = [c for c in d.subjects(E + "parentRegion", iri) if c in self.published]
        here = [iri, *children]
        meetings = {m for r in here for p in ("inRegion", "concernsRegion") for m in d.subjects(E + p, r)
                    if m.startswith(ID + "meeting/")}
        meetings |= {m for r in here for v in d.subjects(E + "inRegion", r) for m in d.subjects(E + "venue", v)}
        bodies = sorted({b for r in here for b in d.subjects(E + "jurisdiction", r)})
        posts = [b for b in bodies if b.startswith(ID + "post/")]
        holdings = sorted((self._holding(page, h) for p in posts for h in d.subjects(E + "post", p)),
                          key=lambda h: (h["first"], h["post"][0]["text"] if h["post"] else ""))
        observations = sorted({o for r in here for o in d.subjects(E + "inRegion", r) if o.startswith(ID + "observation/")})
        return {
            "name": d.label(iri), "code": d.value(iri, E + "kemendagriCode"),
            "types": [page.term(E + t) for t in sorted(d.types(iri) - {"Region"})],
            "parent": [page.ref(p) for p in d.values(iri, E + "parentRegion")],
            "children": [page.ref(c) for c in children],
            "meetings": self._meetings(page, meetings),
            "institutions": [page.ref(b) for b in bodies if b.startswith(ID + "org/")],
            "holdings": holdings, "acting": [h for h in holdings if h["acting"]],
            "figures": [{"label": d.label(o), "asOf": d.value(o, E + "asOf"), "evidence": page.evidence(o)}
                        for o in observations],
        }

    @property
    def used_regions(self) -> set[str]:
        """Regions something outside the gazetteer points at, and their parents: the ones that get pages."""
        if not hasattr(self, "_used_regions"):
            used = {o for o in self.data.into if o.startswith(ID + "region/")
                    and any(not s.startswith(ID + "region/") for subjects in self.data.into[o].values() for s in subjects)}
            used |= {p for r in used for p in self.data.values(r, E + "parentRegion")}
            self._used_regions = used
        return self._used_regions

    def source(self, iri: str, page: Page) -> dict:
        d = self.data
        url = d.value(iri, E + "url")
        return {
            "name": d.label(iri), "headline": d.values(iri, E + "headline"), "outlet": d.values(iri, E + "outletName"),
            "publisher": [page.ref(p) for p in d.values(iri, E + "publisher")],
            "published": d.value(iri, E + "datePublished"), "publishedNote": d.values(iri, E + "publishedNote"),
            "retrieved": d.value(iri, E + "retrieved"), "byline": d.values(iri, E + "byline"),
            "advertorial": d.value(iri, E + "advertorial") == "true",
            "url": url, "url_link": safe_url(url) if url else None, "language": d.value(iri, E + "inLanguage"),
            "notes": d.values(iri, E + "curatorNote"), "evidence": page.evidence(iri),
        }

    def supported(self, page: Page, fact: str) -> list[dict]:
        """The pages a fact appears on: itself, what it points to, and what points to it."""
        # A fact has many quotes (a meeting one per article and sentence): its neighbours are looked up once.
        found = self._supported.get(fact)
        if found is None:
            out, into, published = self.data.out.get(fact, {}), self.data.into.get(fact, {}), self.published
            linked = {fact, *(t.value for terms in out.values() for t in terms if t.kind == "iri"),
                      *(s for subjects in into.values() for s in subjects)}
            found = self._supported[fact] = sorted(f for f in linked if f in published)
        return [page.ref(f) for f in found]


RDF_TYPE_ = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
