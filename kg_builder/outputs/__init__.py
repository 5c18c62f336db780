"""Stage 5, outputs: the on-disk store, exports in other RDF formats, and the build's class counts."""
