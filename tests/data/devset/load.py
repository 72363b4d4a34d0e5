"""Materialise the auto-coding development set from its pointers.

``passages.jsonl`` (next to this file) holds only pointers into the shared
corpora: corpus folder, file, record (0-based line of a JSON-lines file, or
``null`` for a plain-text file), key, field, character offsets and the SHA-1
of the passage text. No corpus text is stored in the repository.

    from load import load_passages
    passages = load_passages("/path/to/shared/corpora")

or, from the repository root, check every pointer and print a summary::

    python tests/data/devset/load.py [CORPORA_DIR]

Standard library only, so annotators and benchmarks can use it without
installing caseminer.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
POINTERS = HERE / "passages.jsonl"
REPO_ROOT = HERE.parents[2]

__all__ = [
    "DevsetError",
    "CorpusNotFoundError",
    "DevsetDriftError",
    "default_corpora_dir",
    "read_pointers",
    "load_passages",
]


class DevsetError(Exception):
    """Base class for problems materialising the development set."""


class CorpusNotFoundError(DevsetError):
    """A corpus file named by a pointer does not exist."""


class DevsetDriftError(DevsetError):
    """The corpus no longer matches the pointers (text changed or moved)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        head = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"{len(problems)} development-set pointer(s) no longer match the corpus "
            f"(corpus drift?):\n  {head}{more}\n"
            "Re-check the corpus version named in its SOURCE.md, or re-select the "
            "affected passages; do not silently update the sha1 values."
        )


def default_corpora_dir() -> Path:
    """``$CASEMINER_CORPORA``, else ``../shared/corpora`` from the repository root."""
    env = os.environ.get("CASEMINER_CORPORA")
    if env:
        return Path(env)
    return REPO_ROOT.parent / "shared" / "corpora"


def read_pointers(path: str | os.PathLike | None = None) -> list[dict]:
    """Return the pointer records, in file order."""
    path = Path(path) if path is not None else POINTERS
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class _Files:
    """Caches corpus files: JSON-lines files as raw lines, others as text."""

    def __init__(self, root: Path):
        self.root = root
        self._lines: dict[Path, list[bytes]] = {}
        self._text: dict[Path, str] = {}

    def _path(self, corpus: str, file: str) -> Path:
        path = self.root / corpus / file
        if not path.is_file():
            raise CorpusNotFoundError(
                f"corpus file not found: {path} (set CASEMINER_CORPORA or pass corpora_dir)"
            )
        return path

    def record(self, corpus: str, file: str, n: int) -> dict:
        path = self._path(corpus, file)
        if path not in self._lines:
            # split on b"\n" only: record numbers are physical line numbers
            self._lines[path] = path.read_bytes().split(b"\n")
        lines = self._lines[path]
        if not 0 <= n < len(lines) or not lines[n].strip():
            raise IndexError(f"{corpus}/{file} has no record at line {n}")
        return json.loads(lines[n].decode("utf-8"))

    def text(self, corpus: str, file: str) -> str:
        path = self._path(corpus, file)
        if path not in self._text:
            self._text[path] = path.read_bytes().decode("utf-8")
        return self._text[path]


def load_passages(
    corpora_dir: str | os.PathLike | None = None,
    *,
    pointers: str | os.PathLike | None = None,
    verify: bool = True,
) -> list[dict]:
    """Materialise every passage of the development set.

    Returns one dict per pointer, in the (shuffled) order of ``passages.jsonl``:
    ``pid``, ``text``, ``province`` and the pointer fields ``corpus``, ``file``,
    ``record``, ``key``, ``field``, ``start``, ``end``, ``sha1``, plus
    ``n_chars``. With ``verify`` (the default) every passage's SHA-1 and the
    record key are checked; all mismatches are collected and reported in one
    :class:`DevsetDriftError`. A missing corpus file raises
    :class:`CorpusNotFoundError` (callers such as tests may skip on it).
    """
    root = Path(corpora_dir) if corpora_dir is not None else default_corpora_dir()
    files = _Files(root)
    out: list[dict] = []
    problems: list[str] = []
    for ptr in read_pointers(pointers):
        pid = ptr["pid"]
        where = f"{pid} ({ptr['corpus']}/{ptr['file']} record {ptr['record']})"
        try:
            if ptr["record"] is None:
                source = files.text(ptr["corpus"], ptr["file"])
            else:
                rec = files.record(ptr["corpus"], ptr["file"], ptr["record"])
                key = rec.get("id", rec.get("title"))
                if verify and ptr.get("key") is not None and key != ptr["key"]:
                    problems.append(f"{where}: key {key!r} != expected {ptr['key']!r}")
                    continue
                source = rec[ptr["field"]]
        except CorpusNotFoundError:
            raise
        except (IndexError, KeyError, ValueError) as exc:
            problems.append(f"{where}: cannot read pointer: {exc}")
            continue
        start, end = ptr["start"], ptr["end"]
        if not 0 <= start < end <= len(source):
            problems.append(f"{where}: offsets {start}:{end} outside text of length {len(source)}")
            continue
        text = source[start:end]
        if verify and _sha1(text) != ptr["sha1"]:
            problems.append(f"{where}: sha1 mismatch for offsets {start}:{end}")
            continue
        out.append({"pid": pid, "text": text, "province": ptr.get("province"),
                    **{k: v for k, v in ptr.items() if k not in ("pid", "province")},
                    "n_chars": len(text)})
    if problems:
        raise DevsetDriftError(problems)
    return out


def _cjk(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]) if argv else default_corpora_dir()
    try:
        passages = load_passages(root)
    except DevsetError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(f"{len(passages)} passages materialised from {root}; all sha1 match")
    for corpus, n in sorted(Counter(p["corpus"] for p in passages).items()):
        lens = [p["n_chars"] for p in passages if p["corpus"] == corpus]
        print(f"  {corpus:<24} {n:>3} passages, {min(lens)}-{max(lens)} characters")
    lens = [p["n_chars"] for p in passages]
    cjk = [_cjk(p["text"]) for p in passages]
    print(f"  length: {min(lens)}-{max(lens)} characters (CJK ideographs {min(cjk)}-{max(cjk)})")
    provinces = {p["province"] for p in passages if p["province"]}
    print(f"  provinces: {len(provinces)} distinct, {sum(p['province'] is None for p in passages)} passages without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
