"""E5: speed and peak memory of new-word discovery on the xwlb CCTV news corpus.

Each run is a fresh subprocess; wall time covers reading nothing (texts are loaded
before the clock starts) but includes imports of the system; peak memory is the
largest sum of PSS (proportional set size) over the subprocess and its children, sampled every 50 ms from
/proc (so multiprocessing workers are counted). Sizes: the first 1k and 10k stories
and all 75,806 (103 MB UTF-8). Peers: nlp-zero (Word_Finder defaults) and
SmoothNLP (extract_phrase defaults), single process (neither has a parallel mode).

    pip install nlp-zero smoothnlp
    python benchmarks/discovery_e5_speed.py                 # all sizes, all systems
    python benchmarks/discovery_e5_speed.py --sizes 1000,10000 --systems caseminer-1,nlp-zero
    python benchmarks/discovery_e5_speed.py --systems caseminer-2,caseminer-dask-2   # pip install distributed

``caseminer-dask-N`` runs the same discovery with its shards on a Dask cluster of N
worker processes on this machine (``executor=``, :mod:`caseminer.nlp.shardmap`): the
cluster is started before the clock and its processes are in the peak memory. It
measures what the Dask path costs against the forked workers (each pass's shared state
is pickled and sent to every worker instead of inherited), not a speed-up: the
cluster has the same two cores.

The machine has 2 cores shared with other jobs: timings are noisy (report medians of
repeated runs where it matters).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Benchmark the working tree, not an installed copy.
sys.path.insert(0, os.path.join(REPO, "src"))
CORPORA = os.environ.get("CASEMINER_CORPORA", os.path.join(REPO, "..", "shared", "corpora"))

RUNNER = r"""
import json, sys, time
texts = json.load(open(sys.argv[2], encoding="utf-8"))
system = sys.argv[1]
t0 = time.perf_counter()
if system.startswith("caseminer-dask"):
    from distributed import Client, LocalCluster
    from caseminer.nlp import discovery as d
    from caseminer.nlp.lexicon import jieba_lexicon
    workers = int(system.rsplit("-", 1)[1])
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=40)
    client = Client(cluster)
    t0 = time.perf_counter()
    n = len(d.discover(texts, d.DiscoverSettings(), lexicon=jieba_lexicon(), executor=client))
    seconds = time.perf_counter() - t0
    client.close()
    cluster.close()
    t0 = time.perf_counter() - seconds
elif system.startswith("caseminer"):
    from caseminer.nlp import discovery as d
    from caseminer.nlp.lexicon import jieba_lexicon
    # caseminer-JOBS, or caseminer-JOBS-SHARD_CHARS to try another shard size
    jobs, *shard = (int(x) for x in system.split("-")[1:])
    settings = d.DiscoverSettings(n_jobs=jobs, **({"shard_chars": shard[0]} if shard else {}))
    out = d.discover(texts, settings, lexicon=jieba_lexicon())
    n = len(out)
elif system == "nlp-zero":
    import collections, collections.abc, logging
    logging.disable(logging.INFO)
    collections.Iterable = collections.abc.Iterable
    from nlp_zero import Word_Finder
    f = Word_Finder()
    f.train(texts)
    f.find(texts)
    n = len(f.words)
elif system == "smoothnlp":
    import logging
    logging.disable(logging.INFO)
    from smoothnlp.algorithm.phrase import extract_phrase
    n = len(extract_phrase(texts, top_k=10**9))
print(json.dumps({"seconds": time.perf_counter() - t0, "output": n}))
"""


def load_xwlb() -> list[str]:
    files = sorted(glob.glob(os.path.join(CORPORA, "xwlb-cctv-news", "xwlb_20*.jsonl")))
    if not files:
        sys.exit(f"xwlb corpus not found under {CORPORA} (set CASEMINER_CORPORA)")
    texts = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle)
    return texts


def _tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            # PSS, not RSS: pages shared by forked workers are counted once.
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run(system: str, path: str) -> dict:
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", RUNNER, system, path], stdout=subprocess.PIPE, text=True, env=env)
    peak = 0
    start = time.perf_counter()
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    out = proc.stdout.read()
    result = json.loads(out.strip().splitlines()[-1]) if proc.returncode == 0 else {"seconds": float("nan"), "output": -1}
    return {"wall": wall, "work": result["seconds"], "peak_mib": peak / 2**20, "output": result["output"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,all")
    ap.add_argument("--systems", default="caseminer-1,caseminer-2,nlp-zero,smoothnlp")
    args = ap.parse_args()
    texts = load_xwlb()
    rows = []
    for size in args.sizes.split(","):
        part = texts if size == "all" else texts[: int(size)]
        mb = sum(len(t.encode("utf-8")) for t in part) / 1e6
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
            json.dump(part, fh, ensure_ascii=False)
            path = fh.name
        try:
            for system in args.systems.split(","):
                r = run(system, path)
                r.update(system=system, stories=len(part), mb=mb, mbps=mb / r["work"])
                rows.append(r)
                print(f"  {system:12s} {len(part):6d} stories {mb:7.1f} MB: {r['work']:7.1f} s "
                      f"{r['mbps']:5.2f} MB/s peak {r['peak_mib']:7.0f} MiB output {r['output']}", flush=True)
        finally:
            os.unlink(path)
    print("\n| system | stories | MB | seconds (work) | wall incl. start-up | MB/s | peak PSS MiB | output | MB/s ratio vs nlp-zero | peak ratio vs nlp-zero |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ref = next((x for x in rows if x["system"] == "nlp-zero" and x["stories"] == r["stories"]), None)
        ratio = f"{r['mbps'] / ref['mbps']:.2f}" if ref else "-"
        mem = f"{r['peak_mib'] / ref['peak_mib']:.2f}" if ref else "-"
        print(f"| {r['system']} | {r['stories']} | {r['mb']:.1f} | {r['work']:.1f} | {r['wall']:.1f} | "
              f"{r['mbps']:.2f} | {r['peak_mib']:.0f} | {r['output']} | {ratio} | {mem} |")


if __name__ == "__main__":
    main()
