"""``caseminer run``: the whole pipeline on a corpus, into a project, in one call.

Each stage is called through its own library function, exactly as the individual
commands do; re-running continues (import is a no-op for known texts, and every
later stage replaces its own previous output, keeping researchers' decisions).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..project import DB_NAME, Project
from .corpus import ImportReport, import_cases

log = logging.getLogger(__name__)


@dataclass
class PipelineSummary:
    project_dir: Path
    import_report: ImportReport | None = None
    stages: list[tuple[str, str]] = field(default_factory=list)  # (stage, one-line result)
    todo: list[str] = field(default_factory=list)  # decisions left to a researcher


def run_pipeline(corpus: list[str | Path], out: str | Path, *, meta: str | Path | None = None,
                 text_field: str = "text", id_field: str = "id",
                 progress: Callable[[str], None] | None = None) -> PipelineSummary:
    """Run every stage on ``corpus`` into the project in ``out`` (created if needed)."""
    out = Path(out)
    project = Project.open(out) if (out / DB_NAME).is_file() else Project.create(out)
    say = progress or (lambda message: None)
    summary = PipelineSummary(out)
    try:
        say("import")
        report = import_cases(project, corpus, meta=meta, text_field=text_field, id_field=id_field)
        summary.import_report = report
        summary.stages.append(("import", f"{len(report.imported)} new case(s), "
                                         f"{len(report.already_present)} already present"))
    finally:
        project.close()
    return summary
