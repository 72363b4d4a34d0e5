"""Shared fixtures (one conftest for the whole suite, as spaCy's test README asks)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "demo"


def corpora_dir() -> Path:
    return Path(os.environ.get("CASEMINER_CORPORA", REPO.parent / "shared" / "corpora"))


@pytest.fixture
def corpora() -> Path:
    path = corpora_dir()
    if not path.is_dir():
        pytest.skip(f"real corpora not found at {path} (set CASEMINER_CORPORA)")
    return path


@pytest.fixture
def empty_project(tmp_path):
    from caseminer.project import Project

    project = Project.create(tmp_path / "project", coder="tester")
    yield project
    project.close()


@pytest.fixture
def demo_dir() -> Path:
    if not (DEMO / "cases").is_dir():
        pytest.skip("demo corpus not present")
    return DEMO


@pytest.fixture
def cli(tmp_path):
    """Run the CLI in-process: cli("import", "x") -> click Result."""
    from caseminer.cli import cli as group

    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(group, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


def db_snapshot(project) -> list[str]:
    """Every row of every table, to compare a project before and after a failed command."""
    return list(project.conn.iterdump())


def write_ods(path: Path, sheets: list[tuple[str, list[list]]], *, content: str | None = None) -> Path:
    """A LibreOffice workbook (.ods) of ``sheets`` (name, rows of str / int / float / None), or
    with ``content`` as its content.xml; the few parts caseminer reads, as LibreOffice lays
    them out (the mimetype first and stored)."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>")
        paragraphs = "".join(f"<text:p>{escape(p)}</text:p>" for p in str(value).split("\n"))
        return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'

    if content is None:
        tables = "".join(
            f"<table:table table:name={quoteattr(name)}>"
            + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
            + "</table:table>" for name, rows in sheets)
        content = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
            f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def xlsx_as_ods(xlsx: Path, ods: Path) -> Path:
    """``xlsx`` saved as .ods, every sheet and value kept (a stand-in for LibreOffice's Save As)."""
    import openpyxl

    workbook = openpyxl.load_workbook(xlsx)
    return write_ods(ods, [(ws.title, [list(row) for row in ws.iter_rows(values_only=True)])
                           for ws in workbook.worksheets])


def soffice_convert(path: Path, kind: str, out_dir: Path) -> Path:
    """``path`` saved by LibreOffice as ``kind`` (xlsx, xls, ods) into ``out_dir``; skips the
    test where LibreOffice Calc is not installed (``apt-get install libreoffice-calc-nogui``)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
    out_dir.mkdir(parents=True, exist_ok=True)
    # A profile of its own, so that a LibreOffice the user has open does not take the job.
    profile = (out_dir / ".lo-profile").resolve().as_uri()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", kind,
                           "--outdir", str(out_dir), str(path)], capture_output=True, text=True, timeout=300)
    result = out_dir / f"{path.stem}.{kind}"
    if not result.is_file():
        if "source file could not be loaded" in done.stderr:
            pytest.skip("LibreOffice has no Calc (apt-get install libreoffice-calc-nogui)")
        raise AssertionError(f"soffice did not convert {path}: {done.stdout} {done.stderr}")
    return result
