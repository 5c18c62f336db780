"""An archived text cut into plain runs and nested highlighted quotes, ready for the source page."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Mark", "layout"]


@dataclass
class Mark:
    """A highlighted quote [start, end) of the text; `children` are plain strings and nested Marks."""

    start: int
    end: int
    children: list[str | Mark] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"q-{self.start}-{self.end}"


def layout(text: str, spans: set[tuple[int, int]]) -> tuple[list[str | Mark], list[tuple[int, int]]]:
    """The text as a tree of runs and Marks, and the spans that could not be nested in it.

    HTML elements nest, quotes need not: when quote B starts inside quote A and ends after it, no
    element can hold exactly A's text and another exactly B's. Spans are taken longest-first at each
    start, and one that crosses an earlier one is returned as `crossing` for the page to show on its
    own (still with its id), never cut into pieces whose text would differ from the quote.
    """
    ordered = sorted(spans, key=lambda s: (s[0], -s[1]))
    nested: list[tuple[int, int]] = []
    crossing: list[tuple[int, int]] = []
    open_ends: list[int] = []
    for start, end in ordered:
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        if open_ends and end > open_ends[-1]:
            crossing.append((start, end))
            continue
        nested.append((start, end))
        open_ends.append(end)
    root = Mark(0, len(text))
    stack = [root]
    position = 0
    for start, end in nested:
        while stack[-1] is not root and stack[-1].end <= start:
            position = _close(text, stack, position)
        if start > position:
            stack[-1].children.append(text[position:start])
        mark = Mark(start, end)
        stack[-1].children.append(mark)
        stack.append(mark)
        position = start
    while stack[-1] is not root:
        position = _close(text, stack, position)
    if position < len(text):
        root.children.append(text[position:])
    return root.children, crossing


def _close(text: str, stack: list[Mark], position: int) -> int:
    """End the innermost open Mark: add its remaining text; return the new position."""
    mark = stack.pop()
    if mark.end > position:
        mark.children.append(text[position:mark.end])
    return mark.end
