"""Write the static site: one page per entity, the source pages, the search index and the assets."""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..engines import Engine
from ..errors import InputError
from ..load.evidence import normalise
from . import fragments
from .data import EGKG, SKOS_ALT, SiteData, fetch
from .graphics import Tile, tile_map
from .pages import Page, Pages
from .paths import ID, page_path
from .text import layout

__all__ = ["KINDS", "write_site"]

HERE = Path(__file__).parent
MARKER = ".egkg-site"  # written into every site: the one kind of directory write_site replaces
# Page kind -> (template, Indonesian and English label). The order is the index page's order.
KINDS = {
    "person": ("person.html", {"id": "Orang", "en": "Persons"}),
    "org": ("org.html", {"id": "Lembaga", "en": "Institutions"}),
    "post": ("post.html", {"id": "Jabatan", "en": "Posts"}),
    "meeting": ("meeting.html", {"id": "Rapat", "en": "Meetings"}),
    "regulation": ("regulation.html", {"id": "Peraturan", "en": "Regulations"}),
    "region": ("region.html", {"id": "Wilayah", "en": "Regions"}),
    "source": ("source.html", {"id": "Sumber", "en": "Sources"}),
}
SEARCHED = ("person", "org", "post", "meeting", "region")
# The tile-grid map's squares: code and name as in data/reference/idn-area-data/provinces.csv,
# a common short name, and a row/column placed by hand from west to east, north to south.
PROVINCES = HERE / "provinces.csv"
ASSETS = {"site.css": HERE / "assets" / "site.css", "site.js": HERE / "assets" / "site.js",
          "minisearch.js": HERE / "vendor" / "minisearch.js", "minisearch-LICENSE.txt": HERE / "vendor" / "LICENSE.txt"}


def _environment() -> Environment:
    # Autoescape everywhere: names, quotes and titles come from scraped articles.
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.globals["fragments"] = fragments  # the repeated pieces, escaped in Python (macros.html re-exports them)
    return env


def write_site(engine: Engine, target: Path, data_dir: Path,
               progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Write the site for the graph in `engine` into `target`; returns the number of pages per kind.

    `data_dir` holds the archived texts the source pages show (the store keeps only their paths).
    The site is written beside `target` and moved into place at the end, so a failure leaves an
    earlier site intact; `target` must be missing, empty, or a site written here before.
    """
    say = progress or (lambda message: None)
    _check_target(target)
    started = time.perf_counter()
    data = fetch(engine)
    say(f"read the store in {time.perf_counter() - started:.1f} s")
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        counts = _write_all(data, scratch, data_dir, say)
        _replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"wrote {sum(counts.values())} pages in {time.perf_counter() - started:.1f} s")
    return counts


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise InputError("the site's output is a directory, and this is a file; choose a directory", file=target)
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise InputError(f"this directory is not empty and holds no egkg site ({MARKER} missing); "
                         "choose a new or empty directory so nothing else is overwritten", file=target)


def _replace(scratch: Path, target: Path) -> None:
    """Move the new site into place; the old one is removed only once the new one is there."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    scratch.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_all(data: SiteData, out: Path, data_dir: Path, say: Callable[[str], None]) -> dict[str, int]:
    env = _environment()
    pages = Pages(data)
    counts: dict[str, int] = {}
    index_sections = []
    for kind, (template_name, label) in KINDS.items():
        template = env.get_template(template_name)
        (out / kind).mkdir(parents=True, exist_ok=True)
        entities = pages.entities(kind)
        for iri in entities:
            page = pages.new_page(iri)
            context = getattr(pages, kind)(iri, page)
            extra = _source_extras(pages, page, iri, data_dir) if kind == "source" else {}
            html = template.render(p=context, title=context["name"], kind=kind, kind_label=label,
                                   root="../", sources=page.source_list(), **extra)
            (out / page.path).write_text(html, encoding="utf-8")
        counts[kind] = len(entities)
        index_sections.append({"label": label, "entries": _index_items(pages, kind, entities)})
        say(f"{kind}: {len(entities)} pages")
    index = env.get_template("index.html").render(
        p={}, title="egkg", kind="index", kind_label={"id": "Beranda", "en": "Home"}, root="", sources=[],
        sections=index_sections, province_map=_province_map(pages))
    (out / "index.html").write_text(index, encoding="utf-8")
    _write_assets(out, pages)
    return counts


def _province_map(pages: Pages) -> Markup:
    """The 38 provinces as tiles; those with a region page link to it and show its meeting and acting-head counts."""
    page = Page("index.html", pages.data, pages.published)
    tiles = []
    with PROVINCES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            iri = f"{ID}region/{row['code']}"
            summary = pages.region(iri, Page(page_path(iri), pages.data, pages.published)) if iri in pages.published else None
            tiles.append(Tile(row["code"], row["name"], row["abbreviation"], int(row["row"]), int(row["col"]),
                              page.href(iri), len(summary["meetings"]) if summary else 0,
                              len({h["holder"][0]["iri"] for h in summary["acting"] if h["holder"]}) if summary else 0))
    return tile_map(tiles, "Peta provinsi / map of provinces")


def _index_items(pages: Pages, kind: str, entities: list[str]) -> list[dict]:
    page = Page("index.html", pages.data, pages.published)
    dated = {"meeting": EGKG + "startDate", "source": EGKG + "datePublished"}.get(kind)
    items = [{"ref": page.ref(iri), "date": pages.data.value(iri, dated) if dated else ""} for iri in entities]
    return sorted(items, key=lambda i: (i["date"], i["ref"]["text"].casefold(), i["ref"]["iri"]))


def _source_extras(pages: Pages, page: Page, source: str, data_dir: Path) -> dict:
    """The archived text cut into quotes, and each quote with the pages of the facts it supports."""
    name = pages.data.value(source, EGKG + "archivedText")
    text = _archived_text(data_dir, name)
    by_span: dict[tuple[int, int], dict] = {}
    for quote, fact in sorted(pages.data.by_source.get(source, ()), key=lambda qf: (qf[0], qf[1])):
        if normalise(text[quote.start:quote.end]) != normalise(quote.text):
            raise InputError(f"the archived text no longer holds the quote {quote.text[:60]!r} at "
                             f"{quote.start}-{quote.end}; run `egkg build` again", file=data_dir / name)
        entry = by_span.setdefault((quote.start, quote.end), {"anchor": quote.anchor, "text": quote.text, "pages": {}})
        for ref in pages.supported(page, fact):
            entry["pages"][ref["iri"]] = ref
    article, crossing = layout(text, set(by_span))
    quotes = [{**entry, "pages": [entry["pages"][k] for k in sorted(entry["pages"])]}
              for _, entry in sorted(by_span.items())]
    return {"article": article, "quotes": quotes, "text_name": name,
            "crossing": [{"anchor": by_span[s]["anchor"], "text": text[s[0]:s[1]], "start": s[0], "end": s[1]}
                         for s in crossing]}


def _archived_text(data_dir: Path, name: str) -> str:
    path = data_dir / name
    # The store's path came from a record; a link or ".." out of data/ must not read other files.
    if not name or not path.resolve().is_relative_to(data_dir.resolve()):
        raise InputError("the archived text lies outside the data directory", file=path)
    try:
        return path.read_bytes().decode("utf-8-sig")  # as records.py reads it, so offsets agree
    except OSError as exc:
        raise InputError(f"archived text cannot be read ({exc.strerror}); pass the --data the graph was built from",
                         file=path) from None
    except UnicodeDecodeError:
        raise InputError("archived text is not valid UTF-8; run `egkg build` to check it", file=path) from None


def _search_documents(pages: Pages) -> list[dict]:
    """One document per searchable page: its name and every other name it goes by."""
    data = pages.data
    documents = []
    for kind in SEARCHED:
        for iri in pages.entities(kind):
            names = {*data.values(iri, SKOS_ALT), *data.values(iri, EGKG + "printedName"),
                     *(data.value(v, EGKG + "variantName") for v in data.values(iri, EGKG + "hasNameVariant")),
                     *data.values(iri, EGKG + "title"), *data.values(iri, EGKG + "kemendagriCode")}
            names.discard(data.label(iri))
            documents.append({"id": page_path(iri), "kind": kind, "name": data.label(iri),
                              "aliases": " ; ".join(sorted(n for n in names if n)),
                              "date": data.value(iri, EGKG + "startDate")})
    return documents


def _write_assets(out: Path, pages: Pages) -> None:
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    for name, source in ASSETS.items():
        shutil.copyfile(source, assets / name)
    # A script defining a global, not a .json file: pages opened from file:// may not fetch().
    # ensure_ascii and sorted keys make the file the same bytes for the same graph.
    documents = json.dumps(_search_documents(pages), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    (assets / "search-index.js").write_text(f"window.EGKG_SEARCH = {documents};\n", encoding="utf-8")
    (out / MARKER).write_text("written by `egkg site`; the whole directory is replaced on the next run\n",
                              encoding="utf-8")
