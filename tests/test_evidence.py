"""Evidence quotes are found verbatim, whitespace-normalised, with offsets into the original text."""

from __future__ import annotations

import pytest

from kg_builder.load.evidence import ArchivedText, normalise


def test_whitespace_runs_compare_equal():
    text = ArchivedText.of("Rakor  yang\n\ndihadiri oleh\tForkopimda")
    start, end = text.locate("yang dihadiri oleh Forkopimda")
    assert text.original[start:end] == "yang\n\ndihadiri oleh\tForkopimda"


@pytest.mark.parametrize("quote", ["yang dihadiri oleh forkopimda", "Forkopimda Sultra", "", "   "])
def test_case_spelling_and_empty_quotes_do_not_match(quote):
    assert ArchivedText.of("Rakor yang dihadiri oleh Forkopimda").locate(quote) is None


def test_first_occurrence_wins():
    text = ArchivedText.of("KPU dan KPU")
    assert text.locate("KPU") == (0, 3)


def test_normalise_trims_and_collapses():
    assert normalise("  a \n b\t\tc ") == "a b c"
