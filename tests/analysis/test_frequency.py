"""Hand-computed frequency tables on a six-case fixture (issue 5)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from caseminer.analysis.frequency import (
    MISSING,
    build_incidence,
    by_attribute,
    case_frequency,
    group_labels,
    term_occurrences,
    write_csv,
)
from caseminer.errors import InvalidInput, InvalidSetting

# Six cases, two provinces and one case without a province; c6 has no keyword.
CASE_TERMS = {
    "c1": {"扶贫产业": 2, "防贫预警": 1},
    "c2": {"扶贫产业": 1, "乡村旅游": 1},
    "c3": {"扶贫产业": 1},
    "c4": {"乡村旅游": 2, "防贫预警": 1},
    "c5": {"防贫预警": 1},
}
CASE_IDS = ["c1", "c2", "c3", "c4", "c5", "c6"]
PROVINCE = {"c1": "贵州", "c2": "贵州", "c3": "贵州", "c4": "四川", "c5": "四川", "c6": None}


@pytest.fixture
def inc():
    return build_incidence(CASE_TERMS, case_ids=CASE_IDS)


def test_frequency_incidence_counts_and_binary(inc):
    assert inc.case_ids == tuple(CASE_IDS)
    # Code point order: 乡 U+4E61 < 扶 U+6276 < 防 U+9632.
    assert inc.terms == ("乡村旅游", "扶贫产业", "防贫预警")
    assert inc.counts.toarray().tolist() == [
        [0, 2, 1],
        [1, 1, 0],
        [0, 1, 0],
        [2, 0, 1],
        [0, 0, 1],
        [0, 0, 0],
    ]
    assert inc.binary().toarray().sum() == 8
    assert inc.case_counts().tolist() == [2, 3, 3]


@pytest.mark.parametrize("case_terms", [{"a": {"x": 0, "y": 1}}])
def test_frequency_zero_counts_are_absent(case_terms):
    inc = build_incidence(case_terms)
    assert inc.terms == ("y",)
    assert inc.counts.nnz == 1


def test_frequency_case_frequency_sorted_with_ties_by_term(inc):
    rows = case_frequency(inc)
    assert [tuple(r) for r in rows] == [
        ("扶贫产业", 3, 0.5),
        ("防贫预警", 3, 0.5),
        ("乡村旅游", 2, pytest.approx(1 / 3)),
    ]


def test_frequency_term_occurrences(inc):
    assert term_occurrences(inc) == {"乡村旅游": 3, "扶贫产业": 4, "防贫预警": 3}


def test_frequency_by_attribute_cases_with_missing_group(inc):
    table = by_attribute(inc, PROVINCE)
    assert table.groups == ("四川", "贵州", MISSING)
    assert table.group_sizes == (2, 3, 1)
    assert table.values.tolist() == [[1, 1, 0], [0, 3, 0], [2, 1, 0]]
    shares = table.shares()
    assert shares[0].tolist() == pytest.approx([0.5, 1 / 3, 0.0])
    rows = table.rows()
    assert rows[0] == ("乡村旅游", "四川", 1, 2, 0.5)
    assert len(rows) == 9


def test_frequency_by_attribute_occurrences(inc):
    table = by_attribute(inc, PROVINCE, measure="occurrences")
    assert table.values.tolist() == [[2, 1, 0], [0, 4, 0], [2, 1, 0]]
    assert table.group_totals == (4, 6, 0)
    # Occurrence shares are shares of the group's term occurrences.
    assert table.shares()[:, 0].tolist() == [0.5, 0.0, 0.5]


def test_frequency_by_attribute_rejects_unknown_measure(inc):
    with pytest.raises(InvalidSetting, match="'measure' setting of stats must be one of"):
        by_attribute(inc, PROVINCE, measure="tokens")


def test_frequency_group_labels_numeric_order_and_blank_is_missing():
    inc = build_incidence({"a": {}, "b": {}, "c": {}, "d": {}, "e": {}})
    groups, index = group_labels(inc, {"a": 2020, "b": "9", "c": " ", "d": "2019"})
    assert groups == ("9", "2019", "2020", MISSING)
    assert index.tolist() == [2, 0, 3, 1, 3]


def test_frequency_attribute_of_unknown_case_is_an_error(inc):
    with pytest.raises(InvalidInput, match=r"1 case\(s\) have an attribute but are not in the "
                       r"incidence: 'zz'\. Build the incidence with every case"):
        by_attribute(inc, {**PROVINCE, "zz": "贵州"})


@pytest.mark.parametrize(
    "case_terms, message",
    [
        ({"a": {"x": -1}}, "count must be a non-negative integer. Got -1 instead"),
        ({"a": {"x": 1.5}}, "count must be a non-negative integer. Got 1.5 instead"),
        ({"a": {"": 1}}, "is not a non-empty text"),
    ],
)
def test_frequency_bad_counts_are_errors(case_terms, message):
    with pytest.raises(InvalidInput, match=message):
        build_incidence(case_terms)


def test_frequency_case_ids_must_cover_case_terms():
    with pytest.raises(InvalidInput, match=r"'b'\. Add them to case_ids"):
        build_incidence({"a": {"x": 1}, "b": {"x": 1}}, case_ids=["a"])
    with pytest.raises(InvalidInput, match="given twice"):
        build_incidence({}, case_ids=["a", "a"])


def test_frequency_long_rows_and_csv_round_trip(inc, tmp_path):
    long = list(inc.long_rows())
    assert long[:2] == [("c1", "扶贫产业", 2), ("c1", "防贫预警", 1)]
    assert len(long) == 8
    path = write_csv(case_frequency(inc), tmp_path / "out" / "freq.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0] == {"term": "扶贫产业", "n_cases": "3", "share": "0.5"}
    assert float(rows[2]["share"]) == 1 / 3
    path = write_csv(long, tmp_path / "long.csv", header=["case_id", "term", "count"])
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "c1,扶贫产业,2"


def test_frequency_empty_incidence():
    inc = build_incidence({})
    assert inc.counts.shape == (0, 0)
    assert case_frequency(inc) == []
    assert np.asarray(by_attribute(inc, {}).values).shape == (0, 0)


def test_frequency_groups_in_a_given_order_first(inc):
    # provinces as the yearbooks list them (四川 before 贵州), the groups it does not name after
    # them by code point, (missing) last
    table = by_attribute(inc, dict(PROVINCE, c5="北京"), order=["四川", "贵州"])
    assert table.groups == ("四川", "贵州", "北京", MISSING)
    assert by_attribute(inc, PROVINCE).groups == ("四川", "贵州", MISSING)  # code point: 四 U+56DB < 贵 U+8D35
    assert by_attribute(inc, PROVINCE, order=["贵州", "四川"]).groups == ("贵州", "四川", MISSING)
