"""Stage 3, validation: SHACL on the mapped graph, whole, for changed nodes, or chunk by chunk."""
