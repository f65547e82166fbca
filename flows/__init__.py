"""The Prefect layer: flows, their thin tasks, deployments and the command line."""
