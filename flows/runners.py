"""Which Prefect task runner a run uses, chosen by the config's [runner] section at the flow's entry."""
from __future__ import annotations

from critics.schemas.config import RunnerSettings, load_config


def task_runner(settings: RunnerSettings):
    """Threads in this process (local), or Dask workers: an existing cluster by address, else a temporary LocalCluster."""
    if settings.kind != "dask":
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    if settings.address:
        return DaskTaskRunner(address=settings.address)
    # One thread per worker process: the steps are pure-Python CPU work, so threads would only share one GIL.
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": settings.workers, "processes": True,
                                          "threads_per_worker": 1, "dashboard_address": None})


def with_runner(flow, config_path: str):
    """The flow with the task runner its config asks for (apply at the caller, e.g. the CLI)."""
    return flow.with_options(task_runner=task_runner(load_config(config_path).runner))


def in_flight(settings: RunnerSettings) -> int:
    """Batches processed ahead of the loader: one per worker process plus one queued."""
    return settings.workers + 1
