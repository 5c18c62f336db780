"""What a changed triple binds in each rule: the tables incremental reasoning re-runs the rules with."""

from __future__ import annotations

import pyoxigraph as ox

from .checks import POST, holdings_of_posts
from .rules import EGKG, RDF_TYPE

__all__ = ["EXPANDED", "GUARDS", "INVERSES", "SEEDS", "STATIC_PREDICATES", "TEMPLATES"]

# Incremental reasoning. A derivation that uses a changed triple binds the rule's variables to that
# triple's terms where the triple matches one of the rule's patterns, so re-running a rule with those
# variables bound (Oxigraph `substitutions`, pushed into the joins: about a millisecond a query at
# 1,000 meetings) finds every conclusion a change can add or take away. SEEDS says, per rule and per
# predicate its body reads, which variables a triple of that predicate binds (subject, object; None
# where the pattern's term is not a variable of the rule's outer query, e.g. an aggregate's input;
# "=IRI" where the pattern's object is that constant: a triple with another object binds nothing).
# A predicate whose seeds are None makes the rule recomputed whole; EXPANDED rules compute their
# bindings from the changed triples; tests/test_reason_changes.py checks every predicate of every rule is listed.
EGKG_P = EGKG
ORG_P = "http://www.w3.org/ns/org#"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
TYPE = RDF_TYPE.value
SEEDS: dict[str, dict[str, tuple[tuple[str | None, str | None], ...] | None]] = {
    "10-union-classes": {TYPE: (("node", "type"),)},
    "20-derived-parent-organizations": {
        EGKG_P + "level": (("org", None), ("parent", None)),
        EGKG_P + "jurisdiction": (("org", "region"), ("parent", "province")),
        TYPE: (("org", "class"), ("parent", "class")),
        EGKG_P + "parentRegion": (("region", "province"),),
    },
    # A closure: a changed link inside a chain binds neither end; EXPANDED binds every node below it.
    "30-transitive-sub-organizations": {ORG_P + "subOrganizationOf": (("org", None),)},
    "50-forkopimda-seats": {
        TYPE: (("forum", "=" + EGKG_P + "Forum"), ("post", "=" + EGKG_P + "Post")),
        EGKG_P + "jurisdiction": ((None, "region"),),  # the forum's, the post's, or the post's institution's
        EGKG_P + "postIn": (("post", None),),
        EGKG_P + "officeType": (("post", None),),
    },
    "60-holding-intervals": {EGKG_P + "attestedOn": (("holding", None),)},
    "70-acting-spells": {
        EGKG_P + "post": (("definitiveHolding", "post"), ("actingHolding", "post")),
        EGKG_P + "holder": (("definitiveHolding", "holder"), ("actingHolding", "stand")),
        EGKG_P + "appointmentKind": (("definitiveHolding", None), ("actingHolding", None)),
        EGKG_P + "attestedOn": (("definitiveHolding", None), ("actingHolding", None)),
    },
    "80-inverse-properties": {
        EGKG_P + "holder": (("holding", "person"),),
        EGKG_P + "participant": (("participation", "party"),),
        ORG_P + "subOrganizationOf": (("child", "parent"),),
    },
}
# A variable every branch of a rule's body gives one of a few values of a predicate: a binding of it
# to a node with none of them (before or now) finds nothing, so it is not run. Rule 20 bound to a
# provincial institution as ?parent took 70 ms at 1,000 meetings; to a person, as long for nothing.
LEVEL = "https://w3id.org/egkg/vocab/administrative-level/"
GUARDS: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "20-derived-parent-organizations": {
        "org": (EGKG_P + "level", frozenset({LEVEL + "regency", LEVEL + "province"})),
        "parent": (EGKG_P + "level", frozenset({LEVEL + "province", LEVEL + "national"})),
    },
}
# Predicates the rules read that no record file states (the ontology, the vocabularies' notations):
# a change to one of them is a change of the static graphs, which rebuilds everything.
STATIC_PREDICATES = {
    "http://www.w3.org/2002/07/owl#equivalentClass", "http://www.w3.org/2002/07/owl#unionOf",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest", "http://www.w3.org/1999/02/22-rdf-syntax-ns#first",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf", SKOS_NOTATION,
}
# What each rule's template concludes, by predicate: (subject variable, object variable), to ask
# whether a conclusion some change took away still follows another way.
TEMPLATES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "10-union-classes": {TYPE: (("node", "union"),)},
    "20-derived-parent-organizations": {ORG_P + "subOrganizationOf": (("org", "parent"),)},
    "30-transitive-sub-organizations": {ORG_P + "transitiveSubOrganizationOf": (("org", "ancestor"),)},
    "50-forkopimda-seats": {EGKG_P + "hasSeat": (("forum", "post"),)},
    # The variables the template's are computed from (an aggregate's group, an IF's inputs): a
    # computed variable cannot be bound beforehand.
    "60-holding-intervals": {EGKG_P + "firstAttested": (("holding", None),),
                             EGKG_P + "lastAttested": (("holding", None),)},
    "70-acting-spells": {EGKG_P + "temporarilyReplaces": (("actingHolding", "definitiveHolding"),),
                         EGKG_P + "replaces": (("actingHolding", "definitiveHolding"),)},
    "80-inverse-properties": {EGKG_P + "holds": (("person", "holding"),),
                              EGKG_P + "participatesIn": (("party", "participation"),),
                              ORG_P + "hasSubOrganization": (("parent", "child"),)},
}


# Rules whose body is a UNION of single triple patterns each giving one template triple (inverses).
# Binding a variable of one branch would give the other branches' rows the bound value in the
# template, concluding what no triple says; such a rule's change is read off the changed triples.
INVERSES = {
    "80-inverse-properties": {EGKG_P + "holder": EGKG_P + "holds", EGKG_P + "participant": EGKG_P + "participatesIn",
                              ORG_P + "subOrganizationOf": ORG_P + "hasSubOrganization"},
}


def _holding_pairs(stores: tuple[ox.Store, ...], read: set[ox.Triple]) -> list[dict[ox.Variable, ox.Term]]:
    """Rule 70 pairs two holdings of one post, and a changed triple of 70's is about a holding (or names
    its post): every ordered pair of holdings sharing a post with one. With both holdings bound Oxigraph
    answers in half a millisecond at 1,000 meetings; with one, its other aggregate ran over every holding (80 ms)."""
    nodes = {t.subject for t in read} | {t.object for t in read if t.predicate == POST}
    return [{ox.Variable("definitiveHolding"): a, ox.Variable("actingHolding"): b, ox.Variable("post"): post}
            for post, holdings in holdings_of_posts(stores, nodes).items()
            for a in holdings for b in holdings if a != b]


SUB_ORGANIZATION_OF = ox.NamedNode(ORG_P + "subOrganizationOf")


def _below(stores: tuple[ox.Store, ...], read: set[ox.Triple]) -> list[dict[ox.Variable, ox.Term]]:
    """Rule 30's closure through a changed link reaches every institution at or below its lower end, before or now."""
    todo, seen = [t.subject for t in read], set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += [q.subject for s in stores
                     for q in s.quads_for_pattern(None, SUB_ORGANIZATION_OF, node, ox.DefaultGraph())]
    return [{ox.Variable("org"): node} for node in sorted(seen, key=str)]


# Rules whose bindings are computed from the changed triples rather than read off each one.
EXPANDED = {"30-transitive-sub-organizations": _below, "70-acting-spells": _holding_pairs}
