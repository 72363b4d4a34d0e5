"""Segmentation accuracy and speed on SIGHAN 2005 (PKU, MSR): caseminer vs jieba.

Usage::

    python benchmarks/segmentation_sighan.py [--corpus pku msr] [--repeat 3]

Reads ``$CASEMINER_CORPORA/sighan2005-icwb2`` (default ``../shared/corpora`` from the
repository root). For each corpus it segments the raw test text line by line and
scores span-based precision, recall and F1 against the gold segmentation, plus
OOV recall (gold words absent from the corpus' training word list, the official
scorer's definition) and IV recall. Throughput is characters per second of
segmentation alone (CPU time, best of ``--repeat`` runs, one process; the machine
is shared, so wall time is noisier); dictionary loading and word discovery are
timed separately. A last table gives throughput on long real documents (CCTV
news about poverty alleviation) with a domain lexicon discovered on them.

Systems (peers first):

* jieba 0.42.1 ``lcut`` with HMM on: the reference (PKU F1 0.818 on this machine type);
* jieba ``lcut`` HMM off; ``jieba.posseg`` HMM on (the POS-giving peer);
* caseminer backends ``jieba`` and ``jieba-fast`` (HMM off, POS on);
* caseminer + discovered words: words found by *unsupervised* new-word discovery
  on the test text itself (no gold, no training data), added as the user lexicon.
  Uses ``caseminer.nlp.discovery.discover`` when importable, else the small PMI +
  boundary-entropy discoverer below; the table says which;
* caseminer + the SIGHAN training word list: **supervised**, a ceiling only.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from caseminer.nlp.segmenters import (  # noqa: E402
    SegmentSettings,
    dictionary_tags,
    make_segmenter,
)


def corpora_dir() -> Path:
    return Path(os.environ.get("CASEMINER_CORPORA", ROOT.parent / "shared" / "corpora"))


def load(corpus: str):
    base = corpora_dir() / "sighan2005-icwb2"
    raw = (base / "testing" / f"{corpus}_test.utf8").read_text(encoding="utf-8-sig")
    gold = (base / "gold" / f"{corpus}_test_gold.utf8").read_text(encoding="utf-8-sig")
    train = (base / "gold" / f"{corpus}_training_words.utf8").read_text(encoding="utf-8-sig")
    lines = [ln.strip() for ln in raw.splitlines()]
    gold_lines = [ln.split() for ln in gold.splitlines()]
    assert len(lines) == len(gold_lines), (len(lines), len(gold_lines))
    # MSR's gold moves a closing quote to the next line 16 times: such line pairs
    # cannot be scored line by line and are left out (and counted).
    pairs = [(ln, g) for ln, g in zip(lines, gold_lines) if "".join(ln.split()) == "".join(g)]
    dropped = len(lines) - len(pairs)
    return [p[0] for p in pairs], [p[1] for p in pairs], set(train.split()), dropped


def spans(words):
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def score(system, gold_lines, train_words):
    tp = n_sys = n_gold = oov = oov_hit = iv = iv_hit = 0
    for sys_words, gold_words in zip(system, gold_lines):
        sys_words = [w for w in sys_words if w.strip()]
        assert "".join(sys_words) == "".join(gold_words)
        s, pos = spans(sys_words), 0
        n_sys += len(s)
        n_gold += len(gold_words)
        for w in gold_words:
            hit = (pos, pos + len(w)) in s
            tp += hit
            if w in train_words:
                iv, iv_hit = iv + 1, iv_hit + hit
            else:
                oov, oov_hit = oov + 1, oov_hit + hit
            pos += len(w)
    p, r = tp / n_sys, tp / n_gold
    return {
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r),
        "OOV_R": oov_hit / max(oov, 1),
        "IV_R": iv_hit / max(iv, 1),
        "oov_rate": oov / n_gold,
    }


def timed(fn, lines, repeat):
    """Outputs and the best CPU time of ``repeat`` runs (CPU time, not wall time:
    the machine is shared, and CPU time is what "per process" means)."""
    best, out = math.inf, None
    for _ in range(repeat):
        out = None
        t0 = time.process_time()
        out = [fn(ln) for ln in lines]
        best = min(best, time.process_time() - t0)
    return out, best


# ----------------------------------------------------------- discovery fallback


def fallback_discover(texts, known, *, max_n=4, min_count=3, min_pmi=3.0, min_entropy=1.0):
    """Unsupervised new words: n-grams (2..max_n Han characters) that are frequent,
    cohesive (minimum PMI over binary splits) and free at both ends (left and
    right branching entropy), minus words in ``known``, with substring suppression.
    Returns ``[(word, weight)]``, best first."""
    import re

    runs = [m.group() for t in texts for m in re.finditer(r"[\u4e00-\u9fff]+", t)]
    counts = Counter()
    left, right = defaultdict(Counter), defaultdict(Counter)
    for run in runs:
        padded = f"^{run}$"
        for n in range(1, max_n + 2):
            for i in range(1, len(padded) - n):
                g = padded[i : i + n]
                counts[g] += 1
                if 2 <= n <= max_n:
                    left[g][padded[i - 1]] += 1
                    right[g][padded[i + n]] += 1
    chars = sum(c for g, c in counts.items() if len(g) == 1)

    def entropy(counter):
        total = sum(counter.values())
        # Sentence edges are distinct contexts (each ^ or $ counts as its own).
        h = 0.0
        for ch, c in counter.items():
            if ch in "^$":
                h -= c * (1 / total) * math.log(1 / total)
            else:
                h -= c / total * math.log(c / total)
        return h

    found = []
    for g, c in counts.items():
        if not (2 <= len(g) <= max_n) or c < min_count or g in known:
            continue
        p = c / chars
        pmi = min(
            math.log(p / ((counts[g[:k]] / chars) * (counts[g[k:]] / chars)))
            for k in range(1, len(g))
        )
        if pmi < min_pmi:
            continue
        h = min(entropy(left[g]), entropy(right[g]))
        if h < min_entropy:
            continue
        found.append((g, c * pmi * h))
    found.sort(key=lambda x: -x[1])
    # Substring suppression: drop a candidate inside a kept longer one that
    # occurs nearly as often (it is a fragment, e.g. 村振兴 of 乡村振兴).
    kept = []
    for g, w in sorted(found, key=lambda x: -len(x[0])):
        if any(g in k and counts[k] >= 0.8 * counts[g] for k, _ in kept):
            continue
        kept.append((g, w))
    kept.sort(key=lambda x: -x[1])
    return kept


def discover_words(lines):
    """Discovered words for ``lines`` and the name of the discoverer used.

    With caseminer's discoverer: every candidate outside jieba's dictionary whose
    weight (signed G^2) exceeds 10.83 (p < 0.001), i.e. no human review."""
    known = set(dictionary_tags())
    try:
        from caseminer.nlp.discovery import DiscoverSettings, discover
        from caseminer.nlp.lexicon import jieba_lexicon
    except ImportError:
        words = [w for w, _ in fallback_discover(lines, known)]
        return words, "benchmark fallback (PMI >= 3, entropy >= 1, count >= 3)"
    cands = discover(lines, DiscoverSettings(), lexicon=jieba_lexicon())
    words = [c.word for c in cands if not c.in_lexicon and c.weight > 10.83]
    return words, "caseminer.nlp.discovery.discover (defaults, G2 > 10.83, not in jieba dict)"


# ----------------------------------------------------------------------- main


def run(corpus, repeat):
    import jieba
    import jieba.posseg

    logging.getLogger("jieba").setLevel(logging.WARNING)
    lines, gold, train, dropped = load(corpus)
    n_chars = sum(len(ln) for ln in lines)
    rows = []

    tok = jieba.Tokenizer()
    tok.initialize()
    for hmm in (True, False):
        out, secs = timed(lambda s, h=hmm: tok.lcut(s, HMM=h), lines, repeat)
        rows.append((f"jieba lcut HMM {'on' if hmm else 'off'}", score(out, gold, train), secs))
    pt = jieba.posseg.POSTokenizer(tok)
    out, secs = timed(lambda s: [p.word for p in pt.lcut(s, HMM=True)], lines, 1)
    rows.append(("jieba.posseg HMM on (POS peer)", score(out, gold, train), secs))

    t0 = time.perf_counter()
    discovered, discoverer = discover_words(lines)
    discover_secs = time.perf_counter() - t0

    # New words proper (names such as 海合会) vs new terms that are compounds of
    # dictionary words (农业产业化经营): PKU's gold splits the latter.
    new_only = [w for w in discovered if any(len(p) == 1 for p in tok.lcut(w, HMM=False))]
    systems = [
        ("caseminer jieba", "jieba", {}, ()),
        ("caseminer jieba-fast", "jieba-fast", {}, ()),
        ("caseminer jieba-fast HMM on", "jieba-fast", {"hmm": True}, ()),
        ("caseminer jieba-fast guess_names", "jieba-fast", {"guess_names": True}, ()),
        ("caseminer jieba + discovered", "jieba", {}, discovered),
        ("caseminer jieba-fast + discovered", "jieba-fast", {}, discovered),
        ("caseminer jieba-fast + discovered, non-compounds", "jieba-fast", {}, new_only),
        ("caseminer jieba-fast guess_names + discovered, non-compounds", "jieba-fast",
         {"guess_names": True}, new_only),
        ("SUPERVISED: jieba-fast + training words", "jieba-fast", {}, sorted(train)),
    ]
    for label, backend, options, words in systems:
        try:
            seg = make_segmenter(SegmentSettings(backend=backend, **options), user_words=words)
        except Exception as exc:  # a missing optional backend: report, do not hide
            print(f"  skipped {label}: {exc}")
            continue
        out, secs = timed(lambda s: [t.word for t in seg.tokenize(s)], lines, repeat)
        rows.append((label, score(out, gold, train), secs))

    ref_f1, ref_secs = rows[0][1]["F1"], rows[0][2]
    print(f"\n## {corpus.upper()}: {len(lines)} lines ({dropped} left out), {n_chars} chars, OOV rate "
          f"{rows[0][1]['oov_rate']:.3f}")
    print(f"discovered words: {len(discovered)} ({len(new_only)} non-compounds) in {discover_secs:.1f} s by {discoverer}; "
          f"first: {' '.join(discovered[:15])}")
    print("| system | P | R | F1 | OOV R | IV R | k chars/s | speed vs jieba |")
    print("|---|---|---|---|---|---|---|---|")
    for label, m, secs in rows:
        print(
            f"| {label} | {m['P']:.3f} | {m['R']:.3f} | {m['F1']:.3f} | {m['OOV_R']:.3f} | "
            f"{m['IV_R']:.3f} | {n_chars / secs / 1e3:,.0f} | {ref_secs / secs:.2f}x |"
        )
    print(f"(F1 of the reference jieba HMM on: {ref_f1:.3f})")


def run_news(repeat, max_chars):
    """Throughput on long real documents with a domain lexicon (issue 3 target:
    >= 1 M characters/s per process with the lexicon)."""
    import json

    import jieba
    import jieba.posseg

    path = corpora_dir() / "xwlb-cctv-news" / "xwlb_poverty_subset.jsonl"
    if not path.exists():
        print(f"\n(news throughput skipped: {path} not found)")
        return
    texts, n_chars = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            n_chars += len(texts[-1])
            if n_chars >= max_chars:
                break
    t0 = time.perf_counter()
    lexicon, discoverer = discover_words(texts)
    discover_secs = time.perf_counter() - t0
    tok = jieba.Tokenizer()
    tok.initialize()
    pt = jieba.posseg.POSTokenizer(tok)
    rows = []
    for hmm in (True, False):
        _, secs = timed(lambda s, h=hmm: tok.lcut(s, HMM=h), texts, repeat)
        rows.append((f"jieba lcut HMM {'on' if hmm else 'off'} (no POS)", secs))
    _, secs = timed(lambda s: pt.lcut(s, HMM=False), texts, 1)
    rows.append(("jieba.posseg HMM off (POS)", secs))
    for backend in ("jieba", "jieba-fast"):
        for words in ((), lexicon):
            try:
                seg = make_segmenter(SegmentSettings(backend=backend), user_words=words)
            except Exception as exc:
                print(f"  skipped {backend}: {exc}")
                continue
            label = f"caseminer {backend} (POS){' + lexicon' if words else ''}"
            _, secs = timed(seg.tokenize, texts, repeat)
            rows.append((label, secs))
    print(f"\n## News throughput: {len(texts)} xwlb poverty stories, {n_chars} chars, "
          f"lexicon of {len(lexicon)} discovered words ({discover_secs:.1f} s, {discoverer})")
    print("| system | k chars/s (CPU, best of runs) | vs jieba HMM on |")
    print("|---|---|---|")
    for label, secs in rows:
        print(f"| {label} | {n_chars / secs / 1e3:,.0f} | {rows[0][1] / secs:.2f}x |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", nargs="*", default=["pku", "msr"])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--news-chars", type=int, default=600_000,
                    help="characters of news for the throughput table (0: skip)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" chatter
    if not (corpora_dir() / "sighan2005-icwb2").is_dir():
        sys.exit(f"SIGHAN corpus not found under {corpora_dir()}; set CASEMINER_CORPORA")
    for corpus in args.corpus:
        run(corpus, args.repeat)
    if args.news_chars:
        run_news(args.repeat, args.news_chars)


if __name__ == "__main__":
    main()
