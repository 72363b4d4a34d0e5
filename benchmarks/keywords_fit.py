"""Refit the weights of the fused keyword score (issue 4) and say what the held-back half thinks.

The fused score (``caseminer.nlp.keyterms.fusion``) is a weighted sum of features of a
case's candidate terms. This script reads those features for the 87 development passages and
the stories of the two-annotator golds (``keywords_eval.STORY_GOLDS``; the project is
``keywords_eval.devset_project``, prepared as the keyword stage prepares it), fits the weights
as a conditional logit (a softmax over each case's candidates, the gold terms of the union of
both annotators as the chosen ones, L2 penalty ``--l2``) on the fit halves (odd-numbered
passages, each story gold's ``fit`` split; ``--fit-on`` narrows it to one gold), and prints
the top-3 keyword hit rate of the shipped weights and of the refit on every half. ``ubiquity``
and ``sparse`` keep their hand-set weights (the golds have no term above half the cases and no
case longer than 5,000 characters to learn them from) and ``name`` its earlier one (too few
names among the candidates).

    PYTHONPATH=src python benchmarks/keywords_fit.py [--cli] [--swap] [--fit-on all] [--try case_share=-16,head=1]

``--cli``: no domain stop-words (``caseminer keywords`` before any is confirmed);
``--swap``: fit on the even passages and the story golds' ``test`` splits and score on the
others (the reverse split), to see how much a refit's gain depends on the half it was
fitted on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from keywords_eval import K, devset_project, hit_rate  # noqa: E402

FIXED = ("ubiquity", "name", "sparse")  # not fitted (module docstring)


def case_tables(project: dict) -> tuple[list[str], dict]:
    """Feature names and, per passage, (terms, feature matrix, tie-break column)."""
    from caseminer.nlp.keyterms import KeywordSettings, load_background_idf
    from caseminer.nlp.keyterms.candidates import build_candidates
    from caseminer.nlp.keyterms.fusion import (FUSED_WEIGHTS, TIE_BREAK, _candidate_options, build_corpus_stats,
                                               case_features)
    from caseminer.nlp.lexicon import jieba_tags

    settings = KeywordSettings()
    per_case, df = build_candidates(project["tokens"], stopwords=project["starter"],
                                    options=_candidate_options(settings), domain_words=project["stop"])
    corpus = build_corpus_stats(per_case, df, background_idf=load_background_idf(), lexicon=jieba_tags(),
                                discovery_weights=project["weights"])
    names = list(FUSED_WEIGHTS)
    tables = {}
    for pid in project["pids"] + [i for g in project["stories"].values() for i in g["ids"]]:
        feats = case_features(per_case[pid], corpus, settings, stopwords=project["stop"],
                              discovery_weights=project["weights"])
        terms = list(feats)
        x = np.array([[feats[t][n] for n in names] for t in terms], dtype=float).reshape(len(terms), len(names))
        tables[pid] = (terms, x, np.array([feats[t][TIE_BREAK] for t in terms], dtype=float))
    return names, tables


def top_terms(tables: dict, weights: np.ndarray) -> dict[str, list[str]]:
    from caseminer.nlp.keyterms.fusion import _select

    out = {}
    for pid, (terms, x, tie) in tables.items():
        scores = x @ weights + tie if len(terms) else np.zeros(0)
        ranked = sorted(zip(terms, scores.tolist()), key=lambda kv: (-kv[1], kv[0]))
        out[pid] = [t for t, _ in _select(ranked, K)]
    return out


def fit(tables: dict, gold: dict, pids: list[str], names: list[str], start: np.ndarray, l2: float) -> np.ndarray:
    free = [i for i, n in enumerate(names) if n not in FIXED]
    data = []
    for pid in pids:
        terms, x, tie = tables[pid]
        chosen = [i for i, t in enumerate(terms) if t in set(gold[pid])]
        if chosen and len(terms) > 1:
            data.append((x, tie, np.array(chosen)))

    def loss(w_free):
        w = start.copy()
        w[free] = w_free
        total, grad = 0.0, np.zeros(len(names))
        for x, tie, chosen in data:
            s = x @ w + tie
            p = np.exp(s - logsumexp(s))
            total -= s[chosen].sum() - len(chosen) * logsumexp(s)
            grad -= x[chosen].sum(axis=0) - len(chosen) * (p @ x)
        total += l2 * float(w_free @ w_free)
        return total, grad[free] + 2 * l2 * w_free

    result = minimize(loss, start[free], jac=True, method="L-BFGS-B")
    w = start.copy()
    w[free] = np.round(result.x * 4) / 4  # round numbers, as the shipped weights are
    return w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", action="store_true")
    ap.add_argument("--swap", action="store_true")
    ap.add_argument("--extra", type=int, default=1000)
    ap.add_argument("--domain-share", type=float, default=0.1)
    ap.add_argument("--l2", type=float, default=0.001)
    ap.add_argument("--fit-on", choices=["passages", "ab96", "all"], default="all",
                    help="the fit halves the refit reads: one gold's, or all of them")
    ap.add_argument("--try", dest="tries", action="append", default=[], metavar="FEATURE=WEIGHT[,...]",
                    help="also score the shipped weights with these changed (repeatable)")
    args = ap.parse_args()
    from caseminer.nlp.keyterms.fusion import FUSED_WEIGHTS

    project = devset_project(args.extra, args.domain_share, args.cli)
    golds = project["stories"]
    union = {**project["union"], **{i: u for g in golds.values() for i, u in g["union"].items()}}
    fit_first, test_first = ("test", "fit") if args.swap else ("fit", "test")
    # (name, fit half, held-back half) of the passages and of each story gold
    halves = [("passages", project[fit_first], project[test_first])]
    halves += [(name, g[fit_first], g[test_first]) for name, g in golds.items()]
    fit_on = [i for name, f, _ in halves if args.fit_on in ("all", name) for i in f]
    names, tables = case_tables(project)
    shipped = np.array([FUSED_WEIGHTS.get(n, 0.0) for n in names])
    refit = fit(tables, union, fit_on, names, shipped, args.l2)
    print(f"\nfitted on the {fit_first} halves of {args.fit_on} ({len(fit_on)} cases); top-{K} keyword hit rate "
          "(U, exact) on each half")
    print(f"{'weights':<20}" + "".join(f"{name + ' ' + h:>20}" for name, _, _ in halves for h in ("fit", "held back")))
    rows = [("shipped", shipped), ("refit", refit)]
    for change in args.tries:
        w = shipped.copy()
        for part in change.split(","):
            name, value = part.split("=")
            w[names.index(name)] = float(value)
        rows.append((change, w))
    for label, w in rows:
        out = top_terms(tables, w)
        print(f"{label:<20}" + "".join(f"{hit_rate(out, union, f, False):20.3f}{hit_rate(out, union, t, False):20.3f}"
                                       for _, f, t in halves))
    print("\nfeature          shipped   refit")
    for n, a, b in zip(names, shipped, refit):
        print(f"{n:<16}{a:8.2f}{b:8.2f}")


if __name__ == "__main__":
    main()
