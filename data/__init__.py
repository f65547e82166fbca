"""Package data shipped with critics: trained models, lexicons and the demo site (never generated files)."""
