"""Where each graph IRI's page lives in the site, and links between pages."""

from __future__ import annotations

import re

__all__ = ["ID", "PAGE_KINDS", "link_between", "page_path"]

ID = "https://w3id.org/egkg/id/"
# IRI kind (the first path segment after /id/) -> the page kind's folder in the site.
PAGE_KINDS = ("person", "org", "post", "meeting", "source", "regulation", "region")
# A slug segment as the record format allows it (models.SLUG_PATTERN, plus the letters and dots
# of region codes and regulation numbers). Anything else gets no page rather than an odd file name.
_SEGMENT = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def page_path(iri: str) -> str | None:
    """The site-relative path of `iri`'s page, or None when the site has no page for it.

    The mapping, which is all a reader needs to turn an IRI from `egkg query --format csv` into a link:

        https://w3id.org/egkg/id/<kind>/<a>            -> <kind>/<a>.html
        https://w3id.org/egkg/id/<kind>/<a>/<b>/<c>    -> <kind>/<a>_<b>_<c>.html

    for <kind> in person, org (institutions), post, meeting, source, regulation and region, e.g.
    id/person/andap-budhi-revianto -> person/andap-budhi-revianto.html,
    id/regulation/uu/2016/10 -> regulation/uu_2016_10.html, id/region/74.06 -> region/74.06.html.
    Slugs never contain "_", so the mapping can be reversed. Paths are built only from segments
    matching the slug pattern: an IRI with any other character maps to no page.
    """
    if not iri.startswith(ID):
        return None
    kind, _, rest = iri[len(ID):].partition("/")
    if kind not in PAGE_KINDS or not rest:
        return None
    segments = rest.split("/")
    if not all(_SEGMENT.match(s) for s in segments):
        return None
    return f"{kind}/{'_'.join(segments)}.html"


def link_between(from_page: str, to_page: str) -> str:
    """A relative href from one site page to another (every page sits one folder deep, or at the root)."""
    depth = from_page.count("/")
    return "../" * depth + to_page
