"""Build the draft record file (a dict validating as RecordFile) from the extractors' findings."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from typing import Any

from ..errors import InputError
from ..load import models
from ..load.evidence import pins_a_place
from .body import split_body
from .citations import find_citations
from .dates import find_dates
from .figures import Figure, find_figures
from .institutions import ORG_KINDS, find_institutions
from .knowledge import office_labels
from .meetings import MeetingGuess, guess_meetings
from .officials import Official, find_officials
from .regions import gazetteer
from .spans import Span, normalise, sentence_bounds, slugify
from .venues import find_venues

__all__ = ["draft_article"]

_OFFICE_LABELS = office_labels()  # knowledge/offices.yaml
_ATTENDANCE = re.compile(r"\b(hadir|dihadiri|menghadiri|turut|diikuti|bersama)\b", re.I)
_SECTIONS = [("persons", models.Person), ("organizations", models.Organization), ("posts", models.Post),
             ("holdings", models.Holding), ("places", models.Place), ("regulations", models.Regulation),
             ("meetings", models.Meeting), ("observations", models.Observation)]
# Indicators whose value changes over time get the meeting's date as `as_of`; area shares do not.
_DATED_INDICATORS = {"participation-target", "ktp-el-recording", "candidate-pairs", "vulnerability-level", "officer-count"}


class _Draft:
    """Collects facts; every quote is checked against the article before it is kept."""

    def __init__(self, text: str):
        self.text = text
        self.norm = normalise(text)
        self.data: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in _SECTIONS}
        self.ids: dict[str, dict[str, dict[str, Any]]] = {name: {} for name, _ in _SECTIONS}
        self.report: list[str] = []

    def quote(self, start: int, end: int) -> str | None:
        q = self.text[max(0, start) : max(0, end)].strip()
        if q and not pins_a_place(q):
            # A bare acronym ("TNI", "Polri") occurs all over an article: quote its sentence instead.
            s, e = sentence_bounds(self.text, max(0, start))
            q = self.text[s : max(e, end)].strip()
        return q if q and pins_a_place(q) and normalise(q) in self.norm else None

    def add(self, section: str, item: dict[str, Any], span: Span, key: str | None = None) -> dict[str, Any] | None:
        key = key or item.get("id")
        if key and key in self.ids[section]:
            old = self.ids[section][key]
            q = self.quote(span.start, span.end)
            if q and q not in old["evidence"] and len(old["evidence"]) < 3:
                old["evidence"].append(q)
            return old
        q = self.quote(span.start, span.end)
        if not q:
            return None
        item["evidence"] = [q]
        if "note" in _fields(section):
            item["note"] = ((item.get("note") or "") + f" (draft: {span.describe()})").strip()
        else:
            self.report.append(f"{section}/{key}: {span.describe()}")
        self.data[section].append(item)
        if key:
            self.ids[section][key] = item
        return item


def _fields(section: str) -> set[str]:
    return set(dict(_SECTIONS)[section].model_fields)


def _region_name(code: str | None) -> str:
    if not code:
        return ""
    name = gazetteer().regions[code].name
    return re.sub(r"^(Kabupaten|Kota) ", "", name)


def _org(d: _Draft, kind: str, region: str | None, span: Span, level: str | None = None,
         number: str | None = None) -> str | None:
    if kind == "pemda" and region:
        kind = {"Province": "pemprov", "City": "pemkot"}.get(gazetteer().regions[region].kind, "pemkab")
    otype, stem, acronym, fixed = ORG_KINDS.get(kind, ORG_KINDS["tim"])
    level = fixed or level or (None if not region else "province" if "." not in region else "regency")
    lvl_word = {"province": "Provinsi ", "regency": "Kabupaten " if region and gazetteer().regions[region].kind == "Regency" else "Kota "}
    name = stem
    if region and stem.startswith(("Pemerintah", "Kecamatan")) is False and level in lvl_word and kind not in {"polres", "kodim", "kejari", "polda", "kejati", "kodam", "korem"}:
        name = f"{stem} {lvl_word[level]}{_region_name(region)}"
    elif region:
        name = f"{stem} {_region_name(region)}"
    slug = slugify(f"{kind}-{region.replace('.', '-')}" if region else f"{kind}-{level or 'unspecified'}")
    if "{number}" in stem:  # "Komisi II DPR RI": the number tells one commission from another, in name and id
        name = name.replace("{number}", number or "").replace("  ", " ")
        slug = slugify(name) if number else slug
    item = {"id": slug, "name": name, "type": otype, "level": level, "region": f"region/{region}" if region else None}
    return "org/" + slug if d.add("organizations", {k: v for k, v in item.items() if v}, span) else None


def _persons(d: _Draft, officials: list[Official], context_region: str | None, when: dt.date | None) -> list[dict[str, Any]]:
    clusters: list[dict[str, Any]] = []
    for o in officials:
        if not o.person:
            continue
        tokens = set(o.person.name.lower().split())
        cluster = next((c for c in clusters if tokens <= c["tokens"] or c["tokens"] <= tokens), None)
        if cluster is None:
            cluster = {"tokens": tokens, "name": o.person.name, "mentions": []}
            clusters.append(cluster)
        if len(tokens) > len(cluster["tokens"]):
            cluster["tokens"], cluster["name"] = tokens, o.person.name
        cluster["mentions"].append(o)
    people = []
    for c in clusters:
        pid = slugify(c["name"])
        best = max(c["mentions"], key=lambda o: (len(o.person.honorifics) + len(o.person.degrees) + len(o.person.ranks), o.person.end - o.person.start))
        p = best.person
        item: dict[str, Any] = {"id": pid, "name": c["name"]}
        printed = d.text[p.start : p.end].strip(" ,")
        if printed != c["name"]:
            item["printed"] = printed
        for field, values in (("honorific_prefixes", p.honorifics), ("academic_degrees", p.degrees), ("ranks", p.ranks)):
            if values:
                item[field] = values
        first = min(c["mentions"], key=lambda o: (o.office is None, -o.confidence, o.start))
        if not d.add("persons", item, Span(best.start, best.end, round(max(o.confidence for o in c["mentions"]), 2))):
            continue
        by_office: dict[str, Official] = {}
        for o in c["mentions"]:
            if not o.office:
                continue
            old = by_office.get(o.office)
            if old is None or (o.region and not old.region) or (old.kind == "Definitive" and o.kind != "Definitive" and (o.region or not old.region)):
                by_office[o.office] = o
        for office, o in by_office.items():
            region = o.region or (context_region if o.represents else None)
            post = _post(d, o, office, region)
            if not post:
                continue
            holding: dict[str, Any] = {"holder": f"person/{pid}", "post": post, "kind": o.kind}
            if when:
                holding["attested_on"] = [dt.date.fromordinal(when.toordinal())]  # no YAML aliases
            if o.portfolio:
                holding["portfolio"] = o.portfolio
            if o.notes:
                holding["note"] = "; ".join(o.notes)
            d.add("holdings", holding, Span(o.start, o.end, round(o.confidence, 2)), key=f"{pid}|{post}")
        people.append({"id": pid, "mentions": c["mentions"], "first": first})
    return people


def _post(d: _Draft, o: Official, office: str, region: str | None) -> str | None:
    span = Span(o.start, o.end, o.confidence)
    org = _org(d, o.org_kind or "tim", region, span, "province" if (o.region_prefix or "").startswith("Prov") else None)
    if not org:
        return None
    label = f"{_OFFICE_LABELS[office]} {_region_name(region)}".strip()
    slug = slugify(f"{office}-{region.replace('.', '-')}" if region else f"{office}-{org.split('/')[1]}")
    item = {"id": slug, "label": label, "office": office, "organization": org}
    if region:
        item["region"] = f"region/{region}"
    return "post/" + slug if d.add("posts", item, span) else None


def draft_article(text: str, *, source_url: str | None = None, outlet: str | None = None,
                  published: dt.date | None = None, text_path: str) -> dict[str, Any]:
    """Propose a record file for one article; every proposed fact carries a verbatim evidence quote."""
    text = text if isinstance(text, str) else ""
    if not any(ch.isalnum() for ch in text) or not pins_a_place(text):
        raise InputError("article has no text to draft from", file=text_path)
    body = split_body(text)
    masked = body.masked
    d = _Draft(text)
    dates = find_dates(masked, published)
    source = _source(d, body, dates, source_url, outlet, published, text_path)
    published = published or source.get("published")
    citations = find_citations(masked)
    regions = [h.code for h in gazetteer().find_all(masked[body.header_end :])]
    provinces = Counter(c.split(".")[0] for c in regions)
    context_region = provinces.most_common(1)[0][0] if provinces else None
    officials = [o for o in find_officials(masked) if o.start >= body.header_end or body.header_end == 0]
    meetings = guess_meetings(masked, dates, body.header_end, [(c.start, c.end) for c in citations], published)
    when = meetings[0].date.date if meetings else None
    people = _persons(d, officials, context_region, when)
    for inst in find_institutions(masked):
        if inst.start >= body.header_end and (inst.region or inst.level == "national"):
            _org(d, inst.kind, inst.region, Span(inst.start, inst.end, inst.confidence), inst.level, inst.number)
    regs = _regulations(d, citations)
    unresolved = [c for c in citations if not c.resolved]
    if unresolved:
        d.report.append("regulation mentions not drafted: " + "; ".join(
            f'"{c.printed}" ({c.why}; {Span(c.start, c.end, c.confidence).describe()})' for c in unresolved))
    meeting_ref = _meetings(d, masked, meetings, people, officials, regs, body.header_end) if meetings else None
    _observations(d, masked, body.header_end, meeting_ref, when)
    if d.report:
        source["notes"] = ("Draft by the curation assistant; check every fact. " + " | ".join(d.report))[:20000]
    return _validated(source, d)


def _source(d: _Draft, body, dates, url, outlet, published, text_path) -> dict[str, Any]:
    text = d.text
    title_q = d.quote(*body.title) if body.title else None
    if not title_q:
        first = next((ln.strip() for ln in body.masked.splitlines() if ln.strip()), "")
        title_q = d.quote(*_find(text, first[:200].rsplit(" ", 1)[0] if len(first) > 200 else first)) if first else None
    found_outlet = re.search(r"\b([A-Za-z][\w-]*\.(?:com|co\.id|id|net|org|news))\b", text[:3000])
    outlet = outlet or (found_outlet.group(1) if found_outlet else None) or "unknown outlet"
    evidence = [q for q in (title_q, d.quote(*_find(text, found_outlet.group(0))) if found_outlet else None) if q]
    source: dict[str, Any] = {
        "id": slugify(" ".join([outlet, str(published or ""), *(title_q or "draft").split()[:6]]))[:90].strip("-") or "draft",
        "text": text_path or "sources/unknown.txt", "outlet": outlet, "title": title_q or "(untitled draft)",
        "language": "id", "evidence": evidence or [_first_line(d, text_path)],
    }
    if url and re.match(r"^https?://\S+$", url):
        source["url"] = url
    header = [m for m in dates if m.start < body.header_end and m.kind == "absolute"]
    if published:
        source["published"] = published
    elif header:
        source["published"] = header[0].date
        source["published_note"] = "draft: taken from a date line in the page header; check it is the article's own date"
        q = d.quote(header[0].start, header[0].end)
        if q:
            source["evidence"].append(q)
    else:
        source["published_note"] = "draft: no publication date found on the page"
    furniture = []
    for start, end, reason in body.furniture:
        q = d.quote(start, end)
        if q and len(furniture) < 50:
            furniture.append({"quote": q[:300] if normalise(q[:300]) in d.norm else q, "reason": reason})
    if furniture:
        source["furniture"] = furniture
    return source


def _first_line(d: _Draft, text_path: str) -> str:
    """A verbatim quote of the first line with a letter or digit (the text has one: see draft_article)."""
    for line in d.text.splitlines():
        if any(ch.isalnum() for ch in line):
            line = line.strip()
            if len(line) > 200:
                cut = line.rfind(" ", 0, 200)
                line = line[: cut if cut > 0 else 200].strip()
            at = d.text.find(line)
            q = d.quote(at, at + len(line))
            if q:
                return q
    # Every line alone is too short to be evidence ("0"): the text from its first letter or digit on.
    first = next((at for at, ch in enumerate(d.text) if ch.isalnum()), None)
    q = d.quote(first, first + 200) if first is not None else None
    if q:
        return q
    raise InputError("article has no text to draft from", file=text_path)


def _find(text: str, needle: str) -> tuple[int, int]:
    at = text.find(needle)
    return (at, at + len(needle)) if at >= 0 and needle else (0, 0)


def _regulations(d: _Draft, citations) -> list[tuple[str, Any]]:
    out = []
    for c in citations:
        if not c.resolved:
            continue
        item: dict[str, Any] = {"id": c.reg_id, "type": c.type, "year": c.year, "title": c.title or c.printed, "printed": c.printed}
        if c.number:
            item["number"] = c.number
        if c.date_text:
            parsed = find_dates(c.date_text)
            if parsed and parsed[0].kind == "absolute":
                item["date"] = parsed[0].date
        end = c.title_span[1] if c.title_span else c.end
        if d.add("regulations", item, Span(c.start, end, c.confidence)):
            nested = any(o is not c and o.title_span and o.title_span[0] <= c.start < o.title_span[1] for o in citations)
            out.append((c, nested))
    return out


# The dateline's place: "KUPANG – ...", "Outlet, Kupang – ...", at the start of the body.
_DATELINE_PLACE = re.compile(r"\s*(?:[A-Za-z][\w. ]{1,40},\s*)?(?P<place>[A-Z][A-Za-z]+(?:[ \t]+[A-Z][A-Za-z]+)?)\s*[,:–—-]")


def _places(d: _Draft, text: str, header_end: int) -> list[tuple[int, str, str]]:
    """Every venue with a known region, as (offset, place ref, region code); the dateline's city places the rest."""
    dateline = _DATELINE_PLACE.match(text, header_end)
    hit = gazetteer().match_at(text, dateline.start("place"), prefer="City") if dateline else None
    # A dateline naming a town that is no region ("SUNGGUMINASA"): the regency or city the body names most.
    local = Counter(h.code for h in gazetteer().find_all(text[header_end:]) if "." in h.code).most_common(1)
    fallback = hit.code if hit else local[0][0] if local else None
    found = []
    for v in find_venues(text[header_end:]):
        vregion = v.region or fallback
        if vregion:
            place = {"id": slugify(v.name), "name": v.name, "region": f"region/{vregion}"}
            if d.add("places", place, Span(header_end + v.start, header_end + v.end, v.confidence)):
                found.append((header_end + v.start, f"place/{slugify(v.name)}", vregion))
    return found


def _meetings(d: _Draft, text: str, guesses: list[MeetingGuess], people, officials, regs, header_end: int) -> str | None:
    """Each meeting with its venue and participants; the first (best-attested) one also gets the citations.

    A further meeting is named in a sentence of its own: it gets the venue and the persons of that
    sentence; the first meeting keeps the first venue and everyone else.
    """
    places = _places(d, text, header_end)
    extra_spans = [sentence_bounds(text, g.date.start) for g in guesses[1:]]
    refs = []
    for i, guess in enumerate(guesses):
        if i == 0:
            s, e = sentence_bounds(text, guess.date.start)
            own = [p for p in places if s <= p[0] < e]
            place = (own or places or [None])[0]
            who = [p for p in people if not any(a <= o.start < b for a, b in extra_spans for o in p["mentions"])]
            refs.append(_meeting(d, text, guess, place, who, officials, regs))
        else:
            s, e = extra_spans[i - 1]
            place = next((p for p in places if s <= p[0] < e), None)
            who = [p for p in people if any(s <= o.start < e for o in p["mentions"])]
            refs.append(_meeting(d, text, guess, place, who, [], []))
    return refs[0]


def _meeting(d: _Draft, text: str, guess: MeetingGuess, place, people, officials, regs) -> str | None:
    date = guess.date
    title = d.quote(*guess.title_span) if guess.title_span else None
    place_ref, region = (place[1], place[2]) if place else (None, None)
    item: dict[str, Any] = {
        "id": slugify(f"{date.date.isoformat()}-{guess.kind}-{_region_name(region) or 'draft'}"),
        "kind": guess.kind, "title": title or "Rapat Koordinasi", "start": date.date,
    }
    if date.end_date:
        item["end"] = date.end_date
    if place_ref:
        item["venue"] = place_ref
        item["region"] = f"region/{region}"
    item["note"] = guess.note
    citations = []
    for c, nested in regs:
        if not nested:
            q = d.quote(c.start, c.title_span[1] if c.title_span else c.end)
            if q:
                citations.append({"regulation": f"regulation/{c.reg_id}", "evidence": [q], **({"article": c.article} if c.article else {})})
    if citations:
        item["citations"] = citations
    participants = []
    for p in people:
        o = p["first"]
        part: dict[str, Any] = {"who": f"person/{p['id']}", "roles": ["representative" if o.represents else "attendee"]}
        q = d.quote(o.start, o.end)
        if q:
            note = "; ".join(filter(None, [f"draft: {Span(o.start, o.end, o.confidence).describe()}", _unknown_title(o)]))
            participants.append({**part, "evidence": [q], "note": note})
    for o in officials:
        if o.person or not o.office or not o.region:
            continue
        s, e = sentence_bounds(text, o.start)
        post = f"post/{slugify(o.office + '-' + o.region.replace('.', '-'))}"
        if _ATTENDANCE.search(text[s:e]) and _post(d, o, o.office, o.region) and not any(x["who"] == post for x in participants):
            q = d.quote(o.start, o.end)
            participants.append({"who": post, "roles": ["attendee"], "evidence": [q],
                                 "note": f"the holder is not named (draft: {Span(o.start, o.end, 0.5).describe()})"})
    if participants:
        item["participants"] = participants
    added = d.add("meetings", item, Span(date.start, date.end, guess.confidence))
    if title and item in d.data["meetings"] and title not in item["evidence"]:
        item["evidence"].append(title)
    return f"meeting/{added['id']}" if added else None


def _unknown_title(o: Official) -> str | None:
    """A title that gave no post: shown to the reviewer, who may add its egkg:OfficeType or the post by hand."""
    if o.office or not o.title:
        return None
    slug = f" ({o.title_office})" if o.title_office else ""
    return f"title as written: {o.title}{slug}; not an egkg:OfficeType yet"


def _observations(d: _Draft, text: str, header_end: int, meeting_ref: str | None, when: dt.date | None) -> None:
    """Propose the reported figures whose measure is clear; mention the others in the notes."""
    # Observation IRIs are global: a digest of the article keeps two drafts' ids apart.
    tag = hashlib.sha1(d.text.encode("utf-8", "replace")).hexdigest()[:6]
    seen: dict[tuple, str] = {}
    for fig in find_figures(text):
        if fig.start < header_end:
            continue
        if fig.indicator is None:
            d.report.append(f'figure "{fig.printed}" ({Span(fig.start, fig.end, fig.confidence).describe()}): '
                            "what it measures is unclear, not proposed")
            continue
        region = _figure_region(text, fig)
        value = None if fig.value is None else int(fig.value) if fig.value == int(fig.value) else float(fig.value)
        key = (fig.indicator, value, fig.value_text, region)
        start, end = _clause(text, fig)
        if key in seen:  # the same figure printed again: one more quote for it
            d.add("observations", {"id": seen[key]}, Span(start, end, fig.confidence))
            continue
        stem = slugify(f"{_region_name(region)}-{when.isoformat() if when and fig.indicator in _DATED_INDICATORS else ''}-{fig.indicator}")
        oid, n = f"{stem}-{tag}", 2
        while oid in d.ids["observations"]:
            oid, n = f"{stem}-{n}-{tag}", n + 1
        item: dict[str, Any] = {"id": oid, "indicator": fig.indicator}
        if value is not None:
            item["value"] = value  # int or float: YAML-safe, read back by the model as the exact Decimal
        if fig.value_text:
            item["value_text"] = fig.value_text
        item["unit"] = fig.unit
        if region:
            item["region"] = f"region/{region}"
        if meeting_ref:
            item["meeting"] = meeting_ref
            if when and fig.indicator in _DATED_INDICATORS:
                item["as_of"] = dt.date.fromordinal(when.toordinal())
        item["printed"] = fig.printed
        if d.add("observations", item, Span(start, end, fig.confidence)):
            seen[key] = oid


def _figure_region(text: str, fig: Figure) -> str | None:
    """The region named in the figure's sentence nearest to it (before it preferred), if any."""
    s0, s1 = fig.sentence
    hits = gazetteer().find_all(text[s0:s1])
    if not hits:
        return None
    at = fig.start - s0
    return min(hits, key=lambda h: (h.start > at, abs(h.start - at))).code


def _clause(text: str, fig: Figure) -> tuple[int, int]:
    """The clause quoting the figure with its cue: from the clause start to the next comma or sentence end."""
    s0, s1 = fig.sentence
    anchor = fig.cue_start if fig.cue_start is not None and s0 <= fig.cue_start <= fig.start else fig.start
    seps = [i + 1 for i in range(s0, anchor) if text[i] in ",;"]
    start = seps[-1] if seps else s0
    end = fig.end
    while True:  # to the next comma, or the one after when the clause would be too short to read
        nxt = next((i for i in range(end, s1) if text[i] in ",;"), s1)
        if nxt >= s1 or nxt - start >= 40:
            end = min(nxt, s1)
            break
        end = nxt + 1
    if end - start > 300:  # keep quotes short: a word-bounded window around the figure
        start = max(start, text.rfind(" ", start, max(start, fig.start - 120)) + 1)
        cut = text.find(" ", min(end, fig.end + 120), end)
        end = cut if cut > 0 else end
    while end > start and text[end - 1] in " .,;:\n":
        end -= 1
    while start < end and text[start] in " \n":
        start += 1
    return start, end


def _validated(source: dict[str, Any], d: _Draft) -> dict[str, Any]:
    """Keep only items that validate on their own, then the whole file; fall back to the source alone."""
    draft: dict[str, Any] = {"source": source}
    kept_meetings = set()
    for item in d.data["meetings"]:
        try:
            models.Meeting.model_validate(item)
            kept_meetings.add(f"meeting/{item['id']}")
        except Exception:  # noqa: BLE001
            continue
    for item in d.data["observations"]:
        if item.get("meeting") and item["meeting"] not in kept_meetings:
            del item["meeting"]  # never point at a meeting the draft does not declare
            item.pop("as_of", None)
    for name, model in _SECTIONS:
        kept = []
        for item in d.data[name]:
            try:
                model.model_validate(item)
                kept.append(item)
            except Exception:  # noqa: BLE001 - a draft drops what it cannot express
                continue
        if kept:
            draft[name] = kept
    try:
        models.RecordFile.model_validate(draft)
        return draft
    except Exception:  # noqa: BLE001
        return {"source": source}
