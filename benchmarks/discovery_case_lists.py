"""Per-case discovery lists, read by a person: are the top ten real terms? (issue 3)

Issue 3 is checked, among other ways, by reading the per-case list of single real cases.
This benchmark measures that reading on 100 real cases: 80 CCTV stories of the xwlb poverty
subset (longer than 800 characters) and 20 provincial government work reports of 2026, drawn
at random in two splits ("dev", looked at while choosing, and "test", only measured). Their
lists' top 15, as ``caseminer discover`` stored them at the start of session 7, were labelled
by two helpers who read each case and saw no other output (``data/case_lists_labels.tsv``:
T term, R register phrase or clause piece, G general vocabulary, F fragment, N name).

For each setting, the per-case lists are made as ``caseminer discover`` makes them (a
project of the whole corpus, :func:`caseminer.pipeline.discover.discover_words`) and their
top ten scored: the share of listed strings judged terms, terms and non-terms per case, and
the number of listed strings no helper judged (a change can list strings the labels do not
hold; they count in neither share).

    python benchmarks/discovery_case_lists.py [--settings none,10.83:none,10.83:4] [--unjudged FILE]
    python benchmarks/discovery_case_lists.py --projects-of 1[,3]

With ``--projects-of N`` the labelled stories are instead grouped N at a time (in the order
of their ids), each group a project of its own (a study of one or a few cases; session 16),
and both lists are scored: the corpus list's top 10 N and each case's top ten.

Each setting is ``min_weight_case[:case_keep_freq]`` ("none" switches either off; the
default of the second is the library's, 4).

The texts are read at run time from CASEMINER_CORPORA (default ../shared/corpora).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))  # benchmark the working tree, not an installed copy
CORPORA = Path(os.environ.get("CASEMINER_CORPORA", REPO.parent / "shared" / "corpora"))
LABELS = HERE / "data" / "case_lists_labels.tsv"

#: corpus name -> (file under CORPORA, text field, id field)
SOURCES = {
    "xwlb": ("xwlb-cctv-news/xwlb_poverty_subset.jsonl", "text", "id"),
    "pgwr": ("provincial-gwr-2026/provincial_gwr_2026.jsonl", "full_text", "province"),
}
TOP = 10


def load_labels(path: Path = LABELS) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(corpus, case id, string) -> (split, label), from a labels file of this format
    (split, corpus, case id, string, label; ``#`` lines are comments)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            split, corpus, case_id, word, label = line.split("\t")
            out[(corpus, case_id, word)] = (split, label.strip())
    return out


def case_lists(corpus: str, cases: set[str], overrides: dict) -> dict[str, list[str]]:
    """The stored per-case lists of ``cases`` after ``caseminer discover`` with ``overrides``
    on a project of the whole corpus."""
    from caseminer.pipeline.corpus import import_cases
    from caseminer.pipeline.discover import discover_words, list_candidates
    from caseminer.project import Project

    path, text_field, id_field = SOURCES[corpus]
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.create(Path(tmp) / "p")
        import_cases(project, [CORPORA / path], text_field=text_field, id_field=id_field, skip_bad=True)
        discover_words(project, overrides=overrides)
        lists = {case_id: [c["word"] for c in list_candidates(project, case_id=case_id, top=TOP)] for case_id in cases}
        project.close()
    return lists


def labelled_cases(labels: dict, corpus: str) -> dict[str, set[str]] | None:
    """split -> the case ids of ``corpus`` that ``labels`` cover; None (and a message) when
    the corpus file is not there."""
    if not (CORPORA / SOURCES[corpus][0]).exists():
        print(f"{corpus}: {CORPORA / SOURCES[corpus][0]} not found; set CASEMINER_CORPORA")
        return None
    splits = collections.defaultdict(set)
    for (c, case_id, _), (split, _) in labels.items():
        if c == corpus:
            splits[split].add(case_id)
    return splits


def small_projects(labels: dict, size: int, corpus: str = "xwlb") -> None:
    """Score the corpus and case lists of projects of ``size`` labelled cases each."""
    from caseminer.pipeline.corpus import import_cases
    from caseminer.pipeline.discover import discover_words, list_candidates
    from caseminer.project import Project

    splits = labelled_cases(labels, corpus)
    if splits is None:
        return
    path, text_field, id_field = SOURCES[corpus]
    ids = sorted(set().union(*splits.values()))
    with open(CORPORA / path, encoding="utf-8") as handle:
        texts = {str(r[id_field]): r[text_field] for r in map(json.loads, handle) if str(r[id_field]) in ids}
    by_string = {}
    for (c, _, word), (_, label) in labels.items():
        if c == corpus:
            by_string.setdefault(word, label)
    count = {"corpus": collections.Counter(), "case": collections.Counter()}
    t = time.perf_counter()
    for start in range(0, len(ids), size):
        group = ids[start:start + size]
        with tempfile.TemporaryDirectory() as tmp:
            files = []
            for case_id in group:
                files.append(Path(tmp) / f"{case_id}.txt")
                files[-1].write_text(texts[case_id], encoding="utf-8")
            project = Project.create(Path(tmp) / "p")
            import_cases(project, files)
            discover_words(project)
            for r in list_candidates(project, top=TOP * len(group)):
                count["corpus"][by_string.get(r["word"], "?")] += 1
            for case_id in group:
                for r in list_candidates(project, case_id=case_id, top=TOP):
                    label = labels.get((corpus, case_id, r["word"]), (None, None))[1] or by_string.get(r["word"])
                    count["case"][label or "?"] += 1
            project.close()
    for scope, c in count.items():
        judged = sum(c.values()) - c["?"]
        print(f"{corpus:6} {'projects of ' + str(size):16} {scope:6} {len(ids):5d} {sum(c.values()):6d} "
              f"{c['T'] / max(judged, 1):7.3f} {c['T'] / len(ids):6.2f} {(judged - c['T']) / len(ids):10.2f} "
              f"{c['?']:8d}  {json.dumps(dict(sorted(c.items())), ensure_ascii=False)}")
    print(f"       ({len(ids)} cases in projects of {size}: {time.perf_counter() - t:.1f} s)")


def parse_setting(text: str) -> dict:
    """"10.83:4" -> the overrides of discovery's per-case floor."""
    floor, _, keep = text.strip().partition(":")
    none = lambda v: v.lower() == "none"  # noqa: E731
    out = {"min_weight_case": None if none(floor) else float(floor)}
    if keep:
        out["case_keep_freq"] = None if none(keep) else int(keep)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--settings", default="none,10.83:none,10.83:4",
                    help="min_weight_case[:case_keep_freq] settings to compare, comma-separated ('none': off)")
    ap.add_argument("--unjudged", default=None, metavar="FILE",
                    help="write the listed strings no label covers (split, corpus, case id, string) to FILE")
    ap.add_argument("--projects-of", default=None, metavar="N[,N...]",
                    help="instead: projects of N stories each; score their corpus and case lists")
    args = ap.parse_args()
    unjudged = set()
    labels = load_labels()
    if args.projects_of:
        print(f"{'corpus':6} {'projects':16} {'list':6} {'cases':>5} {'listed':>6} {'T share':>7} "
              f"{'T/case':>6} {'non-T/case':>10} {'unjudged':>8}  labels")
        for size in args.projects_of.split(","):
            small_projects(labels, int(size))
        return
    by_string = {}
    for (corpus, _, word), (_, label) in labels.items():
        by_string.setdefault((corpus, word), label)
    values = [parse_setting(v) for v in args.settings.split(",")]
    print(f"{'corpus':6} {'split':5} {'floor:keep_freq':>15} {'cases':>5} {'listed':>6} {'T share':>7} "
          f"{'T/case':>6} {'non-T/case':>10} {'unjudged':>8}  labels")
    for corpus in SOURCES:
        splits = labelled_cases(labels, corpus)
        if splits is None:
            continue
        for value in values:
            t = time.perf_counter()
            lists = case_lists(corpus, set().union(*splits.values()), value)
            name = ":".join(str(v) for v in value.values())
            for split in sorted(splits):
                count = collections.Counter()
                for case_id in splits[split]:
                    for word in lists[case_id]:
                        label = labels.get((corpus, case_id, word), (None, None))[1] or by_string.get((corpus, word))
                        count[label or "?"] += 1
                        if label is None:
                            unjudged.add((split, corpus, case_id, word))
                n_cases, listed = len(splits[split]), sum(count.values())
                judged = listed - count["?"]
                print(f"{corpus:6} {split:5} {name:>15} {n_cases:5d} {listed:6d} "
                      f"{count['T'] / max(judged, 1):7.3f} {count['T'] / n_cases:6.2f} "
                      f"{(judged - count['T']) / n_cases:10.2f} {count['?']:8d}  "
                      f"{json.dumps(dict(sorted(count.items())), ensure_ascii=False)}")
            print(f"       (discover with {value}: {time.perf_counter() - t:.1f} s)")
    if args.unjudged:
        Path(args.unjudged).write_text("".join("\t".join(row) + "\n" for row in sorted(unjudged)), encoding="utf-8")
        print(f"{len(unjudged)} unjudged strings written to {args.unjudged}")


if __name__ == "__main__":
    main()
