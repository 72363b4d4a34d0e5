"""Figures render Chinese labels with the shipped font, deterministically (issue 5)."""

from __future__ import annotations

import re
import sys
import warnings
from pathlib import Path

# matplotlib and the font package are dependencies of caseminer, not optional:
# a missing one must fail here rather than skip (figures are part of issue 5).
import matplotlib
import numpy as np
import pytest

from caseminer.analysis.cooccurrence import cooccurrence
from caseminer.analysis.frequency import build_incidence, by_attribute, case_frequency
from caseminer.errors import BackendMissing, InvalidInput, InvalidSetting
from caseminer.report import figures

CASE_TERMS = {
    "c1": {"扶贫产业": 2, "防贫预警": 1, "农民专业合作社": 1},
    "c2": {"扶贫产业": 1, "乡村旅游": 1},
    "c3": {"扶贫产业": 1, "易地搬迁": 1},
    "c4": {"乡村旅游": 2, "防贫预警": 1},
    "c5": {"防贫预警": 1, "易地搬迁": 2},
    "c6": {},
}
PROVINCE = {"c1": "贵州", "c2": "贵州", "c3": "贵州", "c4": "四川", "c5": "四川", "c6": "广西"}
YEAR = {"c1": 2016, "c2": 2016, "c3": 2018, "c4": 2021, "c5": 2021, "c6": None}  # no 2017, 2019, 2020


@pytest.fixture(scope="module")
def data():
    inc = build_incidence(CASE_TERMS)
    return case_frequency(inc), by_attribute(inc, PROVINCE), cooccurrence(inc), by_attribute(inc, YEAR)


def _draw(kind: str, data, stem: Path, **kw):
    freq, table, pairs, years = data
    if kind == "trend":
        return figures.plot_trend(years, stem, title="关键词随年份的变化", **kw)
    if kind == "top":
        return figures.plot_top_terms(freq, stem, title="案例数最多的核心关键词", **kw)
    if kind == "heatmap":
        return figures.plot_heatmap(table, stem, title="关键词×省份", **kw)
    if kind == "groups":
        return figures.plot_group_comparison(table, stem, title="省份比较", **kw)
    return figures.plot_network(pairs, freq, stem, title="共现网络", **kw)


KINDS = ["top", "heatmap", "groups", "network", "trend"]


def _glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.fixture(scope="module")
def rendered(data, tmp_path_factory):
    """Each kind drawn once, with the warnings raised while drawing it."""
    out = {}
    folder = tmp_path_factory.mktemp("figures")
    for kind in KINDS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            paths = _draw(kind, data, folder / kind)
        out[kind] = (paths, _glyph_warnings(caught))
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_figures_render_chinese_without_missing_glyphs(kind, rendered):
    paths, glyph_warnings = rendered[kind]
    assert glyph_warnings == []
    assert paths.png.name == f"{kind}.png" and paths.svg.name == f"{kind}.svg"
    from PIL import Image

    with Image.open(paths.png) as im:
        assert im.info["dpi"] == pytest.approx((300, 300), abs=0.1)
        pixels = np.asarray(im.convert("L"))
    assert min(pixels.shape) > 300
    # Not a blank canvas: a real share of the pixels is ink.
    assert (pixels < 200).mean() > 0.005
    assert paths.svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_figures_glyph_check_catches_tofu(data, tmp_path, monkeypatch):
    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    # A Latin-only font is refused before drawing...
    with pytest.raises(InvalidInput, match="cannot draw"):
        _draw("top", data, tmp_path / "refused", font=dejavu)
    # ...and the control: without that check the same drawing reports missing
    # glyphs, so the warning test above would catch a CJK font that is not used.
    monkeypatch.setattr(figures, "_check_glyphs", lambda texts, font: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _draw("top", data, tmp_path / "tofu", font=dejavu)
    assert any("Glyph" in m for m in _glyph_warnings(caught))


@pytest.mark.parametrize("kind", KINDS)
def test_figures_are_byte_reproducible(kind, data, rendered, tmp_path):
    one = rendered[kind][0]
    two = _draw(kind, data, tmp_path / "two")
    assert one.svg.read_bytes() == two.svg.read_bytes()
    assert one.png.read_bytes() == two.png.read_bytes()


def test_figures_cjk_font_is_noto_sans_sc():
    assert figures.cjk_font() == "Noto Sans SC"


def test_figures_missing_font_package_names_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)
    monkeypatch.setattr(figures, "_registered", {})
    with pytest.raises(BackendMissing) as err:
        figures.cjk_font()
    assert str(err.value) == (
        "Chinese labels in figures need the font package 'pylopdf-fonts-zh-cn', which is "
        "not installed. Install it with: pip install pylopdf-fonts-zh-cn "
        "(or pass font='path/to/a/CJK/font.otf')."
    )


def test_figures_bad_font_path(tmp_path):
    with pytest.raises(InvalidInput, match="the font file does not exist"):
        figures.cjk_font(tmp_path / "nope.otf")


def test_figures_network_without_networkx_names_pip_command(data, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(BackendMissing) as err:
        _draw("network", data, tmp_path / "net")
    assert str(err.value) == (
        "The co-occurrence network figure needs the package 'networkx', which is not "
        "installed. Install it with: pip install networkx"
    )


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda p: figures.plot_top_terms([], p), "Nothing to plot: the case-frequency list"),
        (lambda p: figures.plot_network([], {}, p), "Nothing to plot: the list of co-occurring"),
    ],
)
def test_figures_empty_input_is_an_error(call, message, tmp_path):
    with pytest.raises(InvalidInput, match=message):
        call(tmp_path / "empty")


def test_figures_heatmap_unknown_term(data, tmp_path):
    with pytest.raises(InvalidInput, match=r"1 term\(s\) are not in the table: '不存在'"):
        figures.plot_heatmap(data[1], tmp_path / "h", terms=["扶贫产业", "不存在"])


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda d, p: figures.plot_heatmap(d[1], p, value="ratio"),
         "The 'value' setting of plot_heatmap must be one of 'share', 'count'. "
         "Got 'ratio' instead."),
        (lambda d, p: figures.plot_network(d[2], d[0], p, weight="dice"),
         "The 'weight' setting of plot_network must be one of 'count', 'jaccard', 'pmi', "
         "'npmi'. Got 'dice' instead."),
    ],
)
def test_figures_bad_settings(call, message, data, tmp_path):
    with pytest.raises(InvalidSetting) as err:
        call(data, tmp_path / "x")
    assert str(err.value) == message


def test_figures_uncovered_character_is_an_error_not_tofu(tmp_path):
    # ཀ (Tibetan) is in neither Noto Sans SC nor the DejaVu fallback.
    with pytest.raises(InvalidInput) as err:
        figures.plot_top_terms([("扶贫ཀ", 3)], tmp_path / "t")
    assert "cannot draw 1 character(s) of the labels: 'ཀ' (U+0F40) in '扶贫ཀ'" in str(err.value)
    assert not (tmp_path / "t.png").exists()


def test_figures_heatmap_writes_counts_and_leaves_empty_cells_blank(data, rendered):
    # the SVG names each drawn text in a comment: every non-zero cell's count is written, no 0
    svg = rendered["heatmap"][0].svg.read_text(encoding="utf-8")
    table = data[1]
    written = re.findall(r"<!-- (\d+) -->", svg)
    assert sorted(written) == sorted(str(int(v)) for v in table.values.ravel() if v)
    assert (table.values == 0).any()


def test_figures_trend_needs_groups_of_numbers(data, tmp_path):
    with pytest.raises(InvalidInput, match=r"the groups are not numbers \(years\), or fewer than two"):
        figures.plot_trend(data[1], tmp_path / "t")  # provinces


def test_figures_trend_draws_the_terms_of_the_years_on_a_time_axis(data, rendered):
    svg = rendered["trend"][0].svg.read_text(encoding="utf-8")
    # one panel per term held by a case with a year: all five (c6, the case without one, holds none)
    assert svg.count('id="axes_') == 5
    from caseminer.analysis.trend import ordered_groups

    years = data[3]
    assert [years.groups[j] for j in ordered_groups(years)] == ["2016", "2018", "2021"]
