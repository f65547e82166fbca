"""Test hook only: CRITICS_FAULT_PAUSE=<step> makes that step say so on stderr and sleep, so a test can kill it there."""
from __future__ import annotations

import os
import sys
import time

PAUSE_ENV = "CRITICS_FAULT_PAUSE"  # fetch | load | publish; unset in normal use, when this is a no-op


def pause_point(step: str) -> None:
    """Sleep here when the environment asks to pause in this step (tests/test_faults.py SIGKILLs the run)."""
    if os.environ.get(PAUSE_ENV) != step:
        return
    print(f"critics: paused in {step}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ.get("CRITICS_FAULT_PAUSE_S", "600")))
