"""The small HTML pieces every page repeats (labels, links, citations, fact rows), built in Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from markupsafe import Markup, escape

from .text import Mark

# Pages hold tens of thousands of these pieces at scale: as Jinja macros each call cost a new
# render context, which made `egkg site` spend most of its time in macro calls. Every value from
# the graph goes through markupsafe's escape(); the private helpers return str so pieces can be
# joined without re-escaping, and the public ones mark the result safe for the templates.
# The markup is exactly what the macros in templates/macros.html produced before (tests compare sites).

__all__ = ["advertorial", "cite", "ev", "holding_row", "meeting_rows", "participation_row", "partners", "quote_list",
           "ref", "refs", "run", "t", "terms", "timeline", "ui"]


@lru_cache(maxsize=4096)  # a few hundred label pairs (interface words, vocabulary terms) recur on every page
def _ui(id_text: str, en_text: str) -> str:
    return f'<span class="t-id">{escape(id_text)}</span><span class="t-en">{escape(en_text)}</span>'


def _t(pair: Mapping) -> str:
    return _ui(pair["id"], pair["en"])


def _ref(entity: Mapping) -> str:
    return _link(entity["text"], entity["href"])


# Every page sits one folder deep, so a name links with the same href from every page that shows it:
# the busiest names (a province, a KPU office) are escaped once instead of on each of thousands of pages.
@lru_cache(maxsize=1 << 16)
def _link(text: str, href: str | None) -> str:
    if href:
        return f'<a href="{escape(href)}"><bdi>{escape(text)}</bdi></a>'
    return f"<bdi>{escape(text)}</bdi>"


def _refs(entities: Iterable[Mapping]) -> str:
    return ", ".join(map(_ref, entities))


def _terms(pairs: Iterable[Mapping]) -> str:
    return "".join(f'<span class="badge">{_t(pair)}</span>' for pair in pairs)


def _cite(quote: Mapping) -> str:
    """One quote link, labelled with its source's number on the page ([2]) and a letter when that
    source gives the fact several quotes ([1a], [1b])."""
    label = escape(quote["label"])
    if quote["href"]:
        return f'<a class="cite" href="{escape(quote["href"])}">[{label}]</a>'
    return f'<span class="cite">[{label}]</span>'


def _ev(evidence: Mapping) -> str:
    """A fact's evidence: its quote links, a single-source flag, and the quotes themselves behind a
    toggle. The three parts are elements of their own, spaced by the stylesheet, never run together."""
    quotes = evidence["quotes"]
    cites = [_cite(q) for q in quotes]
    parts = ['<span class="ev">']
    if quotes:
        parts.append(f'<span class="cites">{"".join(cites)}</span>')
    if evidence["sources"] == 1:
        parts.append(f' <span class="single">{_ui("satu sumber", "single source")}</span>')
    elif evidence["sources"] == 0:
        parts.append(f' <span class="single">{_ui("tanpa kutipan", "no quote")}</span>')
    if quotes:
        listed = "".join(f'<li>{c} <q><bdi>{escape(q["text"])}</bdi></q></li>' for c, q in zip(cites, quotes))
        parts.append(f' <details class="quotes"><summary>{_ui("kutipan", "quotes")} ({len(quotes)})</summary>'
                     f'<ul>{listed}</ul></details>')
    parts.append("</span>")
    return "".join(parts)


def _muted(id_text: str, en_text: str, entities: list[Mapping]) -> str:
    return f' <span class="muted">{_ui(id_text, en_text)}</span> {_refs(entities)}'


def _participation_row(row: Mapping, show_meeting: bool = True, show_party: bool = True) -> str:
    parts = ["<li>"]
    if show_meeting:
        parts.append(f'<span class="date">{escape(row["date"])}</span> {_ref(row["meeting"])}')
    if show_party:
        parts.append(f' — {_refs(row["party"])}' if show_meeting else _refs(row["party"]))
    if row["roles"]:
        parts.append(" " + _terms(row["roles"]))
    if row["kind"]:
        parts.append(" " + _terms(row["kind"]))
    if row["capacity"]:
        parts.append(_muted("sebagai", "as", row["capacity"]))
    if row["institution"]:
        parts.append(_muted("untuk", "for", row["institution"]))
    if row["represents"]:
        parts.append(_muted("mewakili", "representing", row["represents"]))
    parts.append(f'\n {_ev(row["evidence"])}</li>')
    return "".join(parts)


def _holding_row(holding: Mapping, show_holder: bool = True, show_post: bool = True) -> str:
    first, last = holding["first"], holding["last"]
    parts = [f'<li><span class="date">{escape(first)}']
    if last and last != first:
        parts.append(f" – {escape(last)}")
    parts.append("</span>\n")
    if show_holder:
        parts.append(_refs(holding["holder"]))
    if show_holder and show_post:
        parts.append(" — ")
    if show_post:
        parts.append(_refs(holding["post"]))
    parts.append("\n")
    badge = '<span class="badge acting">' if holding["acting"] else '<span class="badge">'
    parts.extend(f"{badge}{_t(k)}</span>" for k in holding["kinds"])
    if holding["portfolio"]:
        parts.append(f' <span class="muted">({Markup(", ").join(holding["portfolio"])})</span>')
    if holding["replaces"]:
        parts.append(_muted("menggantikan", "replacing", holding["replaces"]))
    parts.append(f'\n {_ev(holding["evidence"])}</li>')
    return "".join(parts)


def _run(items: Iterable[str | Mark]) -> str:
    """The archived text: plain runs and nested quote marks, with no whitespace added (the text keeps its own)."""
    return "".join(escape(item) if isinstance(item, str) else
                   f'<mark id="{escape(item.anchor)}" class="quote"><bdi>{_run(item.children)}</bdi></mark>'
                   for item in items)


# What the templates call (as m.ref(...) and so on, through macros.html): the same pieces marked safe.

def ui(id_text: str, en_text: str) -> Markup:
    """An interface word in both languages; the stylesheet shows the reader's choice."""
    return Markup(_ui(id_text, en_text))


def t(pair: Mapping) -> Markup:
    """A vocabulary term's Indonesian and English labels."""
    return Markup(_t(pair))


def ref(entity: Mapping) -> Markup:
    """An entity as a link to its page, or plain text when it has none."""
    return Markup(_ref(entity))


def refs(entities: Iterable[Mapping]) -> Markup:
    return Markup(_refs(entities))


def terms(pairs: Iterable[Mapping]) -> Markup:
    return Markup(_terms(pairs))


def advertorial() -> Markup:
    return Markup(f'<span class="badge advertorial">{_ui("advertorial", "advertorial")}</span>')


def cite(quote: Mapping) -> Markup:
    return Markup(_cite(quote))


def ev(evidence: Mapping) -> Markup:
    return Markup(_ev(evidence))


def participation_row(row: Mapping, show_meeting: bool = True, show_party: bool = True) -> Markup:
    return Markup(_participation_row(row, show_meeting, show_party))


def holding_row(holding: Mapping, show_holder: bool = True, show_post: bool = True) -> Markup:
    return Markup(_holding_row(holding, show_holder, show_post))


def meeting_rows(rows: Iterable[Mapping]) -> Markup:
    listed = "".join(f'<li><span class="date">{escape(m["date"])}</span> {_ref(m["meeting"])} {_ev(m["evidence"])}</li>'
                     for m in rows)
    return Markup(f'<ul class="facts">{listed}</ul>')


def run(items: Iterable[str | Mark]) -> Markup:
    return Markup(_run(items))


def timeline(events: Iterable[Mapping]) -> Markup:
    """A person's posts and meetings by date, as the items of the page's <ol class="timeline">."""
    items = []
    for event in events:
        date, until = escape(event["date"]), event["until"]
        span = f'<time datetime="{date}">{date}</time>'
        if until:
            span += f' – <time datetime="{escape(until)}">{escape(until)}</time>'
        what = _ui("jabatan", "post") if event["kind"] == "post" else _ui("rapat", "meeting")
        badge = '<span class="badge acting">' if event["acting"] else '<span class="badge">'
        badges = "".join(f" {badge}{_t(b)}</span>" for b in event["badges"])
        items.append(f'<li class="{escape(event["kind"])}">{span}\n<span class="badge">{what}</span>\n'
                     f'{_refs(event["what"])}{badges}</li>')
    return Markup("".join(items))


def partners(rows: Iterable[Mapping]) -> Markup:
    """Co-participants and their number of shared meetings, as the items of <ol class="partners">."""
    meetings = _ui("rapat", "meeting(s)")
    return Markup("".join(f'<li>{_ref(row["party"])} <span class="count">{escape(row["count"])} {meetings}</span></li>'
                          for row in rows))


def quote_list(quotes: Iterable[Mapping]) -> Markup:
    """A source's quotes, each linked to its place in the text and followed by the pages of its facts."""
    return Markup("".join(f'<li><a href="#{escape(q["anchor"])}"><q><bdi>{escape(q["text"])}</bdi></q></a> → '
                          f'{_refs(q["pages"])}</li>' for q in quotes))
