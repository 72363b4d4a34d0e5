"""The layering of ARCHITECTURE.md, checked: no SQL and no algorithm in the CLI or
the web layer; the pure layers (nlp, analysis) never reach the project, the CLI or the web."""

import re
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "caseminer"


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["cli", "web"])
def test_architecture_no_sql_in_translating_layers(folder):
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules(folder)
                 if re.search(r"\.execute(many)?\(|\bSELECT\b|\bINSERT\b|\bUPDATE\b", p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("folder", ["nlp", "analysis"])
def test_architecture_pure_layers_do_not_reach_the_project(folder):
    forbidden = re.compile(r"from \.\.(project|store|pipeline|coding|cli|web|report)\b|import caseminer\.(project|store|"
                           r"pipeline|cli|web)")
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules(folder) if forbidden.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("folder", ["pipeline", "coding", "report", "exchange", "analysis", "nlp", "store"])
def test_architecture_library_never_imports_cli_or_web(folder):
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules(folder)
                 if re.search(r"from \.\.(cli|web)\b|from \.\.\.(cli|web)\b", p.read_text(encoding="utf-8"))]
    assert offenders == []
