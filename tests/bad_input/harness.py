"""The bad-input corpus: run the command line on a hostile input and check how it ends.

Every case asserts the exit code (2 for bad input, never 1), a message on stderr naming the
file or layer and what is wrong, no traceback, and that no output file was left behind.
Each class of the corpus has its own module here (``test_bad_<class>.py``).

``validate`` promises what ``score`` does: when an assessing command (score, screen,
report, compare) refuses a project, :func:`assert_refused` also runs ``validate`` on that
project and requires it to refuse too, unless the case says the fault is in the command
line or the output (``project_fault=False``). So the whole corpus tests that parity.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_sites" / "hauts-de-france"
EXIT_BAD_INPUT = 2


@dataclass(frozen=True)
class Ended:
    """How one command line run ended."""

    code: int
    out: str
    err: str
    args: tuple[str, ...] = ()


def run_cli(args: Sequence[str | Path], *, timeout: float = 60.0, cwd: Path | None = None) -> Ended:
    """``python -m siteassess ARGS`` in a process of its own (a hang fails by timeout)."""
    proc = subprocess.run(
        [sys.executable, "-m", "siteassess", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        check=False,
    )
    return Ended(proc.returncode, proc.stdout, proc.stderr, tuple(map(str, args)))


ASSESSING = ("score", "screen", "report", "compare")


def assert_refused(
    ended: Ended,
    *,
    naming: Sequence[str],
    outputs: Sequence[Path] = (),
    code: int = 2,
    project_fault: bool = True,
) -> None:
    """Exit ``code``, each of ``naming`` in the message, no traceback, no output left.

    With ``project_fault`` (the default), an assessing command's refusal must also be
    ``validate``'s: an "OK" from ``validate`` on a project that ``score`` refuses is a bug.
    """
    text = ended.err + ended.out
    assert ended.code == code, f"exit {ended.code}, expected {code}:\n{text[-2000:]}"
    assert "Traceback" not in text, text[-2000:]
    for words in naming:
        assert words in text, f"{words!r} not in the message:\n{text[-2000:]}"
    for out in outputs:
        assert not out.exists(), f"{out} was left behind"
        stray = [p.name for p in out.parent.glob(f".{out.name}*")] if out.parent.is_dir() else []
        assert not stray, f"temporary files left: {stray}"
    if project_fault and code == EXIT_BAD_INPUT and ended.args[:1] in [(c,) for c in ASSESSING]:
        assert_validate_refuses(Path(ended.args[1]), ended)


def assert_validate_refuses(project: Path, refused: Ended | None = None) -> None:
    """``validate`` refuses ``project`` with exit 2, its errors on stderr, no traceback."""
    checked = run_cli(["validate", project])
    said = f"\n{' '.join(refused.args)} said:\n{refused.err[-1500:]}" if refused else ""
    assert checked.code == EXIT_BAD_INPUT, (
        f"validate exit {checked.code} on a project that is refused (parity bug):\n"
        f"{checked.out[-1500:]}{checked.err[-1500:]}{said}"
    )
    assert "Traceback" not in checked.err + checked.out, checked.err[-2000:]
    assert "ERROR:" in checked.err and "NOT OK" in checked.err, checked.err[-2000:]


def project_file(
    folder: Path,
    layers: list[dict[str, object]],
    criteria: dict[str, object] | None = None,
    **top: object,
) -> Path:
    """A project TOML in ``folder`` (layer paths as given, relative to it)."""
    doc = {"schema": 1, "name": "bad input", **top, "layers": layers}
    doc["criteria"] = criteria or {"land": {"weight": 1}}
    path = folder / "project.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def sample_sites_layer() -> dict[str, object]:
    """The sample's sites layer, by absolute path (a valid layer to pair bad ones with)."""
    return {"role": "sites", "path": str(SAMPLE / "sites.geojson")}
