"""Per-invocation state of the CLI: the project, opened lazily once."""

from __future__ import annotations

import sys

from ..project import Project, open_project


class CliContext:
    def __init__(self, project_dir: str | None):
        self.project_dir = project_dir
        self._project: Project | None = None

    @property
    def project(self) -> Project:
        if self._project is None:
            self._project = open_project(self.project_dir)
        return self._project

    def close(self) -> None:
        if self._project is not None:
            self._project.close()
            self._project = None


def interactive() -> bool:
    """Progress bars only on a terminal (never in pipes, files or CI logs)."""
    return sys.stderr.isatty()
