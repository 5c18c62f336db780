"""Stage 1, loading: YAML record files and archived texts become a checked corpus."""
