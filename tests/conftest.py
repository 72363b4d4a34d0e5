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
