"""Keyword extraction on one process, on forked workers and on a local Dask cluster.

The keywords stage is two maps over shards of cases (each case's candidates, then its
scores) around the corpus statistics merged from the first. This times
``extract_case_keywords`` on a project with 1 and 2 processes and, with ``--dask N``, on a
Dask cluster of N worker processes on this machine (started before the clock), checks
that every run stores the same keyword rows, and prints the times and their ratios to
one process.

The project needs segmentation and discovery, e.g. the 2,962 poverty stories:

    caseminer init pov
    caseminer -p pov import $CASEMINER_CORPORA/xwlb-cctv-news/xwlb_poverty_subset.jsonl --skip-bad
    caseminer -p pov segment && caseminer -p pov discover
    python benchmarks/keywords_jobs.py pov --dask 2        # pip install distributed

The project's stored keywords are replaced (by the same keywords).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "src"))  # the working tree, not an installed copy

from caseminer.pipeline.keywords import extract_case_keywords  # noqa: E402
from caseminer.project import Project  # noqa: E402

ROWS = ("SELECT case_id, rank, keyword, weight, freq, method, context, start_char, end_char FROM keywords "
        "ORDER BY case_id, rank")


def timed(project: Project, **where) -> tuple[float, list]:
    start = time.perf_counter()
    extract_case_keywords(project, **where)
    return time.perf_counter() - start, project.conn.execute(ROWS).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project", help="a project folder with segmentation and discovery")
    ap.add_argument("--dask", type=int, default=0, help="also on a local Dask cluster of this many workers")
    args = ap.parse_args()
    project = Project.open(args.project)
    cases = project.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    runs = [(f"{jobs} process{'es' if jobs > 1 else ''}", *timed(project, n_jobs=jobs)) for jobs in (1, 2)]
    if args.dask:
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True, dashboard_address=":0",
                          silence_logs=40) as cluster, Client(cluster) as client:
            runs.append((f"Dask cluster of {args.dask} workers", *timed(project, executor=client)))
    base_seconds, base_rows = runs[0][1], runs[0][2]
    print(f"{cases:,} cases, {os.cpu_count()} CPUs\n")
    print("| where | seconds | speed-up vs 1 process | keyword rows | same rows as 1 process |\n|---|---|---|---|---|")
    for name, seconds, rows in runs:
        print(f"| {name} | {seconds:.1f} | {base_seconds / seconds:.2f} | {len(rows):,} | {rows == base_rows} |")


if __name__ == "__main__":
    main()
