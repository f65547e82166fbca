"""Running batches: the batch record and its steps, the worker pool, progress, the writer lock, artifacts."""
