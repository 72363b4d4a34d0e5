"""Progress bars for long stages, on a terminal only (never in pipes, files or CI logs)."""

from __future__ import annotations

from .context import interactive


class StageProgress:
    """A transient rich progress bar; ``update(done, total, what)`` is the callback the
    pipeline's stages take (``what``: the file or the step being worked on)."""

    def __init__(self, label: str):
        from rich.progress import Progress

        self._label = label
        self._progress = Progress(transient=True)
        self._task = None

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        self._progress.__exit__(*exc)

    def update(self, done: int, total: int, what: str = "") -> None:
        description = f"{self._label} {what[-40:]}".strip()
        if self._task is None:
            self._task = self._progress.add_task(description, total=total)
        self._progress.update(self._task, completed=done, total=total, description=description)


class _Silent:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    update = None


def progress_bar(label: str) -> StageProgress | _Silent:
    """A :class:`StageProgress` on a terminal, else a context whose ``update`` is None."""
    return StageProgress(label) if interactive() else _Silent()
