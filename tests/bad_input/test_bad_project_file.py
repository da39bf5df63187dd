"""The project file itself: not a regular file, too large, not text, not TOML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.bad_input.harness import assert_refused, run_cli

needs_posix = pytest.mark.skipif(os.name == "nt", reason="devices and FIFOs are POSIX files")


@needs_posix
def test_dev_zero_as_the_project_is_refused_at_once() -> None:
    ended = run_cli(["score", "/dev/zero"], timeout=20)
    assert_refused(ended, naming=["/dev/zero", "not a regular file"])


@needs_posix
def test_a_fifo_as_the_project_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "project.toml"
    os.mkfifo(fifo)
    ended = run_cli(["validate", fifo], timeout=20)
    assert_refused(ended, naming=[str(fifo), "not a regular file"])


def test_a_folder_as_the_project_names_the_file_to_give(tmp_path: Path) -> None:
    ended = run_cli(["score", tmp_path])
    assert_refused(ended, naming=[str(tmp_path), "is a folder", "project.toml"])


def test_a_huge_project_file_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "project.toml"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: 200 MB of zeros, no disk used
    ended = run_cli(["score", big], timeout=20)
    assert_refused(ended, naming=[str(big), "far too large for a project file"])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xff\xfe\x00s\x00c", "not UTF-8"),
        (b"schema = 1\nname = \n", "not valid TOML"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
    ],
    ids=["utf16", "broken-toml", "png"],
)
def test_a_project_that_is_not_toml_text(tmp_path: Path, content: bytes, words: str) -> None:
    project = tmp_path / "project.toml"
    project.write_bytes(content)
    ended = run_cli(["score", project])
    assert_refused(ended, naming=[str(project), words])
