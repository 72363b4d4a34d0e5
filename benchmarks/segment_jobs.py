"""When do worker processes pay for segmentation? (``segmenters.MIN_CHARS_PER_PROCESS``)

Segments the first N characters of the xwlb poverty stories (whole stories) with one and
with two processes (the default backend, no user words; best of three runs each, the
pool's start-up and the workers' dictionary loading included) and prints the ratio. The
tokens are the same either way (``tests/nlp/test_segmenters.py``).

Run:  python benchmarks/segment_jobs.py
"""

from __future__ import annotations

import json
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "src"))  # the working tree, not an installed copy
CORPORA = os.environ.get("CASEMINER_CORPORA", os.path.join(REPO, "..", "shared", "corpora"))

from caseminer.nlp.segmenters import SegmentSettings, segment_many  # noqa: E402


def best_of(runs: int, texts: list[str], jobs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        segment_many(texts, SegmentSettings(), n_jobs=jobs, min_chars_per_process=1)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    path = os.path.join(CORPORA, "xwlb-cctv-news", "xwlb_poverty_subset.jsonl")
    if not os.path.exists(path):
        sys.exit(f"{path} not found: set CASEMINER_CORPORA to the shared corpora folder.")
    with open(path, encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    print(f"{os.cpu_count()} CPUs\n\n| characters | 1 process (s) | 2 processes (s) | speed-up |\n|---|---|---|---|")
    for target in (100_000, 250_000, 400_000, 800_000, sum(map(len, texts))):
        chosen, total = [], 0
        for text in texts:
            if total >= target:
                break
            chosen.append(text)
            total += len(text)
        one, two = best_of(3, chosen, 1), best_of(3, chosen, 2)
        print(f"| {total:,} | {one:.2f} | {two:.2f} | {one / two:.2f} |", flush=True)


if __name__ == "__main__":
    main()
