"""Tests for caseminer.coding.saturation: new codes per case and the held-back check."""

import pytest

from caseminer.coding.saturation import (
    curve,
    heldback_check,
    saturation_curve,
    saturation_point,
)
from caseminer.errors import InvalidInput

CASES = {
    "江西": {"扶贫产业", "防贫预警"},
    "甘肃": {"扶贫产业", "扶贫车间"},
    "贵州": {"易地搬迁", "防贫预警"},
    "河南": {"扶贫车间"},
    "云南": set(),
}


def test_saturation_curve_observed_order_hand_computed():
    order = ["江西", "甘肃", "贵州", "河南", "云南"]
    result = saturation_curve(CASES, order=order, permutations=0)
    assert result.observed.new_codes == (2, 1, 1, 0, 0)
    assert result.observed.cumulative == (2, 3, 4, 4, 4)
    assert result.total_codes == 4
    assert result.curves == ()
    assert result.mean_new == (2, 1, 1, 0, 0)  # envelope of the observed order alone


def test_saturation_curve_permutations_envelope():
    result = saturation_curve(CASES, permutations=30, seed=7)
    assert len(result.curves) == 30
    for c in result.curves:
        assert sorted(c.order) == sorted(CASES)
        assert sum(c.new_codes) == 4 and c.cumulative[-1] == 4
    # every order ends with all codes; the first case brings 0, 1 or 2 codes
    assert result.min_cumulative[-1] == result.max_cumulative[-1] == 4
    assert result.min_new[0] == 0 and result.max_new[0] == 2
    assert result.mean_cumulative == tuple(
        sum(c.cumulative[i] for c in result.curves) / 30 for i in range(5)
    )
    assert all(lo <= m <= hi for lo, m, hi in zip(result.min_new, result.mean_new, result.max_new))


def test_saturation_curve_is_reproducible():
    first = saturation_curve(CASES, permutations=5, seed=3)
    assert first == saturation_curve(CASES, permutations=5, seed=3)
    assert first != saturation_curve(CASES, permutations=5, seed=4)


def test_saturation_point():
    assert saturation_point([3, 2, 1, 0, 0, 0, 1], run=3) == 3
    assert saturation_point([3, 0, 1, 0, 0], run=3) is None
    assert saturation_point(curve(CASES, list(CASES)).new_codes, run=2) == 3


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"order": ["江西"]}, "must list every case exactly once"),
        ({"order": ["江西", "江西", "贵州", "河南", "云南"]}, "must list every case exactly once"),
        ({"permutations": -1}, "'permutations' setting of saturation must be an int"),
        ({"permutations": 0}, "nothing to compute"),
    ],
)
def test_saturation_curve_rejects(kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        saturation_curve(CASES, **kwargs)


def test_saturation_heldback_explicit():
    result = heldback_check(CASES, heldback=["贵州"])
    assert result.new_codes == {"易地搬迁": ("贵州",)}
    assert result.total_codes == 4
    assert result.new_share == pytest.approx(0.25)
    assert not result.saturated
    quiet = heldback_check(CASES, heldback=["河南", "云南"])
    assert quiet.new_codes == {} and quiet.new_share == 0.0 and quiet.saturated
    assert heldback_check(CASES, heldback=["贵州"], tolerance=0.25).saturated


def test_saturation_heldback_random_share():
    result = heldback_check(CASES, heldback_share=0.4, seed=1)
    assert len(result.heldback_cases) == 2  # round(0.4 * 5)
    assert set(result.heldback_cases) | set(result.analysed_cases) == set(CASES)
    assert result == heldback_check(CASES, heldback_share=0.4, seed=1)
    assert len(heldback_check(CASES, heldback_share=0.01).heldback_cases) == 1  # at least one


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"heldback_share": 1.0}, "'heldback_share' setting of saturation must be a float"),
        ({"heldback": ["北京"]}, "unknown: \\['北京'\\]"),
        ({"heldback": list(CASES)}, "not all of them"),
        ({"tolerance": 2}, "'tolerance' setting"),
    ],
)
def test_saturation_heldback_rejects(kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        heldback_check(CASES, **kwargs)


def test_saturation_rejects_string_codes():
    with pytest.raises(InvalidInput, match="not the string"):
        saturation_curve({"a": "扶贫产业"})
