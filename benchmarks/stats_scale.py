"""Scale check for the statistics (issue 5) on real data: CCTV Xinwen Lianbo stories.

Builds a story x term incidence from the corpus (terms: jieba words of two or
more characters, restricted to the ``--terms`` most frequent), then times:

- the sparse co-occurrence (BᵀB) against a naive dict-of-pairs count on the
  first ``--naive`` stories, checks that both give the same counts and prints
  the speed ratio;
- the sparse co-occurrence, the year table and the specificity table on all
  ``--stories`` stories.

Usage::

    python benchmarks/stats_scale.py                     # 10k stories
    python benchmarks/stats_scale.py --stories 0         # all 75k stories
    CASEMINER_CORPORA=/path/to/corpora python benchmarks/stats_scale.py

Reads the corpus in place; copies nothing into the repository.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import time
from collections import Counter
from pathlib import Path

from caseminer.analysis.cooccurrence import cooccurrence, cooccurrence_matrix
from caseminer.analysis.frequency import build_incidence, by_attribute
from caseminer.analysis.specificity import specificity

HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def corpus_dir() -> Path:
    root = Path(os.environ.get("CASEMINER_CORPORA", "/work/shared/corpora"))
    return root / "xwlb-cctv-news"


def load_stories(limit: int) -> list[dict]:
    stories: list[dict] = []
    for path in sorted(corpus_dir().glob("xwlb_20[0-9][0-9].jsonl")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                stories.append(json.loads(line))
                if limit and len(stories) >= limit:
                    return stories
    return stories


def tokenise(stories: list[dict]) -> list[Counter]:
    import jieba

    jieba.setLogLevel(60)
    return [
        Counter(w for w in jieba.cut(s.get("text") or "") if HAN.match(w)) for s in stories
    ]


def naive_pairs(case_terms: dict[str, dict[str, int]]) -> Counter:
    """The quadratic approach the sparse product replaces: every pair of every case."""
    pairs: Counter = Counter()
    for terms in case_terms.values():
        pairs.update(itertools.combinations(sorted(terms), 2))
    return pairs


def timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    took = time.perf_counter() - start
    print(f"{label:<48} {took:8.2f} s")
    return out, took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stories", type=int, default=10_000, help="0 = all stories")
    ap.add_argument("--naive", type=int, default=10_000, help="stories for the naive check")
    ap.add_argument("--terms", type=int, default=5_000, help="keep the N most frequent words")
    args = ap.parse_args()

    stories, _ = timed("load stories", load_stories, args.stories)
    bags, _ = timed(f"jieba on {len(stories)} stories", tokenise, stories)
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
    vocab = {t for t, _ in df.most_common(args.terms)}
    case_terms = {
        s["id"]: {t: n for t, n in bag.items() if t in vocab} for s, bag in zip(stories, bags)
    }
    years = {s["id"]: (s.get("date") or "")[:4] or None for s in stories}
    inc, _ = timed("build_incidence", build_incidence, case_terms)
    print(f"incidence: {inc.n_cases} stories x {inc.n_terms} terms, {inc.counts.nnz} pairs")

    naive_ids = list(case_terms)[: args.naive]
    sub = {k: case_terms[k] for k in naive_ids}
    sub_inc = build_incidence(sub)
    print(f"-- co-occurrence on the first {len(sub)} stories")
    ref, t_naive = timed("naive dict-of-pairs", naive_pairs, sub)
    matrix, t_matrix = timed("sparse B^T B (matrix only)", cooccurrence_matrix, sub_inc)
    pairs, t_pairs = timed("cooccurrence() incl. Pair objects", cooccurrence, sub_inc)
    got = {(p.a, p.b): p.count for p in pairs}
    assert got == dict(ref), "sparse and naive co-occurrence counts differ"
    print(f"{len(pairs)} pairs agree; naive / sparse matrix = {t_naive / t_matrix:.1f}x, "
          f"naive / cooccurrence() = {t_naive / t_pairs:.1f}x")

    print(f"-- all {inc.n_cases} stories")
    timed("sparse B^T B (matrix only)", cooccurrence_matrix, inc)
    top, _ = timed("cooccurrence(min_count=5, top=10000)", cooccurrence, inc, min_count=5,
                   top=10_000)
    table, _ = timed("by_attribute(year)", by_attribute, inc, years)
    rows, _ = timed("specificity(year, min_cases=5)", specificity, inc, years, min_cases=5)
    print(f"{len(table.groups)} years, {len(rows)} tested cells, "
          f"{sum(r.significant for r in rows)} significant at q <= 0.05")
    if top:
        print("strongest pair:", top[0])


if __name__ == "__main__":
    main()
