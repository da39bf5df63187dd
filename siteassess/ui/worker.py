"""Long work off the GUI thread: a task runner wrapping the core's progress and cancel flag.

A task is a plain function ``fn(progress, cancelled) -> result`` run on a thread pool.
Its progress, result and error come back to the GUI thread as queued signals; starting a
task of a kind that is already running cancels the older one and ignores its result, so
a slow re-measure never overwrites a newer one.

The pool is Python's (``concurrent.futures``), not ``QThreadPool``: pyproj 3.7 keeps a PROJ
context per Python thread and crashes in threads that Python did not create
(pyproj4/pyproj#1509), and every measurement reprojects.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

Job = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class _Signals(QObject):
    """Signals of one task (created in the GUI thread, emitted from the worker)."""

    progress = Signal(int, float, str)
    finished = Signal(int, object)
    failed = Signal(int, object)


def _run(number: int, job: Job, signals: _Signals, cancel: threading.Event) -> None:
    """Run one job on a pool thread; its outcome goes back as a signal."""

    def progress(fraction: float, message: str) -> None:
        signals.progress.emit(number, float(fraction), str(message))

    try:
        result = job(progress, cancel.is_set)
    except BaseException as exc:
        signals.failed.emit(number, exc)
    else:
        signals.finished.emit(number, result)


@dataclass
class Task:
    """A started task: its kind, callbacks and cancel flag."""

    number: int
    kind: str
    on_done: Callable[[Any], None]
    on_error: Callable[[BaseException], None] | None
    show_progress: bool
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Ask the task to stop at its next progress step."""
        self.cancel_event.set()


class TaskRunner(QObject):
    """Runs jobs on a thread pool; reports progress; one live task per kind."""

    started = Signal(str)  # kind
    progress = Signal(float, str)  # of the tasks that show progress
    idle = Signal()  # no task showing progress is left
    failed = Signal(str, object)  # kind, exception (when the task has no on_error)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="siteassess")
        self._futures: set[concurrent.futures.Future[None]] = set()
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._tasks: dict[int, Task] = {}
        self._latest: dict[str, int] = {}
        self._numbers = itertools.count(1)

    def start(
        self,
        kind: str,
        job: Job,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        show_progress: bool = True,
    ) -> Task:
        """Run ``job`` off the GUI thread; ``on_done(result)`` runs on the GUI thread."""
        self.cancel(kind)
        task = Task(next(self._numbers), kind, on_done, on_error, show_progress)
        self._tasks[task.number] = task
        self._latest[kind] = task.number
        future = self.pool.submit(_run, task.number, job, self._signals, task.cancel_event)
        self._futures.add(future)
        future.add_done_callback(self._futures.discard)
        if show_progress:
            self.started.emit(kind)
        return task

    def cancel(self, kind: str | None = None) -> None:
        """Cancel the running tasks (of one kind, or all)."""
        for task in self._tasks.values():
            if kind is None or task.kind == kind:
                task.cancel()

    def busy(self, kind: str | None = None) -> bool:
        """True while a task (of ``kind``) runs."""
        return any(kind is None or t.kind == kind for t in self._tasks.values())

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every task has finished (at exit and in tests)."""
        _, pending = concurrent.futures.wait(list(self._futures), timeout=msecs / 1000)
        return not pending

    def _current(self, number: int) -> Task | None:
        task = self._tasks.get(number)
        if task is None or self._latest.get(task.kind) != number or task.cancel_event.is_set():
            return None
        return task

    @Slot(int, float, str)
    def _on_progress(self, number: int, fraction: float, message: str) -> None:
        task = self._current(number)
        if task is not None and task.show_progress:
            self.progress.emit(fraction, message)

    @Slot(int, object)
    def _on_finished(self, number: int, result: object) -> None:
        task = self._current(number)
        self._forget(number)
        if task is not None:
            task.on_done(result)

    @Slot(int, object)
    def _on_failed(self, number: int, exc: object) -> None:
        task = self._current(number)
        self._forget(number)
        if task is None:
            return
        assert isinstance(exc, BaseException)
        if task.on_error is not None:
            task.on_error(exc)
        else:
            self.failed.emit(task.kind, exc)

    def _forget(self, number: int) -> None:
        self._tasks.pop(number, None)
        if not any(t.show_progress for t in self._tasks.values()):
            self.idle.emit()
