"""Atomic file output: write to a temporary file beside the target, then rename.

A crash or an error never leaves a truncated or half-written file at the target path,
and an existing file there stays as it was until the new one is complete.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from siteassess.errors import OutputError


@contextlib.contextmanager
def atomic_output(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target`` (same suffix); rename it on success.

    On any exception the temporary file is removed and the target is untouched.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path()
    if not folder.is_dir():
        raise OutputError(f"{target}: the folder {folder} does not exist")
    remove_stale_temporaries(target)
    # The writer's process id is in the name, so that a later write can tell the temporary
    # files of a killed run (their process is gone) from those of a run still writing.
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.{os.getpid()}.", suffix=target.suffix, dir=folder
    )
    os.close(fd)
    tmp = Path(tmp_name)
    # Some writers (GDAL drivers) refuse to write over an existing empty file.
    tmp.unlink()
    try:
        yield tmp
        if not tmp.exists():
            raise OutputError(f"{target}: nothing was written")
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists (another user's), or cannot tell: keep its files
    return True


def remove_stale_temporaries(target: str | Path) -> list[Path]:
    """Remove the hidden temporary files a killed run left beside ``target``; return them.

    Only files named as :func:`atomic_output` names them (``.STEM.PID.XXXX.SUFFIX``) whose
    process no longer runs; on Windows, where a process id cannot be probed this way, files
    older than an hour.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path()
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    prefix = f".{target.stem}."
    for p in folder.glob(f"{glob.escape(prefix)}*{glob.escape(target.suffix)}"):
        rest = p.name[len(prefix) :].split(".", 1)[0]
        if not rest.isdigit():
            continue
        stale = False
        if os.name == "nt":
            with contextlib.suppress(OSError):
                stale = time.time() - p.stat().st_mtime > 3600
        else:
            stale = not _alive(int(rest))
        if stale:
            with contextlib.suppress(OSError):
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()
                removed.append(p)
    return removed


def atomic_write_bytes(target: str | Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (flushed to disk before the rename)."""
    try:
        with atomic_output(target) as tmp, tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None


def hidden_sibling(target: str | Path) -> Path:
    """A new hidden name beside ``target`` that :func:`remove_stale_temporaries` knows."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path()
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.{os.getpid()}.", suffix=target.suffix, dir=folder
    )
    os.close(fd)
    Path(name).unlink()
    return Path(name)


def replace_all(moves: list[tuple[Path, Path]]) -> None:
    """Move each finished temporary into place (a folder replaces a folder)."""
    for tmp, target in moves:
        if tmp.is_dir():
            old = None
            if target.exists():
                old = hidden_sibling(target)
                target.replace(old)
            tmp.replace(target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.replace(target)
