"""Co-occurrence counts, Jaccard, PMI and exports, worked out by hand (issue 5)."""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter

import numpy as np
import pytest

from caseminer.analysis.cooccurrence import cooccurrence, cooccurrence_matrix, to_csv, to_graphml
from caseminer.analysis.frequency import build_incidence, case_frequency
from caseminer.errors import InvalidInput, InvalidSetting

# N = 6. 扶贫产业: c1 c2 c3 c4; 消费扶贫: c1 c2; 乡村旅游: c4 c5; c6 has nothing.
CASE_TERMS = {
    "c1": {"扶贫产业": 1, "消费扶贫": 2},
    "c2": {"扶贫产业": 3, "消费扶贫": 1},
    "c3": {"扶贫产业": 1},
    "c4": {"扶贫产业": 1, "乡村旅游": 1},
    "c5": {"乡村旅游": 1},
    "c6": {},
}


@pytest.fixture
def inc():
    return build_incidence(CASE_TERMS)


def test_cooccurrence_pairs_by_hand(inc):
    pairs = cooccurrence(inc)
    assert [(p.a, p.b, p.count) for p in pairs] == [
        ("扶贫产业", "消费扶贫", 2),
        ("乡村旅游", "扶贫产业", 1),
    ]
    p = pairs[0]
    # Jaccard = 2 / (4 + 2 - 2) = 0.5; PMI = log2(2 * 6 / (4 * 2)) = log2(1.5);
    # NPMI = PMI / -log2(2 / 6) = log2(1.5) / log2(3).
    assert p.jaccard == 0.5
    assert p.pmi == pytest.approx(math.log2(1.5))
    assert p.npmi == pytest.approx(math.log2(1.5) / math.log2(3))
    q = pairs[1]
    # Jaccard = 1 / (2 + 4 - 1) = 0.2; PMI = log2(6 / 8) < 0: they repel.
    assert q.jaccard == 0.2
    assert q.pmi == pytest.approx(math.log2(0.75))


def test_cooccurrence_matrix_diagonal_is_case_frequency(inc):
    m = cooccurrence_matrix(inc)
    assert m.diagonal().tolist() == inc.case_counts().tolist()


def test_cooccurrence_min_count_and_top(inc):
    assert [(p.a, p.b) for p in cooccurrence(inc, min_count=2)] == [("扶贫产业", "消费扶贫")]
    assert len(cooccurrence(inc, top=1)) == 1


def test_cooccurrence_always_together_has_npmi_one():
    inc = build_incidence({"a": {"x": 1, "y": 1}, "b": {"x": 1, "y": 1}})
    (p,) = cooccurrence(inc)
    # In every case: PMI = log2(2 * 2 / (2 * 2)) = 0, NPMI = 1 by convention.
    assert (p.count, p.jaccard, p.pmi, p.npmi) == (2, 1.0, 0.0, 1.0)


@pytest.mark.parametrize("kwargs", [{"min_count": 0}, {"top": 0}])
def test_cooccurrence_settings_are_validated(inc, kwargs):
    with pytest.raises(InvalidSetting, match="setting of stats must be"):
        cooccurrence(inc, **kwargs)


def test_cooccurrence_matches_naive_pair_counting():
    rng = np.random.default_rng(3)
    vocab = [f"词{i}" for i in range(40)]
    case_terms = {
        f"k{c}": {t: 1 for t in rng.choice(vocab, size=int(rng.integers(0, 8)), replace=False)}
        for c in range(200)
    }
    naive = Counter()
    for terms in case_terms.values():
        naive.update(itertools.combinations(sorted(terms), 2))
    pairs = cooccurrence(build_incidence(case_terms))
    assert {(p.a, p.b): p.count for p in pairs} == dict(naive)
    assert pairs == sorted(pairs, key=lambda p: (-p.count, p.a, p.b))


def test_cooccurrence_csv_round_trip(inc, tmp_path):
    path = to_csv(cooccurrence(inc), tmp_path / "pairs.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["a"] == "扶贫产业" and rows[0]["b"] == "消费扶贫"
    assert float(rows[0]["pmi"]) == math.log2(1.5)


def test_cooccurrence_graphml_opens_in_networkx(inc, tmp_path):
    nx = pytest.importorskip("networkx")
    pairs = cooccurrence(inc)
    path = to_graphml(pairs, case_frequency(inc), tmp_path / "net" / "pairs.graphml")
    g = nx.read_graphml(path)
    assert sorted(g.nodes) == ["乡村旅游", "扶贫产业", "消费扶贫"]
    assert g.nodes["扶贫产业"] == {"label": "扶贫产业", "n_cases": 4}
    edge = g.edges["扶贫产业", "消费扶贫"]
    assert edge["weight"] == 2.0 and edge["count"] == 2
    assert edge["pmi"] == math.log2(1.5)
    assert not g.is_directed()


def test_cooccurrence_graphml_isolated_nodes_and_missing_frequency(inc, tmp_path):
    nx = pytest.importorskip("networkx")
    pairs = cooccurrence(inc, min_count=2)
    freq = {"扶贫产业": 4, "消费扶贫": 2, "乡村旅游": 2}
    path = to_graphml(pairs, freq, tmp_path / "g.graphml", include_isolated=True)
    assert nx.read_graphml(path).number_of_nodes() == 3
    with pytest.raises(InvalidInput, match="have no case frequency in node_freq"):
        to_graphml(pairs, {"扶贫产业": 4}, tmp_path / "bad.graphml")
