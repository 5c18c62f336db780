"""Drafting assistant: propose a record file from an article's text, every fact pointing at a quote."""

from __future__ import annotations

from .assemble import draft_article

__all__ = ["draft_article"]
