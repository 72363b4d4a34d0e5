"""The boosted trees of the fused keyword score (issue 4, session 29).

The fused score's features (:func:`.fusion.fused_features`) were weighed by a linear sum
until session 28; refits of that sum gained nothing on held-back golds, but its features
interact (a term a case writes once is a reader's keyword the more often the more cases
share it if a measure's head ends it, the less often if not), which a sum cannot express.
A gradient-boosted ensemble of small regression trees can: on each gold left out of the fit
in turn, the mean top-3 hit rate rose from 0.514 to 0.546 in a project of 1,298 texts, from
0.478 to 0.530 in projects of 96 stories and from 0.428 to 0.503 in projects of 24
(``benchmarks/keywords_fit.py --trees``, see benchmarks/README.md).

The ensemble was fitted with scikit-learn's ``HistGradientBoostingClassifier`` (binary log
loss: is the term among the researchers' keywords of its case?), each feature whose direction
is not in doubt constrained to it (``benchmarks/keywords_fit.py``'s ``MONOTONE``, session 36:
more occurrences in the case, a higher discovery weight, quotation marks raise a term's score
and never lower it; a bare verb, a place name or commonplace parts lower it). The golds' cases
are passages and stories, where a term is seldom written more than five times; unconstrained
trees learned nothing past three to five occurrences and turned down where rows were few (基础设施,
in a story on flood relief: 0.64 written 3 times, 0.60 written 5 times or more; the story's
topic, 防汛救灾, written 14 times, ranked below it), which a longer case text meets in every
list; over random rows they broke 11 of the 14 directions somewhere (a higher discovery weight
could cost 1.6 log-odds). The constraints are recorded in ``meta`` and tested. Constrained, the
mean hit rate of each gold left out of the fit rose from 0.528 to 0.534, and on golds no fit
saw from 0.35 to 0.38 (blind24) and 0.54 to 0.56 (xwlb32). It was exported to
``data/keyterms/fused_trees.json``; it is evaluated here with numpy alone, so scikit-learn is
needed only to refit. The file holds the feature names in column order, the baseline
log-odds, each tree's nodes (feature, threshold, children, leaf values with the learning rate
applied) and what the fit read (``meta``). The score of a term is the baseline plus the sum
of the leaves it reaches: the log-odds that a researcher picks it.

That sum is also taken apart by feature (:meth:`TreeModel.contributions`), as Saabas's
``treeinterpreter`` does for random forests: every node holds the value it would give as a
leaf (scikit-learn's Newton step for the rows that reach it; stored without the learning
rate at an internal node, which is applied here, with it at a leaf; 0 at the root), and each
split along a row's path moves the score from the node's value to the child's, a move
credited to the feature the node splits on. Along one path the moves add up to the leaf's
value, so a term's contributions and the baseline add up to its score exactly
(:attr:`TreeModel.bias`: the baseline and the roots' values).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

MODEL_FILE = "fused_trees.json"


@dataclass(frozen=True)
class Tree:
    """One regression tree, nodes in arrays; a node is a leaf where ``left`` is -1."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray


@dataclass(frozen=True)
class TreeModel:
    features: tuple[str, ...]
    baseline: float
    trees: tuple[Tree, ...]
    meta: dict
    sha256: str

    def __post_init__(self) -> None:
        # All trees' nodes in one set of arrays (children as indices into them), so that
        # every row walks every tree at once, one level a step: a case's candidates are
        # scored in a few dozen array operations instead of a few per tree and level.
        starts = np.cumsum([0] + [len(t.left) for t in self.trees])[:-1]
        flat = {name: np.concatenate([getattr(t, name) for t in self.trees])
                for name in ("feature", "threshold", "value")}
        for name in ("left", "right"):
            flat[name] = np.concatenate([np.where(t.left >= 0, getattr(t, name) + start, -1)
                                         for t, start in zip(self.trees, starts)])
        # each node's value as a leaf (module docstring): an internal node's, stored by
        # scikit-learn without the learning rate, scaled by it
        rate = float(self.meta.get("params", {}).get("learning_rate", 1.0))
        flat["mean"] = np.where(flat["left"] >= 0, flat["value"] * rate, flat["value"])
        object.__setattr__(self, "_flat", flat)
        object.__setattr__(self, "_roots", starts.astype(np.int64))
        object.__setattr__(self, "_levels", max(_depth(t) for t in self.trees))

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Log-odds of each row of ``x`` (columns in the order of ``features``)."""
        flat, node = self._flat, self._roots_for(x)
        for _ in range(self._levels):
            node = self._step(x, node)
        return self.baseline + flat["value"][node].sum(axis=1)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Each feature's share of each row's log-odds (module docstring): rows x features,
        each row adding up with :attr:`bias` to :meth:`decision`'s value."""
        flat, node = self._flat, self._roots_for(x)
        x = np.asarray(x, dtype=float)
        out = np.zeros(x.shape, dtype=float)
        rows = np.broadcast_to(np.arange(len(x))[:, None], node.shape)
        for _ in range(self._levels):
            after = self._step(x, node)
            moved = after != node
            np.add.at(out, (rows[moved], flat["feature"][node[moved]]),
                      flat["mean"][after[moved]] - flat["mean"][node[moved]])
            node = after
        return out

    @property
    def bias(self) -> float:
        """The log-odds no feature moves: the baseline plus the roots' values (0 as
        scikit-learn fits them; a tree of one leaf gives every row its value)."""
        return self.baseline + float(self._flat["mean"][self._roots].sum())

    def _roots_for(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if x.ndim != 2 or x.shape[1] != len(self.features):
            raise ValueError(f"expected rows of {len(self.features)} features, got shape {x.shape}")
        return np.tile(self._roots, (len(x), 1))  # rows x trees

    def _step(self, x: np.ndarray, node: np.ndarray) -> np.ndarray:
        """One level down every tree for every row; a leaf stays where it is."""
        flat = self._flat
        left = flat["left"][node]
        value = np.take_along_axis(np.asarray(x, dtype=float), flat["feature"][node], axis=1)
        step = np.where(value <= flat["threshold"][node], left, flat["right"][node])
        return np.where(left >= 0, step, node)

    def record(self) -> dict:
        """What a run states about the model it scored with."""
        return {"file": MODEL_FILE, "sha256": self.sha256, "trees": len(self.trees),
                "features": list(self.features), **self.meta}


def _depth(tree: Tree) -> int:
    """Edges on the longest path from the root to a leaf."""
    depth, level, seen = 0, [0], 0
    while True:
        level = [c for n in level if tree.left[n] >= 0 for c in (tree.left[n], tree.right[n])]
        seen += len(level)
        if not level:
            return depth
        if seen > len(tree.left):
            raise ValueError("a tree's children form a cycle")
        depth += 1


def model_from_json(data: dict, sha256: str = "") -> TreeModel:
    """A :class:`TreeModel` from the exported JSON (the format of the module docstring)."""
    trees = tuple(Tree(feature=np.asarray(t["feature"], dtype=np.int64),
                       threshold=np.asarray(t["threshold"], dtype=float),
                       left=np.asarray(t["left"], dtype=np.int64), right=np.asarray(t["right"], dtype=np.int64),
                       value=np.asarray(t["value"], dtype=float)) for t in data["trees"])
    for i, t in enumerate(trees):
        n = len(t.left)
        if not (len(t.feature) == len(t.threshold) == len(t.right) == len(t.value) == n) or n == 0 \
                or t.left.max() >= n or t.right.max() >= n:
            raise ValueError(f"tree {i}: its node arrays differ in length or point outside the tree; "
                             "export the model again (benchmarks/keywords_fit.py --trees)")
        if t.feature.min() < 0 or t.feature.max() >= len(data["features"]):
            raise ValueError(f"tree {i} reads a feature the model does not list (of {len(data['features'])}); "
                             "export the model again (benchmarks/keywords_fit.py --trees)")
    return TreeModel(features=tuple(data["features"]), baseline=float(data["baseline"]), trees=trees,
                     meta=dict(data.get("meta", {})), sha256=sha256)


def export_sklearn(model, features: Sequence[str], meta: dict) -> dict:
    """The JSON of a fitted ``HistGradientBoostingClassifier`` (binary; numeric features,
    no missing values): what ``benchmarks/keywords_fit.py --trees`` writes."""
    trees = []
    for (predictor,) in model._predictors:  # one predictor per iteration for a binary loss
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({"feature": nodes["feature_idx"].astype(int).tolist(),
                      "threshold": nodes["num_threshold"].astype(float).tolist(),
                      # children are unsigned in scikit-learn: cast before marking the leaves
                      "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
                      "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
                      "value": nodes["value"].astype(float).tolist()})
    return {"features": list(features), "baseline": float(np.ravel(model._baseline_prediction)[0]),
            "trees": trees, "meta": meta}


@lru_cache(maxsize=1)
def load_fused_trees() -> TreeModel:
    """The shipped ensemble (``caseminer/data/keyterms/fused_trees.json``)."""
    raw = resources.files("caseminer").joinpath("data", "keyterms", MODEL_FILE).read_bytes()
    return model_from_json(json.loads(raw), hashlib.sha256(raw).hexdigest())
