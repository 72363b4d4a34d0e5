"""Terms read along an ordered attribute (years), on hand-built tables."""

from __future__ import annotations

from caseminer.analysis.frequency import build_incidence, by_attribute
from caseminer.analysis.trend import EmergenceRow, emergence, ordered_groups

# Seven cases over four years and one without a year; 2019 has no case.
CASE_TERMS = {
    "a": {"精准扶贫": 1}, "b": {"精准扶贫": 2, "脱贫攻坚": 1}, "c": {"脱贫攻坚": 1},
    "d": {"脱贫攻坚": 1, "乡村振兴": 1}, "e": {"乡村振兴": 1}, "f": {}, "g": {"扶贫车间": 1},
}
YEAR = {"a": 2014, "b": 2016, "c": 2016, "d": 2018, "e": 2020, "f": "2020", "g": None}


def _table(years=YEAR):
    return by_attribute(build_incidence(CASE_TERMS, case_ids=list(CASE_TERMS)), years)


def test_emergence_reads_each_term_in_the_order_of_the_years():
    rows = emergence(_table())
    assert rows == [
        EmergenceRow("精准扶贫", "2014", "2016", 2, 4, 2, "2014", 1.0),
        EmergenceRow("脱贫攻坚", "2016", "2018", 2, 4, 3, "2016", 1.0),  # 2016: 2 of 2 cases
        EmergenceRow("乡村振兴", "2018", "2020", 2, 4, 2, "2018", 1.0),  # 2020: 1 of 2 (f has none)
    ]
    # 扶贫车间 is only in the case without a year: not read along the years


def test_emergence_peak_is_the_year_of_the_highest_share_not_count():
    years = dict(YEAR, a=2016)  # 2016 now: a, b, c; 精准扶贫 in 2 of 3
    rows = {r.term: r for r in emergence(_table(years))}
    assert rows["精准扶贫"].first == "2016" and rows["精准扶贫"].peak_share == 2 / 3
    assert rows["脱贫攻坚"].peak == "2018"  # 1 of 1 in 2018 beats 2 of 3 in 2016


def test_emergence_orders_numbers_by_value_not_by_text():
    rows = emergence(_table({"a": "999", "b": "1000", "c": "1000", "d": "1000", "e": "1000", "f": "1000",
                             "g": "1000"}))
    assert rows[0] == EmergenceRow("精准扶贫", "999", "1000", 2, 2, 2, "999", 1.0)


def test_no_order_to_read_along_provinces_or_a_single_year():
    assert ordered_groups(_table({k: "贵州" if k < "d" else "四川" for k in CASE_TERMS})) == []
    assert emergence(_table({k: "贵州" if k < "d" else "2020" for k in CASE_TERMS})) == []
    assert emergence(_table({k: 2020 for k in CASE_TERMS})) == []  # one year: nothing before or after
    assert ordered_groups(_table()) == [0, 1, 2, 3]  # (missing) left out, listed last
