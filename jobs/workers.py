"""Which worker holds a claim, and whether it is known to be dead.

A claim names its worker as `host:pid`. A worker on this machine whose process is gone is dead
for sure, so the sweep gives its rows back at once; one on another machine is only presumed dead
once the lease has run out (OUTBOX_LEASE_S).
"""

import os
import socket

HOST = socket.gethostname()
WORKER = f"{HOST}:{os.getpid()}"


def is_gone(worker: str) -> bool:
    """Whether `worker` (host:pid) is a process of this machine that no longer runs."""
    host, _, pid = worker.rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it runs, as another user
        return False
    return False
