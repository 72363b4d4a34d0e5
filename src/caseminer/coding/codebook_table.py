"""A codebook from a coding table: the grounded-theory table researchers keep in Excel or WPS.

A study coded by hand, or in a tool that cannot export REFI-QDA, keeps its coding as a
table with a row per open code, the codes from broad to narrow from left to right and
the broader cells merged down over the rows they hold (the table such a paper prints)::

    | 核心范畴     | 主范畴       | 初始概念 | 原始语句                  |
    | 落实防贫保障 | 实施动态监测 | 防贫预警 | 县里建立“三色预警”……      |
    |              |              | 监测对象 | ……                        |

Columns are told by their headings (a heading may say more: 主范畴（6个）, 开放式编码-初始概念):

- the codes: selective (核心范畴, 选择性编码, 三级编码, selective ...), axial (主范畴,
  主轴编码, 二级编码, axial; narrower: 副范畴, 初始范畴, 范畴, category ...) and open
  (初始概念, 概念, 开放式编码, 一级编码, 标签, open, concept ...), the longest word a
  heading holds deciding. The columns may run broad to narrow or, in the order of the
  coding itself (原始语句 | 初始概念 | 初始范畴 | 主范畴), narrow to broad; where the
  headings name fewer levels than there are columns (主范畴 | 副范畴 | 初始概念, two
  axial words) the columns take the levels by place, the narrowest open, the next axial,
  the next selective, any broader free codes;
- 定义, 内涵, 说明, description ...: the description of the row's narrowest code;
- 关键词, 术语, terms ...: its evidence terms (split at 、，,;； and spaces; auto-coding reads them);
- 原始语句, 代表性语句, 原始资料, quote ...: the quotations it rests on, kept as its memo
  and, where a quotation is written in one case (the one a column 案例, 来源, case ...
  names, or the only case that writes it), coded there (:func:`locate_quotation`).

An empty code cell below a filled one is the merged cell's (or the habit of writing a
category once): it takes the value above when a narrower cell of the row is filled. The
narrowest cell may list several codes (防贫预警、数据平台、分级预警: a row per category, as in
the study's Table 3 and caseminer's own coding table). Two
rows of one code (several quotations) are one code. Columns of no known heading are
named in the notes, not guessed. Ids are derived from the path of names, as for a YAML
codebook, so importing the same table twice gives the same codes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidInput, NotFound
from .model import LEVELS, Code, Codebook, stable_guid

#: Heading words of the code columns, by how broad a column they head (0 broadest; the
#: longest word a heading holds decides), and the level each rank names.
CODE_WORDS = {
    0: ("核心范畴", "核心类属", "核心编码", "选择性编码", "选择编码", "选择式编码", "核心式编码", "三级编码", "selective",
        "core category"),
    1: ("主范畴", "主轴编码", "轴心编码", "主轴式编码", "关联式编码", "二级编码", "axial", "main category"),
    2: ("副范畴", "子范畴", "初始范畴", "范畴", "类属", "category", "subcategory"),
    3: ("初始概念", "概念", "概念化", "开放编码", "开放式编码", "开放性编码", "一级编码", "标签", "贴标签", "初始编码", "open",
        "concept", "open code", "label"),
}
LEVEL_OF_RANK = {0: "selective", 1: "axial", 2: "axial", 3: "open"}
DESCRIPTION_WORDS = ("定义", "内涵", "说明", "释义", "含义", "描述", "解释", "description", "definition")
TERM_WORDS = ("关键词", "术语", "词语", "关键字", "terms", "keywords")
QUOTE_WORDS = ("原始语句", "原始资料", "原始文本", "代表性语句", "典型语句", "代表性资料", "资料", "语句", "例句", "引文",
               "quote", "quotation", "excerpt")
CASE_WORDS = ("案例编号", "案例", "案例名称", "文档", "资料来源", "来源", "出处", "case", "case_id", "document", "source")
_ELLIPSIS = re.compile(r"^(?:…+|\.{3,}|。{3,})|(?:…+|\.{3,}|。{3,})$")
#: Every kind of column a heading can name, with its words (:func:`_kind_of`).
_KINDS = {**CODE_WORDS, "description": DESCRIPTION_WORDS, "terms": TERM_WORDS, "quotes": QUOTE_WORDS,
          "case": CASE_WORDS}
_CODE_LIST = re.compile(r"[、；;\n]+")
_TERM_SPLIT = re.compile(r"[、，,;；/\s]+")


@dataclass(frozen=True)
class Quotation:
    """A quotation of the table: the passage a code rests on, and the case it names if any."""

    row: int
    code_id: str
    text: str
    case: str = ""


@dataclass
class TableCodebook:
    """What :func:`read_codebook_table` read: the codebook, the quotations, notes on how."""

    codebook: Codebook
    levels: dict[str, str | None]  # heading -> level of its column
    rows: int
    notes: list[str] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)


def read_codebook_table(path: str | Path) -> TableCodebook:
    """The codebook of a coding table (.xlsx, .xls, .et, .ods or .csv; in a workbook, the
    first sheet with columns of codes)."""
    from ..pipeline import spreadsheets
    from ..pipeline.readers import decode_bytes

    path = Path(path)
    if not path.is_file():
        raise NotFound(f"{path}: no such codebook file. Check the path.", code="E401")
    if path.suffix.lower() in spreadsheets.SUFFIXES:
        # in a workbook of many tables (caseminer's tables.xlsx) the first sheet with columns of
        # codes and quotations, else the first with columns of codes
        sheets = spreadsheets.read_workbook(path) or [spreadsheets.Sheet("", [])]
        rows = [list(row) for row in max(sheets, key=lambda sh: _sheet_rank(sh.rows)).rows]
    else:
        text, _ = decode_bytes(path.read_bytes(), str(path))
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    return codebook_from_rows(rows, source=str(path))


def codebook_from_rows(rows: list[list[str]], *, source: str = "<coding table>") -> TableCodebook:
    """:func:`read_codebook_table` on rows of cells (the first the headings)."""
    numbered = [(n, [("" if c is None else str(c)).strip() for c in row]) for n, row in enumerate(rows, start=1)]
    while numbered and not any(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise InvalidInput(f"{source} is empty. Its first row names the columns (核心范畴, 主范畴, 初始概念 ...).",
                           code="E401")
    at = _heading_row([row for _, row in numbered])
    header, data = numbered[at][1], numbered[at + 1:]
    code_columns, roles, unknown = [], {}, []
    for i, heading in enumerate(header):
        kind = _kind_of(heading) if heading else None
        if isinstance(kind, int):
            code_columns.append((i, heading, kind))
        elif kind is not None:
            roles.setdefault(kind, i)
        elif heading:
            unknown.append(heading)
    if not code_columns:
        raise InvalidInput(
            f"{source}: no column of codes (headings found: {', '.join(h for h in header if h) or 'none'}). Head the "
            "columns of codes, broad to narrow, with 核心范畴 / 主范畴 / 初始概念 (or selective / axial / open).",
            code="E401")
    ranks = [rank for _, _, rank in code_columns]
    notes = []
    if data and all(_kind_of(data[0][1][i]) == rank for i, _, rank in code_columns if i < len(data[0][1])):
        del data[0]  # a second row of headings (中文 above, English below, as caseminer's own tables have)
    if len(ranks) > 1 and all(a > b for a, b in zip(ranks, ranks[1:])):
        # the order of the coding itself, 原始语句 | 初始概念 | 范畴 | 主范畴: narrow to broad
        code_columns.reverse()
        notes.append("The code columns run from narrow to broad; they were read from the right.")
    elif not all(a < b for a, b in zip(ranks, ranks[1:])):
        raise InvalidInput(
            f"{source}: the headings of the code columns ({', '.join(h for _, h, _ in code_columns)}) go neither "
            "from broad to narrow nor from narrow to broad. Name them so that they do (核心范畴 / 主范畴 / 副范畴 / "
            "初始概念), or keep one column per level.", code="E401")
    levels = _levels([LEVEL_OF_RANK[rank] for _, _, rank in code_columns])
    if [LEVEL_OF_RANK[rank] for _, _, rank in code_columns] != levels:
        notes.append("The headings name no level for every column, so the columns take them by place: "
                     + ", ".join(f"{h} {lv or 'free'}" for (_, h, _), lv in zip(code_columns, levels)) + ".")
    if unknown:
        notes.append(f"Columns not read (no known heading): {', '.join(unknown)}.")
    codes: dict[tuple[str, ...], dict] = {}
    quotations: list[Quotation] = []
    previous: list[str] = [""] * len(code_columns)
    for number, row in data:
        cells = [row[i] if i < len(row) else "" for i, _, _ in code_columns]
        if not any(cells):
            if any(row):
                notes.append(f"Row {number} names no code; it was passed over.")
            continue
        last = max(k for k, c in enumerate(cells) if c)
        # a broader cell left empty above a filled narrower one: the merged cell's value
        cells = [c or (previous[k] if k < last else "") for k, c in enumerate(cells)]
        if not all(cells[: last + 1]):
            empty = header[code_columns[cells.index('')][0]]
            raise InvalidInput(f"{source}, row {number}: the {empty} cell is empty and no row above names one. Fill "
                               "it in, or merge it with the cell above.", code="E401")
        previous = cells
        # the narrowest cell may list several codes (防贫预警、数据平台: a Table-3-shaped table)
        names = [n.strip() for n in _CODE_LIST.split(cells[last]) if n.strip()] or [cells[last]]
        description, terms, quote, case = (row[roles[r]] if r in roles and roles[r] < len(row) else ""
                                           for r in ("description", "terms", "quotes", "case"))
        if len(names) > 1 and (description or terms or quote):
            notes.append(f"Row {number} lists {len(names)} codes in one cell; its description, terms and quotation "
                         "were kept with none of them.")
        for name in names:
            path = (*cells[:last], name)
            for depth in range(len(path)):
                codes.setdefault(path[: depth + 1], {"level": levels[depth], "description": "", "terms": [],
                                                     "quotes": []})
            if len(names) > 1:
                continue
            code = codes[path]
            if description and not code["description"]:
                code["description"] = description
            code["terms"] += [t for t in _TERM_SPLIT.split(terms) if t and t not in code["terms"]]
            if quote:
                code["quotes"].append(quote)
                quotations.append(Quotation(number, stable_guid("code", *path), quote, case))
    notes += _homonym_notes(codes)
    built = [Code(id=stable_guid("code", *path), name=path[-1], level=spec["level"],
                  parent_id=stable_guid("code", *path[:-1]) if len(path) > 1 else None,
                  description=spec["description"], terms=tuple(spec["terms"]),
                  memo="\n".join(f"原始语句：{q}" for q in spec["quotes"]))
             for path, spec in codes.items()]
    codebook = Codebook(tuple(built), name=Path(source).stem).validate(where=source)
    return TableCodebook(codebook, {h: lv for (_, h, _), lv in zip(code_columns, levels)}, len(data), notes,
                         quotations)


def _homonym_notes(codes: dict[tuple[str, ...], dict]) -> list[str]:
    """A note for each code name written under more than one broader code: the table makes
    them codes of their own (a concept filed under two categories, or one concept written
    twice by mistake), which a reader of the counts should know."""
    parents: dict[str, list[str]] = {}
    for path in codes:
        if len(path) > 1:
            parents.setdefault(path[-1], []).append(path[-2])
    return [f"{name} stands under {len(under)} broader codes ({'、'.join(under)}): it became {len(under)} codes "
            "of one name, each coded apart. If they are one concept, keep it under one of them."
            for name, under in parents.items() if len(under) > 1]


def _heading_row(rows: list[list]) -> int:
    """Which row holds the headings: a title above the table (表3 开放式编码结果) is passed
    over; the row, among the first five, that heads the most columns of codes (the first of
    equals)."""
    heads = [sum(isinstance(_kind_of(str(c)), int) for c in row if c) for row in rows[:5]]
    return heads.index(max(heads)) if heads else 0


def _sheet_rank(rows: list[tuple]) -> tuple[bool, bool, bool]:
    """How likely a sheet is the coding table: columns of codes, quotations, and first."""
    if not rows:
        return (False, False, False)
    kinds = {_kind_of(str(c)) for c in rows[_heading_row([list(r) for r in rows[:5]])] if c is not None}
    return (any(isinstance(k, int) for k in kinds), "quotes" in kinds, False)


def _match(heading: str, words) -> tuple[bool, int]:
    """How well ``heading`` matches a column's ``words``: whether one ends it (a Chinese
    heading is head-final: 主范畴内涵 is a 内涵), and the length of the longest it holds."""
    # what a bracket adds qualifies the heading (主范畴（6个）, Cases (axial)): left out
    text = re.sub(r"[（(][^）)]*[）)]", "", heading.lower()).rstrip("0123456789个 ")
    found = [w for w in words if w in text]
    return (any(text.endswith(w) for w in found), max(map(len, found), default=0))


def _kind_of(heading: str) -> int | str | None:
    """A heading's column: the rank of a column of codes (:data:`CODE_WORDS`), or
    description, terms, quotes or case; None if unknown."""
    scores = {kind: _match(heading, words) for kind, words in _KINDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best][1] else None


def _levels(named: list[str]) -> list[str | None]:
    """The columns' levels, broad to narrow: as their headings name them if these narrow
    strictly, else by place (the last open, then axial, then selective, then free)."""
    rank = {level: i for i, level in enumerate(LEVELS)}
    if all(rank[a] < rank[b] for a, b in zip(named, named[1:])):
        return list(named)
    if len(named) <= len(LEVELS):
        return list(LEVELS)[-len(named):]
    return [None] * (len(named) - len(LEVELS)) + list(LEVELS)


class QuotationFinder:
    """Where the quotations of a table are written in the cases' original ``texts`` (case
    id -> text). A quotation is found as written, else with white space left out of both
    (one copied from a PDF or typed without its line breaks); an ellipsis at either end
    (……, ...) is left out; each text is made bare of white space once, for all quotations."""

    def __init__(self, texts: Mapping[str, str]):
        self.texts = dict(texts)
        self._bare: dict[str, tuple[str, list[int]]] = {}

    def locate(self, quotation: str, case: str | None = None) -> tuple[str, int, int, int] | str:
        """(case id, start, end, occurrences in that case) of ``quotation``, coded at its first
        occurrence; or why it is not placed (a sentence). ``case`` limits the search to one
        case; a quotation several cases write is not placed (the table must name the case)."""
        # a quotation cut short (……, as papers and caseminer's own table print it) is matched
        # by what it keeps
        quotation = _ELLIPSIS.sub("", quotation.strip()).strip()
        if len("".join(quotation.split())) < 2:
            return "too short to tell where it is written"
        found = {}
        for case_id in ([case] if case is not None else self.texts):
            spans = self._occurrences(case_id, quotation)
            if spans:
                found[case_id] = spans
        if not found:
            return ("not written in case " + case if case is not None else "written in no case") + (
                " (copy it from the case as written: caseminer show CASE)")
        if len(found) > 1:
            return f"written in {len(found)} cases ({', '.join(list(found)[:3])}): name its case in a column 案例"
        (case_id, spans), = found.items()
        return case_id, spans[0][0], spans[0][1], len(spans)

    def _occurrences(self, case_id: str, quotation: str) -> list[tuple[int, int]]:
        text = self.texts[case_id]
        spans, i = [], text.find(quotation)
        while i != -1:
            spans.append((i, i + len(quotation)))
            i = text.find(quotation, i + 1)
        squeezed = "".join(quotation.split())
        if spans or len(squeezed) < 2:
            return spans
        if case_id not in self._bare:
            kept = [k for k, ch in enumerate(text) if not ch.isspace()]
            self._bare[case_id] = ("".join(text[k] for k in kept), kept)
        bare, kept = self._bare[case_id]
        i = bare.find(squeezed)
        while i != -1:
            spans.append((kept[i], kept[i + len(squeezed) - 1] + 1))
            i = bare.find(squeezed, i + 1)
        return spans
