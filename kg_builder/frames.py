"""Query results as pandas DataFrames, for notebooks (pandas is an optional dependency)."""

from __future__ import annotations

from .engines import ResultTable

__all__ = ["to_frame"]


def to_frame(result: ResultTable, *, short_iris: bool = True):
    """One column per variable, plain values; IRIs shortened to id:/egkg: unless told otherwise."""
    import pandas as pd  # the `notebook` extra installs it

    from .output import SHORT_FORMS

    def value(term):
        if term is None:
            return None
        text = term.value
        if short_iris and term.kind == "iri":
            for long, short in SHORT_FORMS:
                if text.startswith(long):
                    return short + text.removeprefix(long)
        return text

    return pd.DataFrame([[value(t) for t in row] for row in result.rows], columns=list(result.columns))
