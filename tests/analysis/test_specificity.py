"""Specificity on the six-case fixture, every number worked out by hand (issue 5).

Fixture (N = 6 cases): 贵州 = c1, c2, c3; 四川 = c4, c5; c6 has no province.
扶贫产业 is in c1, c2, c3; 防贫预警 in c1, c4, c5; 乡村旅游 in c2, c4.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from caseminer.analysis.frequency import build_incidence
from caseminer.analysis.specificity import (
    benjamini_hochberg,
    fisher_two_sided,
    signed_g2,
    specificity,
)
from caseminer.errors import InvalidSetting

CASE_TERMS = {
    "c1": {"扶贫产业": 2, "防贫预警": 1},
    "c2": {"扶贫产业": 1, "乡村旅游": 1},
    "c3": {"扶贫产业": 1},
    "c4": {"乡村旅游": 2, "防贫预警": 1},
    "c5": {"防贫预警": 1},
}
PROVINCE = {"c1": "贵州", "c2": "贵州", "c3": "贵州", "c4": "四川", "c5": "四川", "c6": None}


@pytest.fixture
def rows():
    inc = build_incidence(CASE_TERMS, case_ids=["c1", "c2", "c3", "c4", "c5", "c6"])
    return specificity(inc, PROVINCE)


def cell(rows, term, group):
    (row,) = [r for r in rows if r.term == term and r.group == group]
    return row


def test_specificity_order_and_cells(rows):
    # Missing group not tested; 四川 first; within a group by q, then -G².
    assert [(r.group, r.term) for r in rows] == [
        ("四川", "防贫预警"),
        ("四川", "扶贫产业"),
        ("四川", "乡村旅游"),
        ("贵州", "扶贫产业"),
        ("贵州", "乡村旅游"),
        ("贵州", "防贫预警"),
    ]


def test_specificity_term_in_every_case_of_its_province(rows):
    r = cell(rows, "扶贫产业", "贵州")
    # Table a=3, b=0, c=0, d=3; E = 3*3/6 = 1.5.
    assert (r.observed, r.group_size, r.term_cases, r.n_cases) == (3, 3, 3, 6)
    assert r.expected == 1.5
    # G² = 2 (3 ln(3/1.5) + 3 ln(3/1.5)) = 12 ln 2.
    assert r.g2 == pytest.approx(12 * math.log(2))
    # Hypergeometric(N=6, K=3, n=3): P(3) = P(0) = 1/20, two-sided p = 0.1.
    assert r.p_value == pytest.approx(0.1)
    # Haldane-Anscombe: 3.5 * 3.5 / (0.5 * 0.5) = 49.
    assert r.odds_ratio == pytest.approx(49.0)
    assert (r.share_in_group, r.share_elsewhere) == (1.0, 0.0)
    assert r.direction == "over"
    assert r.low_expected


def test_specificity_absent_term_is_under_represented(rows):
    r = cell(rows, "扶贫产业", "四川")
    # a=0, b=2, c=3, d=1; E: 1, 1, 2, 2.
    # G² = 2 (2 ln 2 + 3 ln 1.5 + 1 ln 0.5) = 3.8190850..., negative sign.
    assert r.g2 == pytest.approx(-2 * (2 * math.log(2) + 3 * math.log(1.5) - math.log(2)))
    assert r.g2 == pytest.approx(-3.819085, abs=1e-6)
    # Hypergeometric(N=6, K=3, n=2): P = 0.2, 0.6, 0.2 -> p(0) = 0.4.
    assert r.p_value == pytest.approx(0.4)
    assert r.odds_ratio == pytest.approx(0.5 * 1.5 / (2.5 * 3.5))
    assert r.direction == "under"


def test_specificity_q_values_benjamini_hochberg(rows):
    # p = 0.1, 0.4, 0.4, 1, 1, 1 (m = 6): q(0.1) = min(0.6, 0.8) = 0.6,
    # q(0.4) = 0.4 * 6 / 3 = 0.8, q(1) = 1.
    q = {(r.term, r.group): r.q_value for r in rows}
    assert q[("扶贫产业", "贵州")] == pytest.approx(0.6)
    assert q[("防贫预警", "四川")] == pytest.approx(0.8)
    assert q[("扶贫产业", "四川")] == pytest.approx(0.8)
    assert q[("乡村旅游", "贵州")] == pytest.approx(1.0)
    assert not any(r.significant for r in rows)
    # Observed equals expected: G² = 0 and no direction.
    r = cell(rows, "乡村旅游", "贵州")
    assert (r.expected, r.g2, r.direction, r.p_value) == (1.0, 0.0, "", 1.0)


def test_specificity_min_cases_and_missing_group():
    inc = build_incidence(CASE_TERMS, case_ids=["c1", "c2", "c3", "c4", "c5", "c6"])
    rows = specificity(inc, PROVINCE, min_cases=3, test_missing=True)
    assert {r.term for r in rows} == {"扶贫产业", "防贫预警"}
    missing = cell(rows, "扶贫产业", "(missing)")
    # Hypergeometric(N=6, K=3, n=1): P(0) = P(1) = 0.5 -> p = 1.
    assert (missing.observed, missing.group_size, missing.p_value) == (0, 1, 1.0)


def test_specificity_single_group_gives_no_rows():
    inc = build_incidence({"a": {"x": 1}, "b": {"x": 1}})
    assert specificity(inc, {"a": "P", "b": "P"}) == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"min_cases": 0}, "The 'min_cases' setting of stats must be an integer in the range"),
        ({"alpha": 1.5}, "The 'alpha' setting of stats must be a number in the range (0, 1)"),
    ],
)
def test_specificity_settings_are_validated(kwargs, message):
    inc = build_incidence({"a": {"x": 1}})
    with pytest.raises(InvalidSetting) as err:
        specificity(inc, {"a": "P"}, **kwargs)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize("table", [(3, 0, 1, 2), (0, 2, 3, 1), (10, 40, 5, 945), (1, 1, 1, 1)])
def test_specificity_g2_matches_scipy_log_likelihood(table):
    a, b, c, d = table
    ref = stats.chi2_contingency(
        [[a, b], [c, d]], correction=False, lambda_="log-likelihood"
    ).statistic
    assert abs(float(signed_g2(a, b, c, d))) == pytest.approx(ref)


def test_specificity_fisher_matches_scipy_on_every_table():
    rng = np.random.default_rng(5)
    for n_cases in (5, 31, 400):
        for _ in range(15):
            k = int(rng.integers(1, n_cases))
            n = int(rng.integers(1, n_cases))
            support = np.arange(max(0, n + k - n_cases), min(n, k) + 1)
            got = fisher_two_sided(support, k, n, n_cases)
            for a, p in zip(support, got):
                table = [[a, n - a], [k - a, n_cases - n - k + a]]
                assert p == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-9)


def test_specificity_benjamini_hochberg_by_hand():
    assert benjamini_hochberg([0.1, 0.4, 0.4, 1, 1, 1]).tolist() == pytest.approx(
        [0.6, 0.8, 0.8, 1, 1, 1]
    )
    assert benjamini_hochberg([]).size == 0
