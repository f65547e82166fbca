"""One writer per working database: an advisory file lock held for the whole run."""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path


class RunLockedError(RuntimeError):
    """Another run is already writing this database."""


def lock_path(db_path: str | Path) -> Path:
    """The lock file beside the published database."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(db_path: str | Path):
    """Hold the database's writer lock, or raise RunLockedError naming the holder."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    try:
        _acquire(handle, db_path)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the flock


def check_unlocked(db_path: str | Path) -> None:
    """Fail early, with the clear message, when a run already holds the lock."""
    with writer_lock(db_path):
        pass


def _acquire(handle, db_path) -> None:
    try:
        # flock locks belong to the open file, so two threads of one process also exclude each other.
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown process"
        raise RunLockedError(f"another critics run is writing {db_path} ({holder}); "
                             f"wait for it to finish or use a different --db") from None
