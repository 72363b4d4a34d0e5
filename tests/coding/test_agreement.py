"""Tests for caseminer.coding.agreement, checked by hand and against `krippendorff`."""

import math
import random

import numpy as np
import pytest

from caseminer.coding.agreement import (
    case_agreement,
    cohen_kappa,
    krippendorff_alpha,
    percent_agreement,
    span_agreement,
)
from caseminer.coding.model import Coding
from caseminer.errors import InvalidInput

krippendorff = pytest.importorskip("krippendorff")


def lib_alpha(rows):
    data = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("n_coders, n_values, missing", [(2, 2, 0.0), (3, 3, 0.2), (4, 5, 0.3)])
def test_agreement_alpha_matches_krippendorff_package(seed, n_coders, n_values, missing):
    rng = random.Random(seed)
    truth = [rng.randrange(n_values) for _ in range(40)]
    rows = [
        [None if rng.random() < missing else (t if rng.random() < 0.7 else rng.randrange(n_values)) for t in truth]
        for _ in range(n_coders)
    ]
    assert krippendorff_alpha(rows) == pytest.approx(lib_alpha(rows), abs=1e-12)


def test_agreement_alpha_hand_computed():
    # units (1,1) (1,1) (0,0) (0,1): o11=4, o00=2, o01=o10=1; n=8, n1=5, n0=3
    # alpha = 1 - 7 * 2 / (64 - 25 - 9) = 1 - 14/30
    assert krippendorff_alpha([[1, 1, 0, 0], [1, 1, 0, 1]]) == pytest.approx(1 - 14 / 30)
    assert krippendorff_alpha([["甲", "乙", None], ["甲", "乙", "乙"]]) == 1.0
    assert math.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation


def test_agreement_kappa_hand_computed_2x2():
    # table: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 (N = 50)
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    # p_o = 35/50 = .7 ; p_e = (25*30 + 25*20) / 2500 = .5 ; kappa = .2/.5 = .4
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement([a, b]) == pytest.approx(0.7)
    # missing values drop the unit
    assert cohen_kappa(a + [None], b + [1]) == pytest.approx(0.4)
    assert math.isnan(cohen_kappa([1, 1], [1, 1]))
    with pytest.raises(InvalidInput, match="one value per unit; got 2 and 1"):
        cohen_kappa([1, 0], [1])


def cod(case, code, coder, start=None, end=None):
    return Coding(case, code, start, end, coder)


def test_agreement_case_level_hand_computed():
    codings = [
        cod("c1", "X", "A", 0, 2), cod("c1", "X", "A", 5, 6),  # two codings, one unit
        cod("c2", "X", "A"),
        cod("c1", "X", "B", 1, 3), cod("c3", "X", "B"),
        cod("c4", "Y", "A", 0, 1),
    ]
    report = case_agreement(codings, case_ids=["c1", "c2", "c3", "c4"])
    assert report.level == "case" and report.coders == ("A", "B")
    x = report.per_code["X"]
    # units c1 (1,1) c2 (1,0) c3 (0,1) c4 (0,0)
    assert x.n_units == 4
    assert x.percent == pytest.approx(0.5)
    assert x.kappa == pytest.approx(0.0)
    assert x.alpha == pytest.approx(1 - 7 * 4 / 32)
    assert x.positives == {"A": 2, "B": 2}
    y = report.per_code["Y"]
    assert y.percent == pytest.approx(0.75)
    assert y.alpha == pytest.approx(lib_alpha([[0, 0, 0, 1], [0, 0, 0, 0]]))
    # overall pools the 8 case x code units
    pooled = [[1, 1, 0, 0, 0, 0, 0, 1], [1, 0, 1, 0, 0, 0, 0, 0]]
    assert report.overall.n_units == 8
    assert report.overall.alpha == pytest.approx(lib_alpha(pooled))
    assert report.overall.kappa == pytest.approx(cohen_kappa(*pooled))


def test_agreement_case_level_missing_cases_and_three_coders():
    codings = [cod("c1", "X", "A"), cod("c1", "X", "B"), cod("c2", "X", "C"), cod("c3", "X", "A")]
    report = case_agreement(
        codings, case_ids=["c1", "c2", "c3"], coders=["A", "B", "C"], assigned={"C": ["c2", "c3"]}
    )
    rows = [[1, 0, 1], [1, 0, 0], [None, 1, 0]]
    assert report.per_code["X"].kappa is None  # three coders
    assert report.per_code["X"].alpha == pytest.approx(lib_alpha(rows))
    assert report.per_code["X"].percent == pytest.approx(percent_agreement(rows))


def test_agreement_span_level_characters():
    codings = [
        cod("c1", "X", "A", 0, 6),
        cod("c1", "X", "B", 3, 9),
        cod("c2", "X", "B"),  # whole case: every character
    ]
    report = span_agreement(codings, case_lengths={"c1": 10, "c2": 5, "c3": 4})
    a = [1] * 6 + [0] * 4 + [0] * 5 + [0] * 4
    b = [0] * 3 + [1] * 6 + [0] * 1 + [1] * 5 + [0] * 4
    x = report.per_code["X"]
    assert report.level == "character"
    assert x.n_units == 19
    assert x.positives == {"A": 6, "B": 11}
    assert x.percent == pytest.approx(sum(p == q for p, q in zip(a, b)) / 19)  # 7/19
    assert x.alpha == pytest.approx(lib_alpha([a, b]))
    assert x.kappa == pytest.approx(cohen_kappa(a, b))
    assert report.overall.alpha == pytest.approx(x.alpha)


def test_agreement_span_level_assigned_gives_missing():
    codings = [cod("c1", "X", "A", 0, 2), cod("c1", "X", "B", 0, 2), cod("c2", "X", "C", 1, 3)]
    report = span_agreement(
        codings,
        case_lengths={"c1": 3, "c2": 3},
        coders=["A", "B", "C"],
        assigned={"C": ["c2"]},
    )
    rows = [[1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0], [None, None, None, 0, 1, 1]]
    assert report.per_code["X"].alpha == pytest.approx(lib_alpha(rows))
    assert report.per_code["X"].n_units == 6


def test_agreement_errors():
    with pytest.raises(InvalidInput, match="at least two different coders"):
        case_agreement([cod("c1", "X", "A")], case_ids=["c1"])
    with pytest.raises(InvalidInput, match="names the case 'c9'"):
        case_agreement([cod("c9", "X", "A"), cod("c1", "X", "B")], case_ids=["c1"])
    with pytest.raises(InvalidInput, match="ends at 12, past the end of case 'c1' \\(10 characters\\)"):
        span_agreement([cod("c1", "X", "A", 2, 12), cod("c1", "X", "B", 0, 1)], case_lengths={"c1": 10})


def test_agreement_cli_compares_the_coders_who_coded_by_hand_unless_told(empty_project, tmp_path, cli):
    import json

    from caseminer.coding import codebook as cb
    from caseminer.coding import codings as cg
    from caseminer.coding.codebook_io import load_example
    from caseminer.pipeline.corpus import import_cases

    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps({"id": f"c{i}", "text": f"第{i}个案例建立防贫预警机制。"}, ensure_ascii=False)
                              for i in range(3)), encoding="utf-8")
    import_cases(empty_project, [path])
    cb.import_codebook(empty_project, load_example("poverty-six-dimensions"), coder="setup")
    warning = cb.load_codebook(empty_project).by_name("防贫预警").id
    cg.add_coding(empty_project, "c0", warning, coder="张三", whole_case=True)
    result = cli("-p", empty_project.path, "agreement")
    assert result.exit_code == 2 and "Agreement compares two coders or more; 1 coded by hand (张三)." in result.output
    for case, coder in (("c0", "李四"), ("c1", "李四"), ("c1", "张三"), ("c2", "王五")):
        cg.add_coding(empty_project, case, warning, coder=coder, whole_case=True)
    result = cli("-p", empty_project.path, "agreement", "--format", "json")
    assert result.exit_code == 0 and "Coders who coded by hand: 张三, 李四, 王五 (choose with --coders)." in result.output
    told = cli("-p", empty_project.path, "agreement", "--coders", "张三,李四", "--format", "json")
    report = json.loads(told.output)
    assert report["coders"] == ["张三", "李四"] and report["overall"]["percent"] == 1.0
