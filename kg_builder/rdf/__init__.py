"""RDF plumbing shared by every stage: the ontology's terms and vocabularies, N-Quads and TriG writers."""
