"""Top-3 keywords read by a person: are they what a researcher would pick? (issue 4)

Issue 4 is checked, among other ways, by a person reading each case's top 3 keywords. The
same 100 real cases as ``discovery_case_lists.py`` (80 CCTV stories of the poverty subset,
20 provincial government work reports of 2026, "dev" and "test" splits). Helpers who read
each case and ran no tool labelled the top 3 that ``caseminer keywords`` gave them
(``data/keyword_top3_labels.tsv``): K a keyword a researcher would plausibly pick for the
case, T a real term but peripheral to it, N a name, R a clause piece, register phrase or
fragment, G general vocabulary.

This script runs the pipeline as the CLI does with no decision taken (a project of the whole
corpus: import, segment, discover, keywords) and reads the top 3 of the labelled cases: the
share of K, of terms (K or T) and of non-terms (N, R, G), and how many keywords no helper
has judged (a change can pick keywords the labels do not hold; they count in no share).

    python benchmarks/keywords_reading.py [--unjudged FILE] [--projects-of N]

``--unjudged FILE`` writes the keywords no helper has judged (split, corpus, case id,
keyword), to be labelled the same way; ``--out FILE`` writes every labelled case's top 3 with
its label (corpus, split, case id, rank, keyword, label), to compare two runs. ``--projects-of N`` makes each N labelled cases (in
the order of their ids) a project of their own instead: a study of one or a few cases
(session 16).

The texts are read at run time from CASEMINER_CORPORA (default ../shared/corpora).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from discovery_case_lists import CORPORA, SOURCES, labelled_cases, load_labels  # noqa: E402  (puts src/ first too)

LABELS = HERE / "data" / "keyword_top3_labels.tsv"


def top3(corpus: str, cases: set[str], projects_of: int | None = None) -> dict[str, list[str]]:
    """The top 3 keywords of ``cases`` after the pipeline's stages on the whole corpus, or
    on projects of ``projects_of`` of the cases each."""
    path, text_field, id_field = SOURCES[corpus]
    if projects_of is None:
        return _project_top3([CORPORA / path], cases, text_field=text_field, id_field=id_field)
    with open(CORPORA / path, encoding="utf-8") as handle:
        texts = {str(r[id_field]): r[text_field] for r in map(json.loads, handle) if str(r[id_field]) in cases}
    ids, out = sorted(cases), {}
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, len(ids), projects_of):
            folder = Path(tmp) / str(start)
            folder.mkdir()
            for case_id in ids[start:start + projects_of]:
                (folder / f"{case_id}.txt").write_text(texts[case_id], encoding="utf-8")
            out.update(_project_top3([folder], cases))
    return out


def _project_top3(sources: list[Path], cases: set[str], **fields) -> dict[str, list[str]]:
    from caseminer.pipeline.corpus import import_cases
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.keywords import extract_case_keywords
    from caseminer.pipeline.segment import segment_cases
    from caseminer.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.create(Path(tmp) / "p")
        import_cases(project, sources, skip_bad=True, **fields)
        segment_cases(project)
        discover_words(project)
        extract_case_keywords(project)
        out = collections.defaultdict(list)
        for case_id, keyword in project.conn.execute("SELECT case_id, keyword FROM keywords ORDER BY case_id, rank"):
            if case_id in cases:
                out[case_id].append(keyword)
        project.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--unjudged", type=Path, default=None, help="write the unjudged keywords to this TSV file")
    ap.add_argument("--out", type=Path, default=None,
                    help="write every labelled case's top 3 with its label to this TSV file (to compare two runs)")
    ap.add_argument("--projects-of", type=int, default=None, metavar="N",
                    help="instead of one project of the whole corpus, projects of N labelled cases each")
    args = ap.parse_args()
    labels = load_labels(LABELS)
    unjudged, rows = [], []
    print(f"{'corpus':6} {'split':5} {'cases':>5} {'keywords':>8} {'K share':>7} {'K or T':>6} {'non-term':>8} "
          f"{'unjudged':>8}  labels")
    for corpus in SOURCES:
        splits = labelled_cases(labels, corpus)
        if splits is None:
            continue
        t = time.perf_counter()
        kept = top3(corpus, set().union(*splits.values()), args.projects_of)
        for split in sorted(splits):
            count = collections.Counter(labels.get((corpus, case_id, k), (None, "?"))[1]
                                        for case_id in splits[split] for k in kept[case_id])
            rows += [(corpus, split, case_id, str(rank), k, labels.get((corpus, case_id, k), (None, "?"))[1])
                     for case_id in sorted(splits[split]) for rank, k in enumerate(kept[case_id], 1)]
            unjudged += [(split, corpus, case_id, k) for case_id in sorted(splits[split]) for k in kept[case_id]
                         if (corpus, case_id, k) not in labels]
            judged = sum(count.values()) - count["?"]
            share = lambda *ls: sum(count[x] for x in ls) / max(judged, 1)  # noqa: E731
            print(f"{corpus:6} {split:5} {len(splits[split]):5d} {sum(count.values()):8d} {share('K'):7.3f} "
                  f"{share('K', 'T'):6.3f} {share('N', 'R', 'G'):8.3f} {count['?']:8d}  "
                  f"{json.dumps(dict(sorted(count.items())), ensure_ascii=False)}")
        where = f"projects of {args.projects_of} cases" if args.projects_of else "the whole corpus"
        print(f"       (pipeline on {where}: {time.perf_counter() - t:.1f} s)")
    if args.unjudged:
        args.unjudged.write_text("".join("\t".join(row) + "\n" for row in unjudged), encoding="utf-8")
        print(f"{len(unjudged)} unjudged keywords written to {args.unjudged}")
    if args.out:
        args.out.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
        print(f"{len(rows)} keywords written to {args.out}")


if __name__ == "__main__":
    main()
