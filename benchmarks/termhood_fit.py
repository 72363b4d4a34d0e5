"""Fit the shipped termhood model (discovery step 6) and say how well it transfers.

Training data: the judged discovery lists in ``benchmarks/data/*_judged.tsv``, one per
corpus (rank, string, label; T a term, R a register phrase or clause piece, G general
vocabulary, F a fragment, N a name), each written by a reader of that corpus's list who
ran no tool. A string is a positive when labelled T.

Printed, for each corpus held out in turn: the AUC of the model fitted on the *other*
corpora, against that corpus's labels (does the form of a term transfer between corpora
of different genres?), next to the AUC of the discovery weight the list was ranked by.
Then the model fitted on all of them is written to
``src/caseminer/data/termhood/policy_zh.json`` (``--write``) with what it was fitted on.

    PYTHONPATH=src python benchmarks/termhood_fit.py [--l2 1.0] [--write]

The penalty was chosen by the mean log loss on the corpus left out (five corpora; l2 0.3 /
0.5 / 1 / 2 / 3 / 10: 0.542 / 0.528 / 0.519 / 0.521 / 0.525 / 0.543, session 6), and checked
again as corpora were added in session 7 (seven corpora, l2 0.5 / 1 / 2: 0.479 / 0.475 /
0.480; nine corpora: 0.481 / 0.476 / 0.480).
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))

OUT = REPO / "src" / "caseminer" / "data" / "termhood" / "policy_zh.json"


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
    ap.add_argument("--write", action="store_true", help=f"write the model fitted on all corpora to {OUT}")
    args = ap.parse_args()
    from caseminer.nlp.lexicon import jieba_tags
    from caseminer.nlp.termhood import fit, mean_log_loss

    tags = jieba_tags()
    corpora = {p.name.replace("_judged.tsv", ""): load_judged(p) for p in sorted((HERE / "data").glob("*_judged.tsv"))}
    print(f"{'corpus':<24}{'strings':>8}{'T share':>9}{'AUC (others)':>14}{'AUC (rank)':>12}{'log loss':>10}")
    for name, rows in corpora.items():
        others = [r for n, rs in corpora.items() if n != name for r in rs]
        words, labels = [w for _, w, _ in rows], np.array([lab == "T" for _, _, lab in rows])
        if others:
            model = fit([w for _, w, _ in others], [lab == "T" for _, _, lab in others], tags, l2=args.l2)
            p = model.probability(words, tags)
            held = f"{auc(p, labels):14.3f}"
            loss = f"{mean_log_loss(model, words, labels, tags):10.3f}"
        else:
            held, loss = f"{'-':>14}", f"{'-':>10}"
        rank_auc = auc(-np.array([r for r, _, _ in rows], dtype=float), labels)
        print(f"{name:<24}{len(rows):8d}{labels.mean():9.3f}{held}{rank_auc:12.3f}{loss}")
    if args.write:
        everything = [r for rs in corpora.values() for r in rs]
        meta = {"fitted_on": {n: len(rs) for n, rs in corpora.items()},
                "labels": "T (term) against R, G, F, N; benchmarks/data/*_judged.tsv",
                "fitted": datetime.date.today().isoformat(), "script": "benchmarks/termhood_fit.py"}
        model = fit([w for _, w, _ in everything], [lab == "T" for _, _, lab in everything], tags,
                    l2=args.l2, meta=meta)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"wrote {OUT} ({len(model.weights)} features, {len(everything)} strings)")


if __name__ == "__main__":
    main()
