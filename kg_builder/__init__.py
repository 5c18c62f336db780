"""egkg: turn curated records of Indonesian election-governance news into a knowledge graph."""

__version__ = "0.1.0"
