"""Fixtures of the workbench tests: a small project with a hostile case, and clients.

Not a conftest.py: a second module named ``conftest`` would shadow tests/conftest.py
for tests that import from it. The test modules import these fixtures by name.
"""

from __future__ import annotations

import re
import shutil

import pytest

HOSTILE = '<script>alert(1)</script> 产业扶贫 <img src=x onerror=alert(1)>'

CASES = {
    "jx_park.txt": (
        "江西省建设扶贫产业园带动脱贫\n"
        "近年来，该县坚持产业扶贫，建设扶贫产业园，引进新型经营主体，带动贫困户稳定增收。\n"
        "扶贫产业园采取“园区+合作社+农户”模式，建立利益联结机制，实现防贫预警和长效帮扶。\n"
    ),
    "hn_insurance.txt": (
        "河南省引入防贫保险\n"
        "该县引入防贫保险，建立防贫预警机制，对边缘户开展动态监测。\n"
        "防贫保险由财政出资，保险公司承办，实现精准防贫。产业扶贫同步推进。\n"
    ),
    "gz_workshop.txt": (
        "贵州省扶贫车间促进就业\r\n"
        "该县建设扶贫车间，吸纳贫困劳动力就近就业，扶贫车间成为产业扶贫的重要载体。\r\n"
    ),
    "evil.txt": HOSTILE + "\n正文：" + HOSTILE + "。该县推进产业扶贫和防贫预警。\n",
}

META = "file,province,year\njx_park.txt,江西,2021\nhn_insurance.txt,河南省,2021\ngz_workshop.txt,贵州,2022\nevil.txt,江西,2022\n"


@pytest.fixture(scope="session")
def project_template(tmp_path_factory):
    """A project with four cases (one hostile), the example codebook, keywords and codings,
    built once; each test gets a copy (``project_dir``)."""
    tmp_path = tmp_path_factory.mktemp("web-template")
    from caseminer.coding import codebook as cb
    from caseminer.coding import codings as cg
    from caseminer.coding.codebook_io import load_example
    from caseminer.pipeline import review
    from caseminer.pipeline.corpus import get_case, import_cases
    from caseminer.project import Project

    folder = tmp_path / "cases"
    folder.mkdir()
    for name, text in CASES.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    meta = tmp_path / "meta.csv"
    meta.write_text(META, encoding="utf-8")
    directory = tmp_path / "project"
    project = Project.create(directory, coder="setup")
    try:
        import_cases(project, [folder], meta=meta)
        cb.import_codebook(project, load_example("poverty-six-dimensions"), coder="setup")
        for case_id, words in {"jx_park": ["扶贫产业园", "新型经营主体", "产业扶贫"],
                               "hn_insurance": ["防贫保险", "防贫预警"], "gz_workshop": ["扶贫车间"],
                               "evil": ["产业扶贫"]}.items():
            for word in words:
                review.decide(project, case_id, "add", word, coder="setup")
        warning = cb.load_codebook(project).by_name("防贫预警")
        case = get_case(project, "hn_insurance")
        start = case.original_text.index("防贫预警机制")
        cg.add_coding(project, "hn_insurance", warning.id, coder="ann", span=(start, start + 6))
        cg.add_coding(project, "hn_insurance", warning.id, coder="bob", span=(start, start + 4))
        cg.add_coding(project, "evil", warning.id, coder="ann", span=(0, 25))
    finally:
        project.close()
    return directory


@pytest.fixture
def project_dir(project_template, tmp_path):
    directory = tmp_path / "project"
    shutil.copytree(project_template, directory)
    return directory


@pytest.fixture
def app(project_dir):
    from caseminer.web.app import make_app

    app = make_app(project_dir, secret="test-secret")
    app.config["TESTING"] = True
    return app


def csrf_token(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


class Coder:
    """A test client with a coder cookie and the session's CSRF token."""

    def __init__(self, app, name: str | None):
        self.client = app.test_client()
        if name:
            self.client.set_cookie("caseminer_coder", name)
        self.token = csrf_token(self.client)

    def get(self, path, **kw):
        return self.client.get(path, **kw)

    def post(self, path, data=None, *, token=True, headers=None, **kw):
        headers = dict(headers or {})
        if token:
            headers.setdefault("X-CSRF-Token", self.token)
        return self.client.post(path, data=data or {}, headers=headers, **kw)


@pytest.fixture
def make_coder(app):
    """make_coder(name or None) -> a client of its own (its own session and token)."""
    return lambda name: Coder(app, name)


@pytest.fixture
def alice(app):
    return Coder(app, "alice")


@pytest.fixture
def bob(app):
    return Coder(app, "bob")


def fill_in_review_row(sheet, case_id: str, keyword: str, **cells) -> None:
    """Fill in the review workbook's row of ``keyword`` in ``case_id`` as a reviewer does in
    Excel: ``decision="rename", new_keyword="..."`` (columns named by their English header)."""
    headers = [cell.value.split()[-1] for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("case_id")].value == case_id and row[headers.index("keyword")].value == keyword:
            for name, value in cells.items():
                row[headers.index(name)].value = value
            return
    raise AssertionError(f"the review workbook has no row for {keyword} in {case_id}")
