"""Offline training of the small models the pipeline ships (run by hand, never by the pipeline)."""
