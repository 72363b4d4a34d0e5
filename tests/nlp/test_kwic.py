"""Tests of caseminer.nlp.kwic (keyword in context)."""

from __future__ import annotations

import pytest

from caseminer.errors import InvalidInput
from caseminer.nlp.kwic import Concordance, kwic

TEXT = "村里建起扶贫车间。扶贫车间吸纳了二十多名村民就业，扶贫车间还带动了周边产业。"


@pytest.mark.parametrize("term,count", [("扶贫车间", 3), ("村民", 1), ("防贫预警", 0)])
def test_kwic_finds_every_occurrence(term, count):
    assert len(kwic(TEXT, term)) == count


@pytest.mark.parametrize("width", [0, 2, 10])
def test_kwic_offsets_and_context_match_text(width):
    for c in kwic(TEXT, "扶贫车间", width=width):
        assert TEXT[c.start : c.end] == "扶贫车间"
        assert c.left == TEXT[max(0, c.start - width) : c.start]
        assert c.right == TEXT[c.end : c.end + width]
        assert len(c.left) <= width and len(c.right) <= width


@pytest.mark.parametrize("limit,expected", [(None, 3), (1, 1), (0, 0)])
def test_kwic_limit(limit, expected):
    assert len(kwic(TEXT, "扶贫车间", limit=limit)) == expected


@pytest.mark.parametrize("text", ["第一段讲消费扶贫\n第二段讲消费扶贫\r\n末尾"])
def test_kwic_context_has_no_line_breaks(text):
    for c in kwic(text, "消费扶贫", width=5):
        assert "\n" not in c.left + c.right and "\r" not in c.left + c.right


@pytest.mark.parametrize("text", ["啊啊啊"])
def test_kwic_occurrences_do_not_overlap(text):
    assert [c.start for c in kwic(text, "啊啊")] == [0]


@pytest.mark.parametrize("term", ["", None])
def test_kwic_rejects_empty_term(term):
    with pytest.raises(InvalidInput, match="non-empty term"):
        kwic(TEXT, term)


@pytest.mark.parametrize("width", [-1, 1.5])
def test_kwic_rejects_bad_width(width):
    with pytest.raises(InvalidInput, match="width"):
        kwic(TEXT, "村民", width=width)


@pytest.mark.parametrize("c", [Concordance("建起", "扶贫车间", "。扶", 4, 8)])
def test_kwic_str_marks_the_term(c):
    assert str(c) == "建起【扶贫车间】。扶"
