"""The DuckDB warehouse: bulk loads, incremental upkeep, the marts and their publish, exports and the report."""
