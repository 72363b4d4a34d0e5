"""Tests for caseminer.coding.codebook_io: YAML codebooks and the built-in example."""

import pytest

from caseminer.coding.codebook_io import (
    dump_codebook_yaml,
    list_examples,
    load_codebook_yaml,
    load_example,
    read_codebook_yaml,
    write_codebook_yaml,
)
from caseminer.coding.model import Code, Codebook
from caseminer.errors import InvalidInput, NotFound

# The study's codebook (STUDY.md), typed in by hand: selective -> role, axial -> opens.
STUDY = {
    ("落实防贫保障", "基础"): {
        "实施动态监测": ["防贫预警", "数据平台", "分级预警"],
        "落实政策保障": ["防贫保障金", "动态帮扶", "政策干预", "兜底保障"],
        "引入市场机制": ["防贫保险", "第二医保", "金融扶贫"],
    },
    ("夯实发展基础", "前提"): {
        "完善基础设施建设": ["特殊地区", "易地搬迁", "因地制宜", "交通扶贫", "生态扶贫", "基础设施"],
        "提升软性发展条件": ["教育服务", "医疗服务", "养老服务", "金融机制"],
    },
    ("构建长效机制", "关键"): {
        "建立利益联结机制": ["利益联结", "收益分红", "奖补资金"],
        "保障政策总体稳定": ["长效机制", "政策常态化"],
        "健全多元主体参与机制": ["社会参与", "群众参与", "多方联动", "协作扶贫", "组团式"],
        "健全扶贫工作机制": ["基层治理", "干部帮扶", "对口帮扶"],
        "注重自我发展能力": ["公益性岗位", "转移就业", "内生动力"],
    },
    ("强化志智双扶", "根本"): {
        "提升贫困群众能力": ["扶贫开发", "技能培训", "辅导中心", "职业院校"],
        "激发贫困群众志气": ["以奖代补", "移风易俗", "宣传教育", "模范引领"],
    },
    ("推进产业升级", "重心"): {
        "推动产业结构转型升级": ["扶贫产业", "扶贫车间", "乡村旅游", "电子商务", "特色产业"],
        "拓展扶贫资产融资渠道": ["扶贫资产", "村集体经济", "小额信贷"],
        "提升农村产业组织化程度": ["龙头企业", "社区工厂", "农村专业合作社"],
        "推进经营管理转型升级": ["新型经营主体", "致富带头人", "人才引进", "返乡创业"],
    },
    ("衔接乡村振兴", "目标"): {
        "促进政策衔接": ["庭院经济", "一村一品", "产业融合", "现代农业", "提档升级"],
        "强化理念衔接": ["经验启示", "科学规划", "责任体系", "资源整合", "城乡融合"],
        "保障成果衔接": ["工作队伍", "土地改革", "资金整合", "乡村振兴衔接"],
    },
}


def test_codebook_io_example_matches_the_study():
    assert "poverty-six-dimensions" in list_examples()
    book = load_example("poverty-six-dimensions")
    assert book.counts() == {"selective": 6, "axial": 19, "open": 73}
    tree = {
        (s.name, s.role): {a.name: [o.name for o in book.children(a.id)] for a in book.children(s.id)}
        for s in book.roots()
    }
    assert tree == STUDY
    for code in book:
        if code.level == "open":
            assert code.terms and code.terms[0] == code.name
            assert len(set(code.terms)) == len(code.terms)
        assert code.level != "selective" or code.color is not None
    all_terms = [t for c in book for t in c.terms]
    assert len(all_terms) == len(set(all_terms)), "a term may evidence only one code"


def test_codebook_io_example_ids_are_stable():
    book = load_example("poverty-six-dimensions")
    assert book == load_example("poverty-six-dimensions")
    assert load_codebook_yaml(dump_codebook_yaml(book)) == book


def test_codebook_io_unknown_example():
    with pytest.raises(NotFound, match="No built-in codebook named 'nope'. Available: poverty"):
        load_example("nope")


def test_codebook_io_round_trip_keeps_everything(tmp_path):
    book = Codebook(
        [
            Code("S", "选择", "selective", None, "说明：一行\n两行", "基础", "#00aa11", "备忘"),
            Code("F", "自由", None, "S", terms=["甲", "乙"]),
            Code("O", "开放", "open", "F"),
            Code("A", "主轴", "axial", "S", role="自定义角色"),
        ],
        name="测试",
        description="一个测试编码本",
    )
    text = dump_codebook_yaml(book)
    # the level is written only where the depth rule does not give it
    assert "level: free" in text and "level: open" not in text
    assert "description: |-\n    说明：一行\n    两行" in text  # multi-line text stays readable
    assert load_codebook_yaml(text) == book
    write_codebook_yaml(tmp_path / "b.yaml", book)
    assert read_codebook_yaml(tmp_path / "b.yaml") == book


def test_codebook_io_default_levels_and_bare_list():
    book = load_codebook_yaml("- name: 甲\n  children:\n    - name: 乙\n      children:\n        - name: 丙\n")
    assert [(c.name, c.level) for c in book] == [("甲", "selective"), ("乙", "axial"), ("丙", "open")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("codes:\n  - name: 甲\n    colour: red\n", r"line 3: unknown key 'colour'"),
        ("codes:\n  - name: 甲\n    level: core\n", r"line 2: code '甲' has the level 'core'"),
        ("codes:\n  - name: 甲\n  - name: 甲\n", "line 3: code '甲': a code of the same name is already at line 2"),
        ("codes:\n  - name: 甲\n    color: #C0392B\n", r"line 2: code '甲': the colour is empty. Quote it"),
        ("codes:\n  - name: 甲\n    terms: 甲乙\n", "'terms' must be a list"),
        ("codes:\n  - description: 无名\n", "line 2: this code has no name"),
        ("codes:\n  - name: [甲\n", r"line \d+: not valid YAML"),
        ("name: x\n", "no 'codes:' list"),
        ("", "is empty"),
        ("codes:\n  - name: 甲\n    children:\n      - name: 乙\n        level: selective\n",
         r"'乙' \(selective\) sits under '甲' \(selective\)"),
    ],
)
def test_codebook_io_rejects_bad_yaml(text, message):
    with pytest.raises(InvalidInput, match=message) as err:
        load_codebook_yaml(text, source="book.yaml")
    assert err.value.message.startswith("book.yaml")


def test_codebook_io_missing_file(tmp_path):
    with pytest.raises(NotFound, match="no such codebook file"):
        read_codebook_yaml(tmp_path / "none.yaml")
