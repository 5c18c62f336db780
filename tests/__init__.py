"""egkg test suite."""
