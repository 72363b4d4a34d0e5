"""Domain check: recall of hand-compiled poverty-alleviation terms in the top of each list.

The terms (benchmarks/data/domain_terms.txt) were compiled by hand from the policy
vocabulary of the poverty stories, before looking at any discovery output. The
texts are the 2,966 stories of xwlb_poverty_subset.jsonl (read at run time from
CASEMINER_CORPORA). Systems, in the same run:

* caseminer, defaults, jieba's dictionary as background;
* caseminer, defaults, jieba plus a background corpus: all other xwlb stories
  (72,840, ~100 MB), counted with ``corpus_stats`` (this is the "background
  corpus" contrast of issue 3; counting it is reported separately);
* nlp-zero (Word_Finder defaults, ranked by count);
* SmoothNLP (extract_phrase defaults, its own ranking).

    pip install nlp-zero smoothnlp
    python benchmarks/discovery_domain.py [--no-background]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from discovery_e1_e2 import HAN, run_nlpzero, run_smoothnlp  # noqa: E402

REPO = os.path.dirname(HERE)
# Benchmark the working tree, not an installed copy.
sys.path.insert(0, os.path.join(REPO, "src"))
CORPORA = os.environ.get("CASEMINER_CORPORA", os.path.join(REPO, "..", "shared", "corpora"))


def load_terms() -> list[str]:
    with open(os.path.join(HERE, "data", "domain_terms.txt"), encoding="utf-8") as handle:
        return [t.strip() for t in handle if t.strip() and not t.startswith("#")]


def recall(ranked: list[str], terms: list[str], known=None) -> dict:
    # The same post-filter for every system: pure-Han strings of >= 2 characters.
    ranked = [w for w in ranked if HAN.match(w)]
    out = {}
    if known is not None:
        # New-only: the list and the terms without jieba's dictionary words (issue 3 check).
        new_terms = [t for t in terms if t not in known]
        out = {f"new {k}": v for k, v in recall([w for w in ranked if w not in known], new_terms).items()}
    pos = {}
    for i, w in enumerate(ranked):
        pos.setdefault(w, i)
    out.update({f"R@{k}": sum(pos.get(t, 10**12) < k for t in terms) / len(terms) for k in (50, 200, 1000)})
    out["R(all)"] = sum(t in pos for t in terms) / len(terms)
    out["size"] = len(ranked)
    out["missed@1000"] = " ".join(t for t in terms if pos.get(t, 10**12) >= 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-background", action="store_true")
    ap.add_argument("--peers", default="nlpzero,smoothnlp")
    args = ap.parse_args()
    folder = os.path.join(CORPORA, "xwlb-cctv-news")
    path = os.path.join(folder, "xwlb_poverty_subset.jsonl")
    if not os.path.exists(path):
        sys.exit(f"{path} not found (set CASEMINER_CORPORA)")
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    texts = [r["text"] for r in rows]
    terms = load_terms()
    print(f"{len(texts)} stories, {sum(len(t) for t in texts)} characters; {len(terms)} domain terms")

    from caseminer.nlp import discovery as d
    from caseminer.nlp.lexicon import jieba_lexicon

    lexicon = jieba_lexicon()
    results, times = {}, {}
    t = time.perf_counter()
    settings = d.DiscoverSettings()
    stats = d.corpus_stats(texts, settings)
    results["caseminer (jieba background)"] = [c.word for c in d.score(stats, settings, lexicon=lexicon)]
    times["caseminer (jieba background)"] = time.perf_counter() - t
    if not args.no_background:
        ids = {r["id"] for r in rows}
        other = []
        for name in sorted(glob.glob(os.path.join(folder, "xwlb_20*.jsonl"))):
            with open(name, encoding="utf-8") as handle:
                for line in handle:
                    r = json.loads(line)
                    if r["id"] not in ids:
                        other.append(r["text"])
        t = time.perf_counter()
        background = d.corpus_stats(other, d.DiscoverSettings(n_jobs=2))
        print(f"background corpus: {len(other)} stories counted in {time.perf_counter() - t:.1f} s (2 processes)")
        t = time.perf_counter()
        found = d.score(stats, settings, lexicon=lexicon, background=background)
        results["caseminer (jieba + xwlb background)"] = [c.word for c in found]
        times["caseminer (jieba + xwlb background)"] = time.perf_counter() - t + times["caseminer (jieba background)"]
    peers = {"nlpzero": ("nlp-zero", run_nlpzero), "smoothnlp": ("SmoothNLP", run_smoothnlp)}
    for key in [p for p in args.peers.split(",") if p]:
        name, fn = peers[key]
        t = time.perf_counter()
        try:
            results[name] = fn(texts)
        except ImportError as exc:
            print(f"skip {name}: {exc}")
            continue
        times[name] = time.perf_counter() - t
    rows_out = {n: recall(r, terms, lexicon) for n, r in results.items()}
    n_new = sum(t not in lexicon for t in terms)
    best_peer = max((v["R@1000"] for n, v in rows_out.items() if not n.startswith("caseminer")), default=0)
    print("\n| system | R@50 | R@200 | R@1000 | R(all) | output | seconds | R@1000 ratio vs best peer |")
    print("|---|---|---|---|---|---|---|---|")
    for n, v in rows_out.items():
        ratio = f"{v['R@1000'] / best_peer:.2f}" if best_peer else "-"
        print(f"| {n} | {v['R@50']:.3f} | {v['R@200']:.3f} | {v['R@1000']:.3f} | {v['R(all)']:.3f} | "
              f"{v['size']} | {times[n]:.1f} | {ratio} |")
    print(f"\nNew-only: the {n_new} terms not in jieba's dictionary, in each list without jieba's words")
    print("| system | new R@200 | new R@1000 | new R(all) | new-only output |")
    print("|---|---|---|---|---|")
    for n, v in rows_out.items():
        print(f"| {n} | {v['new R@200']:.3f} | {v['new R@1000']:.3f} | {v['new R(all)']:.3f} | {v['new size']} |")
    for n, v in rows_out.items():
        print(f"\n{n}: not in top 1000: {v['missed@1000']}")
        print(f"{n}: new-only, not in top 1000: {v['new missed@1000']}")
    for n, r in results.items():
        print(f"\n{n}: top 40: {' '.join(r[:40])}")


if __name__ == "__main__":
    main()
