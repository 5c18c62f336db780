"""Stage 4, reasoning: SPARQL rules, HermiT and the coordination counts derive the inferred graphs."""
