"""Where parallel work runs: dask's local threads by default, a dask.distributed cluster on request.

A scheduler address is used only when the user gives one (``--scheduler`` or the project's
``[compute] scheduler``); nothing here goes online otherwise. The local default needs no
set-up on any system (threads: no fork, no spawn of new interpreters).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from siteassess.errors import ProjectError

log = logging.getLogger(__name__)

T = TypeVar("T")

# Threads: no new interpreters, so nothing to set up on Windows and in the frozen app (a
# process pool there needs spawn, multiprocessing.freeze_support and a re-import of
# geopandas per worker). On the 2 M-parcel benchmark (benchmarks/bench_national.py, one
# noisy run on 2 shared cores) dask's process scheduler screened in 57 s against 78 s.
LOCAL_SCHEDULER = "threads"


def run_tasks(
    func: Callable[..., T], args: Sequence[tuple[Any, ...]], *, scheduler: str | None = None
) -> list[T]:
    """``[func(*a) for a in args]``, in parallel with dask, results in the order of ``args``.

    ``scheduler`` is a dask.distributed address (``tcp://host:8786``); None runs on this
    machine's threads. An error raised by one task is raised here as it was.
    """
    from dask.base import compute
    from dask.delayed import delayed

    tasks = [delayed(func, pure=False)(*a) for a in args]
    if scheduler is None:
        return list(compute(*tasks, scheduler=LOCAL_SCHEDULER))  # type: ignore[no-untyped-call]
    try:
        from distributed import Client
    except ImportError:
        raise ProjectError(
            f"scheduler {scheduler!r}: this installation has no dask.distributed (the "
            "installed program, Windows or Linux, leaves it out); run siteassess from a "
            "Python installation with `pip install distributed`, or leave the scheduler out "
            "to work on this machine"
        ) from None
    try:
        client = Client(scheduler, timeout=10, set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise ProjectError(
            f"scheduler {scheduler!r}: cannot reach the dask.distributed scheduler ({exc}); "
            "check the address (tcp://host:port) or leave it out to work on this machine"
        ) from None
    with client:
        log.info("running %d tasks on the cluster at %s", len(tasks), scheduler)
        futures = client.compute(tasks)  # type: ignore[no-untyped-call]
        return list(client.gather(futures))  # type: ignore[no-untyped-call]
