"""Progress and cancellation of long work, and a progress bar on the terminal.

``Progress`` and ``CancelFlag`` are the two plain callables the core takes for long work
(the assessment, the exports); the app wraps them in a worker with a bar and Cancel, the
command line in :class:`TerminalProgress`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[float, str], None]  # (fraction 0..1, message)
CancelFlag = Callable[[], bool]  # True once the user asked to stop


class TerminalProgress:
    """A progress callback ``(fraction, message)`` drawing a one-line bar on a terminal.

    Nothing is drawn during the first ``delay`` seconds, nor when the stream is not a
    terminal (a pipe or a log file); ``verbose`` prints one line per step instead.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        verbose: bool = False,
        delay: float = 1.0,
        width: int = 30,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.verbose = verbose
        self.delay = delay
        self.width = width
        self.clock = clock
        self.start = clock()
        self.drawn = False
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, fraction: float, message: str) -> None:
        """Report progress (``fraction`` from 0 to 1)."""
        if self.verbose:
            self.stream.write(f"{fraction * 100:5.1f}%  {message}\n")
            self.stream.flush()
            return
        if not self.tty or self.clock() - self.start < self.delay:
            return
        done = round(max(0.0, min(1.0, fraction)) * self.width)
        bar = "#" * done + "." * (self.width - done)
        self.stream.write(f"\r[{bar}] {fraction * 100:3.0f}%  {message[:40]:<40}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line (if one was drawn)."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False
