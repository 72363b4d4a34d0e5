"""The analysis started from the workbench: every stage after the import, on the project's
cases (:func:`caseminer.pipeline.run.run_pipeline` with no corpus, as `caseminer run --out
PROJECT` runs it), in a process of its own.

A process, not a thread of the server: the long stages fork worker processes of their own,
and forking a server that runs threads may copy a lock another thread holds; a process
started by "spawn" has no other threads. Its progress comes back on a queue (each stage as
it starts, then the summary or the error), read by a thread of the server that keeps the
state the pipeline page shows. One analysis at a time per project; the runs it makes are
recorded in the project as any run is, so nothing is lost when the server stops.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue as queues
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..project import now

log = logging.getLogger(__name__)

#: Seconds the watcher waits for a message before it checks that the process still lives.
POLL_SECONDS = 1.0
#: The error of a process that ended without a word (killed, out of memory).
STOPPED = ("The analysis process stopped without a result (exit code {code}); see the server log, and run "
           "'caseminer run --out {project}' to see the error.")


def work(project_dir: str, messages) -> None:
    """In the analysis process: run the stages and report on ``messages``."""
    from ..errors import CaseminerError
    from ..pipeline.run import run_pipeline
    from ..settings import resolve_jobs

    try:
        summary = run_pipeline([], project_dir, n_jobs=resolve_jobs(-1, "run"),
                               progress=lambda stage: messages.put(("stage", stage)))
        messages.put(("done", [list(stage) for stage in summary.stages], list(summary.todo)))
    except CaseminerError as error:
        messages.put(("failed", error.message))
    except Exception:
        logging.getLogger(__name__).exception("the analysis failed")
        messages.put(("failed", None))


@dataclass
class Analysis:
    """The state of the workbench's analysis of one project (the server's memory only)."""

    project_dir: Path
    state: str = "idle"  # idle, running, done, failed
    stage: str | None = None
    started_by: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    error: str | None = None  # the library's message; None with state "failed": an internal error
    stages: list[list[str]] = field(default_factory=list)  # (stage, result) of a finished analysis
    todo: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def start(self, coder: str) -> bool:
        """Start the analysis as ``coder``; False when one is running already."""
        with self._lock:
            if self.state == "running":
                return False
            context = multiprocessing.get_context("spawn")
            messages = context.Queue()
            # not a daemon: its stages start worker processes of their own (a daemon may not); a
            # Ctrl-C in the terminal reaches it as it reaches the server
            process = context.Process(target=work, args=(str(self.project_dir), messages), daemon=False,
                                      name="caseminer-analysis")
            self.state, self.stage, self.started_by, self.started_at = "running", None, coder, now()
            self.finished_at = self.error = None
            self.stages, self.todo = [], []
            process.start()
        threading.Thread(target=self._watch, args=(process, messages), daemon=True,
                         name="caseminer-analysis-watch").start()
        return True

    def _watch(self, process, messages) -> None:
        while True:
            try:
                message = messages.get(timeout=POLL_SECONDS)
            except queues.Empty:
                if process.is_alive():
                    continue
                self._finish("failed", error=STOPPED.format(code=process.exitcode, project=self.project_dir))
                break
            if message[0] == "stage":
                with self._lock:
                    self.stage = message[1]
                continue
            if message[0] == "done":
                self._finish("done", stages=message[1], todo=message[2])
            else:
                self._finish("failed", error=message[1])
            break
        process.join(5)

    def _finish(self, state: str, *, error: str | None = None, stages=None, todo=None) -> None:
        with self._lock:
            self.state, self.finished_at, self.error = state, now(), error
            self.stages, self.todo = stages or [], todo or []

    def as_dict(self) -> dict:
        with self._lock:
            return {"state": self.state, "stage": self.stage, "started_by": self.started_by,
                    "started_at": self.started_at, "finished_at": self.finished_at, "error": self.error,
                    "stages": self.stages, "todo": self.todo}
