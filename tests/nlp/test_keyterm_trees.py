"""The boosted trees of the fused keyword score (nlp/keyterms/trees.py)."""

import numpy as np
import pytest

from caseminer.nlp.keyterms import fusion
from caseminer.nlp.keyterms.trees import load_fused_trees, model_from_json

# Two stumps and a tree of depth two over features a, b (nodes: root first, -1 marks a leaf).
TOY = {
    "features": ["a", "b"],
    "baseline": -1.0,
    "trees": [
        {"feature": [0, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1],
         "value": [0, -0.25, 0.75]},
        {"feature": [1, 0, 0, 0, 0], "threshold": [2.0, 0.1, 0, 0, 0], "left": [1, 3, -1, -1, -1],
         "right": [2, 4, -1, -1, -1], "value": [0, 0, 0.5, 0.125, -0.125]},
    ],
}


def by_hand(a: float, b: float) -> float:
    first = -0.25 if a <= 0.5 else 0.75
    second = 0.5 if b > 2.0 else (0.125 if a <= 0.1 else -0.125)
    return -1.0 + first + second


@pytest.mark.parametrize("a, b", [(0.0, 0.0), (0.5, 2.0), (0.3, 5.0), (0.9, 1.0), (0.1, 2.0), (2.0, 9.0)])
def test_trees_sum_the_leaves_each_row_reaches(a, b):
    # thresholds are inclusive on the left, as scikit-learn's are
    model = model_from_json(TOY)
    assert model.decision(np.array([[a, b]]))[0] == pytest.approx(by_hand(a, b))


def test_trees_score_many_rows_at_once():
    rows = np.array([[a, b] for a in (0.0, 0.1, 0.4, 0.6) for b in (1.0, 2.0, 3.0)])
    model = model_from_json(TOY)
    assert model.decision(rows).tolist() == pytest.approx([by_hand(a, b) for a, b in rows])
    with pytest.raises(ValueError, match="2 features"):
        model.decision(np.zeros((3, 3)))


def test_trees_refuse_a_tree_that_points_outside_itself():
    broken = {**TOY, "trees": [{**TOY["trees"][0], "right": [7, -1, -1]}]}
    with pytest.raises(ValueError, match="outside the tree"):
        model_from_json(broken)
    unknown = {**TOY, "trees": [{**TOY["trees"][0], "feature": [2, 0, 0]}]}
    with pytest.raises(ValueError, match="does not list"):
        model_from_json(unknown)


def test_shipped_trees_read_every_feature_but_the_hand_set_ones():
    model = load_fused_trees()
    assert set(model.features) == set(fusion.FUSED_WEIGHTS) - set(fusion.HAND_SET)
    assert model.meta["added_linearly"] == {k: fusion.FUSED_WEIGHTS[k] for k in fusion.HAND_SET}
    assert 50 <= len(model.trees) <= model.meta["params"]["max_iter"] and len(model.sha256) == 64
    record = model.record()
    assert record["sha256"] == model.sha256 and "ab96" in record["fitted_on"]
    # a policy measure's term outscores a bare verb written as often (the trees learnt the signs)
    base = {n: 0.0 for n in model.features}
    measure = {**base, "log_tf": np.log(3), "salience": 0.5, "specificity": 1.0, "discovery": 0.8, "head": 0.8,
               "measure_head": 1.0}
    verb = {**base, "log_tf": np.log(3), "salience": 0.5, "specificity": 0.5, "bare_verb": 1.0, "case_share": 0.3}
    scores = model.decision(np.array([[f[n] for n in model.features] for f in (measure, verb)]))
    assert scores[0] > scores[1]


def test_fused_adds_the_hand_set_features_at_their_linear_weights(monkeypatch):
    # the trees never see name, ubiquity or sparse; the score adds them as the linear sum does
    monkeypatch.setattr(fusion, "load_fused_trees",
                        lambda: model_from_json({**TOY, "features": ["log_tf", "salience"]}))
    plain = {n: 0.0 for n in fusion.FUSED_WEIGHTS} | {fusion.TIE_BREAK: 0.01, "log_tf": 1.0, "salience": 3.0}
    named = {**plain, "name": 1.0}
    scores = fusion._boosted({"甲": plain, "乙": named})
    assert scores["甲"] == pytest.approx(by_hand(1.0, 3.0) + 0.01)
    assert scores["乙"] == pytest.approx(scores["甲"] + fusion.FUSED_WEIGHTS["name"])


# One tree whose internal node stores its value without the learning rate (as scikit-learn
# exports it) and whose leaves have it: root on a (value 0), then b (value 2.0 x 0.5 = 1.0).
SHRUNK = {
    "features": ["a", "b"],
    "baseline": -0.5,
    "meta": {"params": {"learning_rate": 0.5}},
    "trees": [
        {"feature": [0, 1, 0, 0, 0], "threshold": [0.5, 1.0, 0, 0, 0], "left": [1, 3, -1, -1, -1],
         "right": [2, 4, -1, -1, -1], "value": [0, 2.0, -0.75, 0.25, 1.5]},
    ],
}


def test_contributions_credit_each_split_with_the_move_it_makes():
    model = model_from_json(SHRUNK)
    rows = np.array([[0.0, 2.0], [0.0, 0.0], [1.0, 5.0]])
    shares = model.contributions(rows)
    # a <= 0.5 moves 0 -> 1.0 (credited to a), then b > 1 moves 1.0 -> 1.5 (to b)
    assert shares[0].tolist() == pytest.approx([1.0, 0.5])
    assert shares[1].tolist() == pytest.approx([1.0, -0.75])
    assert shares[2].tolist() == pytest.approx([-0.75, 0.0])  # the right leaf: one split, on a
    assert (shares.sum(axis=1) + model.bias).tolist() == pytest.approx(model.decision(rows).tolist())
    with pytest.raises(ValueError, match="2 features"):
        model.contributions(np.zeros((1, 3)))


def test_contributions_of_the_shipped_trees_add_up_to_their_log_odds():
    model = load_fused_trees()
    rng = np.random.default_rng(7)
    rows = rng.random((300, len(model.features))) * 3
    shares = model.contributions(rows)
    assert np.abs(shares.sum(axis=1) + model.bias - model.decision(rows)).max() < 1e-9
    # every feature the trees split on moves some row; the shares are not all on one feature
    assert (np.abs(shares) > 1e-6).any(axis=0).sum() >= len(model.features) // 2


def test_shipped_trees_move_each_constrained_feature_its_way_only():
    # More occurrences, a higher discovery weight, quotation marks never lower a term's score;
    # a bare verb or commonplace parts never raise it, wherever the other features stand
    # (the fit's constraints, recorded in its meta; the trees of session 29, fitted without
    # them, failed this on 11 of the 14 features: a higher discovery weight could cost 1.6 log-odds).
    model = load_fused_trees()
    # (a refit without --monotone records none, and fails here)
    directions = model.meta["params"].get("monotonic_cst", {})
    expected = {"log_tf": 1, "discovery": 1, "quoted": 1, "bare_verb": -1, "common_parts": -1}
    assert expected.items() <= directions.items()
    rng = np.random.default_rng(11)
    rows = rng.random((200, len(model.features))) * 2
    for name, sign in directions.items():
        column = model.features.index(name)
        scores = []
        for value in np.linspace(0.0, 4.0, 17):
            moved = rows.copy()
            moved[:, column] = value
            scores.append(model.decision(moved))
        steps = np.diff(np.array(scores), axis=0) * sign
        assert steps.min() >= -1e-12, name
