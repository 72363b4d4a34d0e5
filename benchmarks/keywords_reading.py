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

    python benchmarks/keywords_reading.py [--unjudged FILE]

``--unjudged FILE`` writes the keywords no helper has judged (split, corpus, case id,
keyword), to be labelled the same way.

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


def top3(corpus: str, cases: set[str]) -> dict[str, list[str]]:
    """The top 3 keywords of ``cases`` after the pipeline's stages on the whole corpus."""
    from caseminer.pipeline.corpus import import_cases
    from caseminer.pipeline.discover import discover_words
    from caseminer.pipeline.keywords import extract_case_keywords
    from caseminer.pipeline.segment import segment_cases
    from caseminer.project import Project

    path, text_field, id_field = SOURCES[corpus]
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.create(Path(tmp) / "p")
        import_cases(project, [CORPORA / path], text_field=text_field, id_field=id_field, skip_bad=True)
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
    args = ap.parse_args()
    labels = load_labels(LABELS)
    unjudged = []
    print(f"{'corpus':6} {'split':5} {'cases':>5} {'keywords':>8} {'K share':>7} {'K or T':>6} {'non-term':>8} "
          f"{'unjudged':>8}  labels")
    for corpus in SOURCES:
        splits = labelled_cases(labels, corpus)
        if splits is None:
            continue
        t = time.perf_counter()
        kept = top3(corpus, set().union(*splits.values()))
        for split in sorted(splits):
            count = collections.Counter(labels.get((corpus, case_id, k), (None, "?"))[1]
                                        for case_id in splits[split] for k in kept[case_id])
            unjudged += [(split, corpus, case_id, k) for case_id in sorted(splits[split]) for k in kept[case_id]
                         if (corpus, case_id, k) not in labels]
            judged = sum(count.values()) - count["?"]
            share = lambda *ls: sum(count[x] for x in ls) / max(judged, 1)  # noqa: E731
            print(f"{corpus:6} {split:5} {len(splits[split]):5d} {sum(count.values()):8d} {share('K'):7.3f} "
                  f"{share('K', 'T'):6.3f} {share('N', 'R', 'G'):8.3f} {count['?']:8d}  "
                  f"{json.dumps(dict(sorted(count.items())), ensure_ascii=False)}")
        print(f"       (pipeline on the whole corpus: {time.perf_counter() - t:.1f} s)")
    if args.unjudged:
        args.unjudged.write_text("".join("\t".join(row) + "\n" for row in unjudged), encoding="utf-8")
        print(f"{len(unjudged)} unjudged keywords written to {args.unjudged}")


if __name__ == "__main__":
    main()
