"""Terms read along an ordered attribute (years), on hand-built tables."""

from __future__ import annotations

import re

import pytest

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


def test_periods_are_read_from_their_spelling():
    from caseminer.analysis.trend import Period, parse_periods

    assert parse_periods("-2012, 2013-2015，2016至2020, 2021-") == [
        Period("–2012", None, 2012.0), Period("2013–2015", 2013.0, 2015.0), Period("2016–2020", 2016.0, 2020.0),
        Period("2021–", 2021.0, None)]
    assert parse_periods("2020") == [Period("2020", 2020.0, 2020.0)]


@pytest.mark.parametrize("spec, message", [
    ("2016-2014", "The period '2016-2014' ends before it starts. Write it as 2014-2016."),
    ("2013-2016,2016-2020", "The periods 2013–2016 and 2016–2020 overlap: a case of 2016 would be in both."),
    ("-2015,-2010", "The periods –2015 and –2010 overlap: a case of 2010 would be in both."),
    ("2013-2015,,2016", "The periods '2013-2015,,2016' hold '', which is no period."),
    ("十三五", "hold '十三五', which is no period. Write each as FROM-TO (2016-2020)"),
])
def test_bad_periods_say_what_is_wrong(spec, message):
    from caseminer.analysis.trend import parse_periods
    from caseminer.errors import InvalidSetting

    with pytest.raises(InvalidSetting, match=re.escape(message)):
        parse_periods(spec)


def test_cases_fall_in_the_period_of_the_number_their_value_opens_with():
    from caseminer.analysis.trend import parse_periods, period_values
    from caseminer.errors import InvalidInput

    periods = parse_periods("2013-2015,2016-2020")
    assert period_values({"a": "2019年", "b": 2013, "c": None, "d": "", "e": "2011", "f": 2020.0}, periods) == {
        "a": "2016–2020", "b": "2013–2015", "c": None, "d": None, "e": None, "f": "2016–2020"}
    with pytest.raises(InvalidInput, match="Case g has the value '十三五期间', which is no number"):
        period_values({"g": "十三五期间"}, periods)
    with pytest.raises(InvalidInput, match=r"Correct the case's year \(import its metadata again with --meta\)"):
        period_values({"g": "十三五期间"}, periods, attribute="year")
