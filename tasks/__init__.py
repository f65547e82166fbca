"""Pipeline step logic by stage, plain Python without Prefect: acquire, text, extract, warehouse, runtime."""
