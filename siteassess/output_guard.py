"""An output never overwrites one of the project's inputs.

``score --output postes.csv`` on a project that reads ``postes.csv`` would replace the
substations layer with the ranking, and the next run would read the ranking as substations.
The writers call :func:`refuse_input_as_output` before they write.
"""

from __future__ import annotations

import os
from pathlib import Path

from siteassess.errors import OutputError
from siteassess.project import Project


def input_files(project: Project) -> list[tuple[str, Path]]:
    """Every file the project reads, with how messages name it: its layers, its map tiles
    and the project file itself."""
    files: list[tuple[str, Path]] = [
        (f"layer {spec.label}", project.resolve(spec)) for spec in project.layers
    ]
    tiles = project.tiles_path()
    if tiles is not None:
        files.append(("the map tiles", tiles))
    if project.path is not None:
        files.append(("the project file", project.path))
    return files


def _key(path: Path) -> str:
    """A path as the file system compares it (absolute, links resolved, case on Windows)."""
    return os.path.normcase(str(path.resolve()))


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)  # also a hard link, a symbolic link, another spelling
    except OSError:
        pass
    return _key(a) == _key(b)


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(_key(path)).relative_to(_key(folder))
    except ValueError:
        return False
    return True


def refuse_input_as_output(project: Project, target: Path, *, folder: bool = False) -> None:
    """Raise :class:`OutputError` when writing ``target`` would replace an input file.

    With ``folder``, ``target`` is a folder that is replaced whole: no input may lie in it.
    """
    for what, path in input_files(project):
        if _same(target, path) or (folder and _inside(path, target)):
            where = "holds" if folder and not _same(target, path) else "is"
            raise OutputError(
                f"{target}: this output {where} {what} of the project ({path}); writing it "
                "would overwrite the input. Choose another output name or folder"
            )
