"""The build pipeline that runs the stages: full, incremental and chunked builds, and releases."""
