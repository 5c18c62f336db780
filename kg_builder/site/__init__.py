"""`egkg site`: a static, offline site with a page per entity and every fact linked to its quote."""

from .paths import page_path
from .writer import KINDS, write_site

__all__ = ["KINDS", "page_path", "write_site"]
