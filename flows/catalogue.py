"""The `catalogue` flow: import IMDb's non-commercial dataset files into the working database."""
from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from critics.flows.alerts import writer_slot
from critics.schemas.config import DEFAULT_DB
from critics.tasks.runtime.runlock import writer_lock
from critics.tasks.warehouse import catalogue, load


@task(name="import catalogue", cache_policy=NO_CACHE)
def import_files(db: str, folder: str) -> dict[str, int]:
    """Films, akas, principals and people of the four files, replacing the previous import in one transaction."""
    with load.open_work(db) as con:
        return catalogue.import_catalogue(con, folder)


@flow(name="catalogue")
def import_catalogue(folder: str, db: str = str(DEFAULT_DB)) -> dict[str, int]:
    """Read IMDb's title.basics, title.akas, title.principals and name.basics from folder; the next publish links to them."""
    catalogue.dataset_paths(folder)  # a missing file fails the run before the database is locked
    with writer_slot(db), writer_lock(db):  # in `critics serve`, waits its turn like the other deployments
        return import_files(db, folder)
