"""Drafting against the built graph: reuse the ids it already has, flag new slugs that collide with it."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..resolve import normalise as person_key

__all__ = ["Known", "Review", "load_known", "reconcile"]

ID = "https://w3id.org/egkg/id/"
_PREFIXES = """PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# Fixed queries (no text from the article or the user is put into them).
_ORGS = _PREFIXES + f"""SELECT ?s ?type ?name ?alt ?region WHERE {{
  ?s egkg:name ?name ; a ?type . OPTIONAL {{ ?s skos:altLabel ?alt }} OPTIONAL {{ ?s egkg:jurisdiction ?region }}
  FILTER(STRSTARTS(STR(?s), "{ID}org/") && STRSTARTS(STR(?type), STR(egkg:))) }}"""
_POSTS = _PREFIXES + f"""SELECT ?s ?label ?notation ?org ?region WHERE {{
  ?s a egkg:Post ; rdfs:label ?label ; egkg:officeType ?office ; egkg:postIn ?org . ?office skos:notation ?notation .
  OPTIONAL {{ ?s egkg:jurisdiction ?region }} FILTER(STRSTARTS(STR(?s), "{ID}post/")) }}"""
_PERSONS = _PREFIXES + f"""SELECT ?s ?name ?alt ?post WHERE {{
  ?s a egkg:Person ; egkg:name ?name . OPTIONAL {{ ?s skos:altLabel ?alt }}
  OPTIONAL {{ ?h egkg:holder ?s ; egkg:post ?post }} FILTER(STRSTARTS(STR(?s), "{ID}person/")) }}"""
_PLACES = _PREFIXES + f"""SELECT ?s ?name ?region WHERE {{
  ?s a egkg:Place ; egkg:name ?name . OPTIONAL {{ ?s egkg:inRegion ?region }} FILTER(STRSTARTS(STR(?s), "{ID}place/")) }}"""
# Bodies a region has one of: the same type in the same region is the same body whatever its name.
_ONE_PER_REGION = {"Police", "Military", "ElectionCommission", "ElectionSupervisor", "RegionalGovernment",
                   "Legislature", "Prosecution", "Court", "Forum", "IntelligenceAgency"}


@dataclass
class _Entity:
    ref: str
    name: str | None = None  # egkg:name (rdfs:label for a post)
    names: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    region: str | None = None
    office: str | None = None
    org: str | None = None
    posts: set[str] = field(default_factory=set)


@dataclass
class Known:
    """The institutions, posts, persons and places of a build, by ref ("org/polri")."""

    orgs: dict[str, _Entity]
    posts: dict[str, _Entity]
    persons: dict[str, _Entity]
    places: dict[str, _Entity]

    def has(self, ref: str) -> bool:
        return any(ref in table for table in (self.orgs, self.posts, self.persons, self.places))


def _ref(iri: str | None) -> str | None:
    return iri.removeprefix(ID) if iri and iri.startswith(ID) else None


def load_known(build_dir: Path) -> Known:
    """Read what the build at `build_dir` knows (its embedded store); an InputError when there is none."""
    from ..run_query import make_engine

    engine = make_engine("oxigraph", build_dir)
    tables: dict[str, dict[str, _Entity]] = {"orgs": {}, "posts": {}, "persons": {}, "places": {}}
    for row in engine.select(_ORGS).as_dicts():
        e = tables["orgs"].setdefault(_ref(row["s"]), _Entity(_ref(row["s"])))
        e.types.add(row["type"].rsplit("#", 1)[-1])
        e.name = e.name or row.get("name")
        e.names |= {n for n in (row.get("name"), row.get("alt")) if n}
        e.region = _ref(row.get("region")) or e.region
    for row in engine.select(_POSTS).as_dicts():
        tables["posts"][_ref(row["s"])] = _Entity(_ref(row["s"]), row["label"], office=row["notation"], org=_ref(row["org"]),
                                                  region=_ref(row.get("region")))
    for row in engine.select(_PERSONS).as_dicts():
        e = tables["persons"].setdefault(_ref(row["s"]), _Entity(_ref(row["s"]), row["name"]))
        e.names |= {n for n in (row.get("name"), row.get("alt")) if n}
        if row.get("post"):
            e.posts.add(_ref(row["post"]))
    for row in engine.select(_PLACES).as_dicts():
        e = tables["places"].setdefault(_ref(row["s"]), _Entity(_ref(row["s"]), row["name"]))
        e.names.add(row["name"])
        e.region = _ref(row.get("region")) or e.region
    return Known(**tables)


@dataclass
class Review:
    """What drafting against the graph did: reused ids, new ids, and new slugs renamed away from a known one."""

    reused: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    collisions: list[str] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"reused (already known): {r}" for r in self.reused]
        out += [f"new: {r}" for r in self.new]
        out += [f"COLLISION, renamed (check it is not the known one): {r}" for r in self.collisions]
        out += [f"check: {r}" for r in self.unsure]
        return out


def _words(name: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", name.lower()))


def _name_score(name: str, known: _Entity) -> float:
    return max((fuzz.token_set_ratio(name.lower(), n.lower()) for n in known.names), default=0.0)


def _match_org(item: dict[str, Any], known: Known) -> tuple[str | None, list[str]]:
    region = item.get("region")
    same = [e for e in known.orgs.values() if item["type"] in e.types and e.region == region]
    if not same:
        return None, []
    exact = [e for e in same if _words(item["name"]) in [_words(n) for n in e.names]]
    if len(exact) == 1:  # the same name or acronym: no need to weigh near names ("DPR RI" vs "DPD RI")
        return exact[0].ref, []
    if item["type"] == "OfficeHolderGroup":
        # A group is named by its title as printed; the drafted name is the title's canonical form
        # ("Pimpinan instansi vertikal" for "pimpinan lembaga vertikal"), so the printed title is compared:
        # the one known group of the region whose name holds every word of it is that group.
        printed = [_words(q) - {"para", "seluruh", "segenap"} for q in item.get("evidence", [])]
        titled = [e for e in same if any(p and any(p <= _words(n) for n in e.names) for p in printed)]
        if len(titled) == 1:
            return titled[0].ref, []
    scored = sorted(((_name_score(item["name"], e), e.ref) for e in same), reverse=True)
    if len(same) == 1 and (item["type"] in _ONE_PER_REGION or scored[0][0] >= 60):
        return same[0].ref, []
    if scored[0][0] >= 80 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 10):
        return scored[0][1], []
    return None, [ref for _, ref in scored[:3]]


def _match_post(item: dict[str, Any], known: Known) -> str | None:
    same = [e for e in known.posts.values() if e.office == item["office"]
            and (e.org == item["organization"].removeprefix("org/") or (item.get("region") and e.region == item.get("region")))]
    best = [e for e in same if e.org == item["organization"].removeprefix("org/")] or same
    return best[0].ref if len(best) == 1 else None


def _within(a: str | None, b: str | None) -> bool:
    """Regions that may hold the same place: equal, or one inside the other ("region/74.71" in "region/74")."""
    return a == b or bool(a and b and (a.startswith(b + ".") or b.startswith(a + ".")))


def _match_place(item: dict[str, Any], known: Known) -> str | None:
    words = _words(item["name"])
    for e in known.places.values():
        if _within(e.region, item.get("region")) and any(words <= _words(n) or _words(n) <= words for n in e.names):
            return e.ref
    return None


def _free(slug: str, section: str, draft: dict[str, Any], known: Known, prefix: str) -> str:
    taken = {i["id"] for i in draft.get(section, [])}
    n = 2
    while known.has(f"{prefix}/{slug}-{n}") or f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"


def reconcile(draft: dict[str, Any], known: Known) -> tuple[dict[str, Any], Review]:
    """The draft with the graph's ids where it names a known entity, and what was reused, new or renamed.

    The draft's notes say so too. Should the reconciled draft not validate, the draft is returned unchanged.
    """
    from ..load.models import RecordFile

    original = copy.deepcopy(draft)
    draft, review = _reconciled(draft, known)
    try:
        RecordFile.model_validate(draft)
    except Exception as exc:  # noqa: BLE001 - pydantic's ValidationError: keep the draft as it was
        review = Review(unsure=[f"ids not reconciled with the graph: {str(exc).splitlines()[0]}"])
        draft = original
    summary = (f"Against the graph: {len(review.reused)} reused, {len(review.new)} new, "
               f"{len(review.collisions)} renamed away from a known id" + "".join(f"; {c}" for c in review.collisions))
    source = draft["source"]
    source["notes"] = (((source.get("notes") or "") + " | " + summary).strip(" |"))[:20000]
    return draft, review


def _reconciled(draft: dict[str, Any], known: Known) -> tuple[dict[str, Any], Review]:
    review = Review()
    renames: dict[str, str] = {}
    for section, prefix in (("organizations", "org"), ("places", "place")):
        for item in draft.get(section, []):
            old = f"{prefix}/{item['id']}"
            if section == "organizations":
                ref, options = _match_org(item, known)
            else:
                ref, options = _match_place(item, known), []
            if ref:
                _adopt(item, old, ref, known, renames, review, "")
            else:
                _new_or_renamed(item, old, section, prefix, draft, known, review, renames,
                                f"a known {prefix} of the same kind and region: {', '.join(options)}" if options else "")
    _rewrite(draft, renames)
    for item in draft.get("posts", []):
        old = f"post/{item['id']}"
        ref = _match_post(item, known)
        if ref:
            _adopt(item, old, ref, known, renames, review, "")
        else:
            _new_or_renamed(item, old, "posts", "post", draft, known, review, renames, "")
    _rewrite(draft, renames)
    holdings = defaultdict(set)
    offices = {f"post/{p['id']}": p["office"] for p in draft.get("posts", [])}
    for h in draft.get("holdings", []):
        holdings[h["holder"]].add(h["post"].removeprefix("post/"))
        holdings[h["holder"]].add("office:" + offices.get(h["post"], "?"))
    for item in draft.get("persons", []):
        old = f"person/{item['id']}"
        ref, why = _match_person(item, holdings[old], known)
        if ref:
            _adopt(item, old, ref, known, renames, review, why)
        else:
            _new_or_renamed(item, old, "persons", "person", draft, known, review, renames, why)
    _rewrite(draft, renames)
    _posts_of_known_holders(draft, known, renames, review)
    _rewrite(draft, renames)
    _merge_duplicates(draft)
    return draft, review


def _posts_of_known_holders(draft: dict[str, Any], known: Known, renames: dict[str, str], review: Review) -> None:
    """A new post held by a known person who holds a known post of the same office: that post ("Ketua Tim")."""
    new_posts = {f"post/{p['id']}": p for p in draft.get("posts", []) if not known.has(f"post/{p['id']}")}
    for h in draft.get("holdings", []):
        person, post = known.persons.get(h["holder"]), new_posts.get(h["post"])
        if not person or not post or h["post"] in renames:
            continue
        same = [r for r in sorted(person.posts) if known.posts.get(r) and known.posts[r].office == post["office"]]
        if len(same) == 1:
            old = h["post"]
            review.new[:] = [n for n in review.new if not n.startswith(old)]
            _adopt(post, old, same[0], known, renames, review, f"the post {person.ref} holds")


def _adopt(item: dict[str, Any], old: str, ref: str, known: Known, renames: dict[str, str], review: Review,
           why: str) -> None:
    """Give a drafted item the known entity's id and name (one entity, one name in the graph)."""
    prefix, slug = ref.split("/", 1)
    entity = {"org": known.orgs, "post": known.posts, "person": known.persons, "place": known.places}[prefix][ref]
    renames[old] = ref
    item["id"] = slug
    if entity.name:
        item["label" if prefix == "post" else "name"] = entity.name
    if prefix == "post" and entity.org:
        item["organization"] = entity.org
    detail = "; ".join(x for x in (f"drafted as {old}" if ref != old else "", why) if x)
    review.reused.append(ref + (f" ({detail})" if detail else ""))


def _match_person(item: dict[str, Any], posts: set[str], known: Known) -> tuple[str | None, str]:
    key = person_key(item["name"])
    for e in known.persons.values():
        if not key or not any(person_key(n) == key for n in e.names):
            continue
        known_posts = {p.removeprefix("post/") for p in e.posts}
        if posts & known_posts:
            return e.ref, "same name and post"
        known_offices = {"office:" + known.posts[p].office for p in e.posts if p in known.posts}
        if posts & known_offices:
            return e.ref, "same name and office"
        posts = {p for p in posts if not p.startswith("office:")}
        if not posts or not known_posts:
            return e.ref, "same name; no post to compare"
        return None, f"same name as {e.ref} but another post ({', '.join(sorted(known_posts))}); if it is the same person, run egkg resolve"
    return None, ""


def _new_or_renamed(item: dict[str, Any], old: str, section: str, prefix: str, draft: dict[str, Any], known: Known,
                    review: Review, renames: dict[str, str], why: str) -> None:
    """A new entity: its slug kept, or changed when the graph has that id for something else."""
    if known.has(old):
        slug = _free(item["id"], section, draft, known, prefix)
        renames[old] = f"{prefix}/{slug}"
        review.collisions.append(f"{prefix}/{slug} (its slug {old} is a different known {prefix}" + (f"; {why}" if why else "") + ")")
        item["id"] = slug
    else:
        review.new.append(old + (f" ({why})" if why else ""))
        if why:
            review.unsure.append(f"{old}: {why}")


def _rewrite(node: Any, renames: dict[str, str]) -> Any:
    """Replace every ref (and the id of every item) that was renamed, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = _rewrite(value, renames)
        return node
    if isinstance(node, list):
        return [_rewrite(v, renames) for v in node]
    return renames.get(node, node) if isinstance(node, str) else node


def _merge_duplicates(draft: dict[str, Any]) -> None:
    """Two drafted items that turned out to be one known entity: ids taken from their refs, kept once."""
    for section, prefix in (("organizations", "org"), ("places", "place"), ("posts", "post"), ("persons", "person")):
        kept: dict[str, dict[str, Any]] = {}
        for item in draft.get(section, []):
            if item["id"] in kept:
                first = kept[item["id"]]
                first["evidence"] = list(dict.fromkeys(first["evidence"] + item["evidence"]))[:3]
                continue
            kept[item["id"]] = item
        if section in draft:
            draft[section] = list(kept.values())
    if "holdings" in draft:
        draft["holdings"] = list({(h["holder"], h["post"], h["kind"]): h for h in reversed(draft["holdings"])}.values())[::-1]
    for meeting in draft.get("meetings", []):
        if "participants" in meeting:
            meeting["participants"] = list({p["who"]: p for p in reversed(meeting["participants"])}.values())[::-1]
