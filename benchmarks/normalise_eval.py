"""Normalisation suggestions judged for precision (issue 4).

Issue 4 is checked, among other ways, by judging ``caseminer normalise suggest`` on a real
corpus: would a researcher reducing keywords to core keywords accept each proposed merge?
This script makes a project as the CLI does (import, discover, segment, keywords, no
decision taken), proposes the merges, and scores them against labelled pairs:

* ``poverty``: all stories of ``xwlb_poverty_subset.jsonl``, the labels of
  ``data/merge_labels.tsv`` (sessions 13, 14 and 17; one label per pair);
* ``general``: 4,000 CCTV stories of 2017 and 2021 outside the poverty subset (drawn with a
  fixed seed), the labels of ``data/merge_labels_general.tsv`` (session 17: two helpers, each
  a label per pair, who read the pairs alone). Held out: no rule was fitted on it.

Each project's suggestions are made three times, with the library's settings, with
``core_alone=0`` (the check of session 17 off) and with ``min_cosine=0`` (the meaning check of
session 32 off), and the script prints per label column:
suggestions, labelled, accepted, precision; and the pairs that differ between the two.
Pairs no label covers count in no precision and are listed (``--unlabelled FILE``).

    python benchmarks/normalise_eval.py [--corpus poverty,general] [--keep DIR] [--unlabelled FILE]

``--keep DIR`` keeps the projects in DIR and reuses them when run again (the pipeline takes
about 6 minutes for the poverty stories on two cores, 3 for the general sample; the
suggestions seconds). The texts are read at run time from CASEMINER_CORPORA (default
../shared/corpora).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))  # benchmark the working tree, not an installed copy
CORPORA = Path(os.environ.get("CASEMINER_CORPORA", REPO.parent / "shared" / "corpora"))
XWLB = CORPORA / "xwlb-cctv-news"

LABELS = {"poverty": HERE / "data" / "merge_labels.tsv", "general": HERE / "data" / "merge_labels_general.tsv"}
GENERAL_YEARS, GENERAL_SIZE, GENERAL_SEED = (2017, 2021), 4000, 17


def general_sample(folder: Path) -> Path:
    """The general sample as a .jsonl file in ``folder``: stories of GENERAL_YEARS with a text,
    outside the poverty subset, shuffled with GENERAL_SEED, the first GENERAL_SIZE."""
    with open(XWLB / "xwlb_poverty_subset.jsonl", encoding="utf-8") as handle:
        poverty = {json.loads(line)["id"] for line in handle}
    rows = []
    for year in GENERAL_YEARS:
        with open(XWLB / f"xwlb_{year}.jsonl", encoding="utf-8") as handle:
            for record in map(json.loads, handle):
                if record["id"] not in poverty and record.get("text", "").strip():
                    rows.append({"id": record["id"], "text": record["text"]})
    random.Random(GENERAL_SEED).shuffle(rows)
    path = folder / "general_sample.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:GENERAL_SIZE]), encoding="utf-8")
    return path


def project_for(corpus: str, folder: Path):
    """The project of ``corpus`` in ``folder`` (made there through the pipeline unless it exists)."""
    from caseminer.pipeline.corpus import import_cases
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.keywords import extract_case_keywords
    from caseminer.pipeline.segment import segment_cases
    from caseminer.project import Project

    where = folder / corpus
    if (where / "caseminer.sqlite").exists():
        return Project.open(where)
    source = XWLB / "xwlb_poverty_subset.jsonl" if corpus == "poverty" else general_sample(folder)
    t = time.perf_counter()
    project = Project.create(where)
    import_cases(project, [source], skip_bad=True)
    discover_words(project)
    segment_cases(project)
    extract_case_keywords(project)
    print(f"{corpus}: pipeline {time.perf_counter() - t:.0f} s")
    return project


def load_labels(path: Path) -> tuple[list[str], dict[tuple[str, str], list[str]]]:
    """Label columns' names and ``(variant, core) -> [label per column]`` (Y, N or "")."""
    names, labels = ["label"], {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# columns:"):  # variant core label... reason(s)
            names = [n for n in line.split(":", 1)[1].split()[2:] if not n.startswith("reason")]
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        labels[(cells[0], cells[1])] = [c if c in ("Y", "N") else "" for c in cells[2:2 + len(names)]]
    return names, labels


def suggestions(project, **changes) -> set[tuple[str, str]]:
    """The merges ``caseminer normalise suggest`` proposes (with these settings changed)."""
    from caseminer.nlp.variants import VariantSettings
    from caseminer.pipeline.normalise import suggest

    return {(s.variant, s.core) for s in suggest(project, settings=replace(VariantSettings(), **changes))}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="poverty,general")
    ap.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the projects in this folder")
    ap.add_argument("--unlabelled", type=Path, default=None, help="write the pairs no label covers to this TSV")
    args = ap.parse_args()
    unlabelled = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for corpus in args.corpus.split(","):
            names, labels = load_labels(LABELS[corpus])
            project = project_for(corpus, folder)
            runs = {"defaults": suggestions(project), "core_alone=0": suggestions(project, core_alone=0.0),
                    "min_cosine=0": suggestions(project, min_cosine=0.0)}
            project.close()
            print(f"\n{corpus}: {'settings':13} {'label':8} {'suggested':>9} {'labelled':>8} {'accepted':>8} "
                  f"{'precision':>9}")
            for run, pairs in runs.items():
                for col, name in enumerate(names):
                    judged = [labels[p][col] for p in pairs if p in labels and labels[p][col]]
                    accepted = judged.count("Y")
                    print(f"{'':{len(corpus) + 2}}{run:13} {name:8} {len(pairs):9d} {len(judged):8d} {accepted:8d} "
                          f"{accepted / max(len(judged), 1):9.3f}")
            new = runs["defaults"]
            for run, old in runs.items():
                if run == "defaults":
                    continue
                for side, pairs in ((f"only with {run}", old - new), (f"only with the defaults, not {run}", new - old)):
                    print(f"  {side} ({len(pairs)}):")
                    for variant, core in sorted(pairs):
                        print(f"    {variant} -> {core}  {' '.join(labels.get((variant, core), ['?']))}")
            unlabelled += [(corpus, *p) for p in sorted(set().union(*runs.values())) if p not in labels]
    print(f"\n{len(unlabelled)} suggested pairs have no label")
    if args.unlabelled:
        args.unlabelled.write_text("".join("\t".join(r) + "\n" for r in unlabelled), encoding="utf-8")


if __name__ == "__main__":
    main()
