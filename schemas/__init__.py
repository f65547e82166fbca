"""Settings, record types and the SQL models of every layer (raw, staging, intermediate, marts)."""
