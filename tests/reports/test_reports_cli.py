"""``siteassess report`` and ``siteassess compare``: outputs, exit codes, atomic writing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from siteassess.cli import main
from siteassess.errors import OutputError
from tests.conftest import SAMPLE_PROJECT
from tests.reports.conftest import pdf_text

SAMPLE_DIR = SAMPLE_PROJECT.parent


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """The sample project with only its first three sites (for --all)."""
    sites = json.loads((SAMPLE_DIR / "sites.geojson").read_text(encoding="utf-8"))
    sites["features"] = sites["features"][:3]
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "sites.geojson").write_text(json.dumps(sites), encoding="utf-8")
    for f in SAMPLE_DIR.iterdir():
        if f.name != "sites.geojson" and f.suffix in (".toml", ".csv", ".geojson"):
            (folder / f.name).write_bytes(f.read_bytes())
    return folder / "project.toml"


def test_report_writes_a_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "escaudain.pdf"
    code, stdout, err = run(
        capsys, "report", str(SAMPLE_PROJECT), "--site", "escaudain-soufflantes",
        "--output", str(out), "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    assert f"wrote {out}" in stdout
    assert "Les Soufflantes (ex-Usinor)" in pdf_text(out)
    assert [p.name for p in tmp_path.iterdir()] == ["escaudain.pdf"]  # no temporary left


def test_report_all_writes_one_pdf_per_site(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_project: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _, err = run(
        capsys, "report", str(small_project), "--all", "--output", str(folder), "--lang", "fr"
    )
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "douai-euradouai.pdf",
        "douchy-total-solar.pdf",
        "escaudain-soufflantes.pdf",
    ]
    assert pdf_text(folder / "douai-euradouai.pdf").startswith("FICHE SITE")


def test_report_all_creates_the_output_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_project: Path
) -> None:
    folder = tmp_path / "dossier" / "fiches"  # neither exists yet
    code, stdout, err = run(capsys, "report", str(small_project), "--all", "--output", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == [
        "douai-euradouai.pdf",
        "douchy-total-solar.pdf",
        "escaudain-soufflantes.pdf",
    ]
    assert f"wrote {folder / 'douai-euradouai.pdf'}" in stdout


def test_report_all_refuses_a_file_and_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_project: Path
) -> None:
    target = tmp_path / "fiches"
    target.write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, "report", str(small_project), "--all", "--output", str(target))
    assert code == 2
    assert f"{target} is a file" in err and "give a folder" in err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "not a folder"
    assert not list(tmp_path.rglob("*.pdf"))


def test_report_all_failing_midway_leaves_only_complete_pdfs(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    small_project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    calls: list[int] = []
    real_fsync = os.fsync

    def full_on_second(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr("siteassess.atomic.os.fsync", full_on_second)
    folder = tmp_path / "new" / "reports"
    code, _, err = run(capsys, "report", str(small_project), "--all", "--output", str(folder))
    assert code == 2 and "No space left on device" in err
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".pdf"  # the first; no temporary, no partial
    data = files[0].read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_compare_default_sites(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "cmp.pdf"
    code, _, err = run(capsys, "compare", str(SAMPLE_PROJECT), "--output", str(out))
    assert code == 0, err
    assert "5" in pdf_text(out).split("\n", 3)[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--site", "nowhere", "--output", "{tmp}/x.pdf"], "no site with id 'nowhere'"),
        (["report", "--site", "douai-euradouai", "--output", "{tmp}/missing/x.pdf"],
         "the folder {tmp}/missing does not exist"),
        (["report", "--site", "douai-euradouai", "--output", "{tmp}/x.txt"], "ending in .pdf"),
        (["compare", "--sites", "douai-euradouai", "--output", "{tmp}/x.pdf"], "1 given"),
        (["compare", "--sites", "a,b,c,d,e,f", "--output", "{tmp}/x.pdf"], "6 given"),
        (["compare", "--sites", "douai-euradouai,nowhere", "--output", "{tmp}/x.pdf"],
         "no site with id 'nowhere'"),
        (["compare", "--output", "{tmp}/missing/x.pdf"], "the folder {tmp}/missing does not exist"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_a_message_naming_what_is_wrong(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    argv = [args[0], str(SAMPLE_PROJECT), *(a.replace("{tmp}", str(tmp_path)) for a in args[1:])]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message.replace("{tmp}", str(tmp_path)) in err
    assert "Traceback" not in err
    assert not list(tmp_path.rglob("*.pdf"))


def test_report_needs_site_or_all(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as e:
        main(["report", str(SAMPLE_PROJECT), "--output", str(tmp_path / "x.pdf")])
    assert e.value.code == 2
    assert "--site" in capsys.readouterr().err


def test_a_failure_while_writing_leaves_no_pdf_and_keeps_the_old_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"the previous report")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("siteassess.atomic.os.fsync", disk_full)
    code, _, err = run(
        capsys, "report", str(SAMPLE_PROJECT), "--site", "douai-euradouai", "--output", str(out)
    )
    assert code == 2
    assert f"{out}: cannot write: No space left on device" in err
    assert out.read_bytes() == b"the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_a_failure_while_building_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_assessment: object
) -> None:
    from siteassess.reports.pdf import site_report, write_site_report

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OutputError("layout failed")

    monkeypatch.setattr(site_report, "build_pdf", broken)
    with pytest.raises(OutputError):
        write_site_report(sample_assessment, "douai-euradouai", tmp_path / "r.pdf", lang="en")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_cli_import_stays_light() -> None:
    """reportlab and matplotlib load only when a report is written; pyplot never."""
    code = (
        "import sys, siteassess.cli, siteassess.reports.pdf;"
        "heavy = [m for m in ('reportlab', 'matplotlib') if m in sys.modules];"
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stdout + res.stderr


def test_reports_draw_on_agg_without_pyplot(tmp_path: Path) -> None:
    """Maps draw on their own Agg canvas: no pyplot, no GUI backend, no Qt."""
    code = (
        "import sys;"
        "from siteassess.cli import main;"
        f"rc = main(['report', {str(SAMPLE_PROJECT)!r}, '--site', 'douai-euradouai',"
        f" '--output', {str(tmp_path / 'r.pdf')!r}]);"
        "gui = [m for m in sys.modules if m.startswith(('matplotlib.pyplot', 'PySide6',"
        " 'matplotlib.backends.backend_qt'))];"
        "print(rc, 'matplotlib.backends.backend_agg' in sys.modules, gui)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert res.stdout.splitlines()[-1].split() == ["0", "True", "[]"], res.stdout + res.stderr
