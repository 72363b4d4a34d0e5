"""The workbench's files page: what the command line exports, downloaded; the files
researchers edit elsewhere, uploaded and read by the same library functions; and the
upload's safety (suffixes, names, size, the archive's own checks, CSRF, the coder)."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from web_fixtures import alice, app, make_coder, project_dir, project_template  # noqa: F401 (fixtures)
from web_fixtures import fill_in_review_row

from caseminer.pipeline.review import keyword_table
from caseminer.project import Project
from caseminer.web.views.files import DOWNLOADS, UPLOADS, upload_name

HTML = {"Accept": "text/html"}


def upload(coder, kind, data: bytes, name: str, headers=None):
    return coder.post(f"/files/upload/{kind}", {"file": (io.BytesIO(data), name), "next": "/files"},
                      headers=headers or {"Accept": "application/json"}, content_type="multipart/form-data")


def keyword_states(project_dir, case_id):
    with Project.open(project_dir) as p:
        return {r.keyword: r.status for r in keyword_table(p).get(case_id, [])}


def history(project_dir, prefix):
    with Project.open(project_dir) as p:
        return [(r["kind"], r["coder"]) for r in p.conn.execute(
            "SELECT kind, coder FROM events WHERE kind LIKE ? ORDER BY id", (prefix + "%",))]


def test_the_files_page_lists_every_download_and_upload_in_both_languages(alice):
    zh = alice.get("/files").get_data(as_text=True)
    assert "审阅工作簿" in zh and "尚未生成报告" in zh and "文件" in zh
    for key, item in DOWNLOADS.items():
        assert f'href="/files/download/{key}"' in zh
    for kind in UPLOADS:
        assert f'action="/files/upload/{kind}"' in zh and 'enctype="multipart/form-data"' in zh
    en = alice.get("/files?lang=en").get_data(as_text=True)
    assert "Review workbook: a row per case and keyword" in en and "No report written yet." in en


def test_every_download_is_the_file_the_command_line_writes(alice, project_dir):
    got = {key: alice.get(f"/files/download/{key}") for key in DOWNLOADS}
    for key, response in got.items():
        assert response.status_code == 200, (key, response.get_data(as_text=True))
        assert response.headers["Content-Disposition"].startswith("attachment")
    assert "filename=project.qdpx" in got["qdpx"].headers["Content-Disposition"]  # the project folder's name
    review = openpyxl.load_workbook(io.BytesIO(got["review"].data))
    rows = list(review["review"].iter_rows(values_only=True))
    assert rows[0][0] == "案例编号 case_id" and {r[4] for r in rows[1:]} >= {"扶贫产业园", "防贫保险", "扶贫车间"}
    assert "_caseminer" in review.sheetnames  # the state it was exported against, for the import's check
    assert next(csv.reader(io.StringIO(got["thesaurus"].data.decode("utf-8-sig"))))[:2] == ["variant", "core"]
    assert b"<CodeBook" in got["codebook"].data and "防贫预警".encode() in got["codebook"].data
    assert openpyxl.load_workbook(io.BytesIO(got["coding-table"].data)).sheetnames == ["编码表"]
    with zipfile.ZipFile(io.BytesIO(got["qdpx"].data)) as archive:
        assert "project.qde" in archive.namelist()
    assert alice.get("/files/download/nope").status_code == 404


def test_an_edited_review_workbook_comes_back_under_the_uploaders_name(alice, project_dir):
    workbook = openpyxl.load_workbook(io.BytesIO(alice.get("/files/download/review").data))
    fill_in_review_row(workbook["review"], "jx_park", "产业扶贫", decision="reject", reason="too general")
    edited = io.BytesIO()
    workbook.save(edited)
    assert keyword_states(project_dir, "jx_park")["产业扶贫"] != "rejected"
    response = upload(alice, "review", edited.getvalue(), "审阅-已填写.xlsx", headers=HTML)
    assert response.status_code == 302 and response.headers["Location"] == "/files"
    page = alice.get("/files").get_data(as_text=True)
    assert "已应用工作表“review”中的 1 项决定" in page
    assert keyword_states(project_dir, "jx_park")["产业扶贫"] == "rejected"
    assert history(project_dir, "keyword.reject") == [("keyword.reject", "alice")]
    # the same workbook again changes nothing
    again = upload(alice, "review", edited.getvalue(), "审阅-已填写.xlsx").get_json()
    assert again["ok"] and again["message"].startswith("已应用工作表“review”中的 0 项决定；1 行已是该状态。")


def test_an_upload_that_the_library_refuses_names_the_file_as_sent_and_changes_nothing(alice, project_dir):
    workbook = openpyxl.load_workbook(io.BytesIO(alice.get("/files/download/review").data))
    sheet = workbook["review"]
    headers = [c.value.split()[-1] for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("decision") + 1, value="keep it")
    edited = io.BytesIO()
    workbook.save(edited)
    before = keyword_states(project_dir, "jx_park")
    response = upload(alice, "review", edited.getvalue(), "mine.xlsx")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error == ("mine.xlsx：有 1 行无法应用；没有做任何更改。\n- 工作表 'review' 第 2 行：未知的决定 'keep it'"
                     "（请填 接受、拒绝、重命名 或 添加）\n请修正这些行，然后重新导入工作簿。")
    assert keyword_states(project_dir, "jx_park") == before
    bad = upload(alice, "qdpx", b"PK\x03\x04 not really a zip", "colleague.qdpx").get_json()
    assert not bad["ok"] and "colleague.qdpx" in bad["error"] and "caseminer-upload-" not in bad["error"]


@pytest.mark.parametrize("kind, name", [("review", "review.csv"), ("qdpx", "project.zip"), ("codebook", "codes.docx"),
                                        ("thesaurus", "thesaurus.txt"), ("review", ".xlsx")])
def test_an_upload_of_the_wrong_kind_is_refused_before_it_is_read(alice, kind, name):
    response = upload(alice, kind, b"anything", name)
    assert response.status_code == 400
    assert response.get_json()["error"] == f"{upload_name(name)}：此处只接受 {' '.join(UPLOADS[kind].suffixes)} 文件。"


def test_uploads_need_a_coder_a_token_a_file_and_a_known_kind(make_coder, alice):
    nobody = make_coder(None)
    assert upload(nobody, "review", b"x", "r.xlsx").status_code == 400
    response = alice.post("/files/upload/review", {"file": (io.BytesIO(b"x"), "r.xlsx")}, token=False,
                          content_type="multipart/form-data", headers={"Accept": "application/json"})
    assert response.status_code == 403
    empty = alice.post("/files/upload/review", {"next": "/files"}, content_type="multipart/form-data",
                       headers={"Accept": "application/json"})
    assert empty.status_code == 400
    assert upload(alice, "shell", b"x", "x.xlsx").status_code == 404


def test_an_upload_may_be_larger_than_the_workbench_s_other_requests_but_not_without_limit(alice, monkeypatch):
    big = b"PK" + b"\0" * (3 * 1024 * 1024)  # over the app's 2 MB: read, and refused by the reader
    response = upload(alice, "qdpx", big, "big.qdpx")
    assert response.status_code == 400 and "big.qdpx：不是可读取的 zip 压缩包" in response.get_json()["error"]
    from caseminer.web.views import files

    monkeypatch.setattr(files, "UPLOAD_MB", 1)
    refused = upload(alice, "qdpx", big, "big.qdpx")
    assert refused.status_code == 413
    assert refused.get_json()["error"] == ("所发送的文件超过工作台一次可接收的大小（1 MB）；大型语料请用 caseminer import "
                                           "FOLDER 导入。")


def test_a_qdpx_with_a_member_outside_the_archive_is_refused(alice, project_dir):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("project.qde", "<Project/>")
        z.writestr("../../evil.txt", "x")
    response = upload(alice, "qdpx", archive.getvalue(), "evil.qdpx")
    assert response.status_code == 400
    assert response.get_json()["error"] == ("evil.qdpx：压缩包中的文件名 '../../evil.txt' 用 '..' 跳出了压缩包。这样的文件名"
                                            "可能写到目标文件夹之外（zip-slip），因此拒绝该压缩包。")
    assert not (project_dir.parent / "evil.txt").exists()


def test_a_qdpx_or_codebook_with_xml_entities_is_refused(alice, project_dir):
    entity = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
              '<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>')
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("project.qde", entity)
    response = upload(alice, "qdpx", archive.getvalue(), "entity.qdpx")
    assert response.status_code == 400 and "entity.qdpx" in response.get_json()["error"]
    codebook = upload(alice, "codebook", entity.replace("Project", "CodeBook").encode(), "entity.qdc")
    assert codebook.status_code == 400 and "entity.qdc" in codebook.get_json()["error"]
    for refused in (response, codebook):
        assert "：该文件声明了 DTD（<!DOCTYPE ...>）。caseminer 拒绝" in refused.get_json()["error"]
        assert "root:" not in refused.get_json()["error"]


def test_a_project_and_a_codebook_move_between_workbenches(alice, project_dir, tmp_path):
    from caseminer.web.app import make_app
    from web_fixtures import Coder

    qdpx = alice.get("/files/download/qdpx").data
    table = alice.get("/files/download/coding-table").data
    qdc = alice.get("/files/download/codebook").data
    other = tmp_path / "other"
    Project.create(other, coder="setup").close()
    bob = Coder(make_app(other, secret="s"), "bob")
    got = upload(bob, "qdpx", qdpx, "同事的项目.qdpx").get_json()
    assert got["ok"] and got["message"].startswith("已导入 同事的项目.qdpx：案例 4 个")
    with Project.open(other) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 4
        settings, imported_by = p.conn.execute("SELECT settings, coder FROM runs WHERE stage = 'import'").fetchone()
    assert "同事的项目.qdpx (uploaded)" in settings and "caseminer-upload-" not in settings
    assert imported_by == "bob"
    # a codebook that is already there is refused as a conflict, named
    again = upload(bob, "codebook", qdc, "codebook.qdc")
    assert again.status_code == 409 and "codebook.qdc" in again.get_json()["error"]
    third = tmp_path / "third"
    Project.create(third, coder="setup").close()
    carol = Coder(make_app(third, secret="s"), "carol")
    assert upload(carol, "codebook", table, "编码表.xlsx").get_json()["ok"]
    assert history(third, "code.import") == [("code.import", "carol")]


def test_the_report_is_written_and_served_by_its_own_names_only(alice, project_dir):
    written = alice.post("/files/report", {"by": "province"}, headers={"Accept": "application/json"}).get_json()
    assert written["ok"] and sorted(written["files"]) == ["report.docx", "report.html", "tables.xlsx"]
    page = alice.get("/files").get_data(as_text=True)
    assert 'href="/files/report/report.docx"' in page and "尚未生成报告" not in page
    html = alice.get("/files/report/report.html")
    assert html.status_code == 200 and "attachment" not in html.headers.get("Content-Disposition", "")
    # shown as written (inline styles, fonts and figures), and still no script
    policy = html.headers["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy and "script" not in policy
    assert alice.get("/files/report/tables.xlsx").headers["Content-Disposition"].startswith("attachment")
    for name in ("caseminer.sqlite", "..%2Fcaseminer.sqlite", "figures"):
        assert alice.get(f"/files/report/{name}").status_code == 404
    bad = alice.post("/files/report", {"by": "provnce"}, headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "provnce" in bad.get_json()["error"]


@pytest.mark.parametrize("sent, name", [
    ("审阅.xlsx", "审阅.xlsx"),
    ("C:\\Users\\王\\Desktop\\审阅.xlsx", "审阅.xlsx"),
    ("../../etc/passwd.xlsx", "passwd.xlsx"),
    ("a:b*?.xlsx", "a_b__.xlsx"),
    (".xlsx", "xlsx"),  # a hidden name is made visible (and then has no suffix to be taken)
    ("..", "upload"),
    ("x" * 300 + ".qdpx", "x" * 115 + ".qdpx"),
])
def test_an_upload_s_name_is_a_bare_file_name(sent, name):
    assert upload_name(sent) == name


def send_cases(coder, files: dict[str, bytes]):
    return coder.post("/files/cases", {"files": [(io.BytesIO(data), name) for name, data in files.items()],
                                       "next": "/files"},
                      headers={"Accept": "application/json"}, content_type="multipart/form-data")


STORY = "该县建设扶贫车间，吸纳贫困劳动力就近就业，扶贫车间成为产业扶贫的重要载体。".encode()


def test_case_files_sent_as_a_folder_are_kept_in_the_project_and_imported_with_their_metadata(alice, project_dir):
    sent = {"新案例/案例甲.txt": STORY, "新案例/案例乙.txt": "该村发展光伏扶贫，村集体经济稳定增收。".encode(),
            "新案例/metadata.csv": "file,province,year\n案例甲.txt,贵州,2020\n案例乙.txt,甘肃省,2021\n".encode(),
            "新案例/README.md": "这些案例的说明".encode()}
    got = send_cases(alice, sent).get_json()
    assert got["ok"] and sorted(got["imported"]) == ["案例乙", "案例甲"]
    assert got["message"] == ("已从 2 个文件导入 2 个案例。案例属性取自 新案例/metadata.csv：其各行对应文件夹中的文件。"
                              "如要以其他文件作为属性表，请用 --meta 给出。未导入 1 个说明文件夹而非记录案例的文件"
                              "（新案例/README.md）。如要把其中一个作为案例导入，请单独给出其路径：'caseminer import 文件'。")
    with Project.open(project_dir) as p:
        rows = {r["id"]: r for r in p.conn.execute("SELECT id, province, source_path FROM cases")}
        imports = p.conn.execute("SELECT coder FROM runs WHERE stage = 'import' ORDER BY id DESC").fetchone()
    assert rows["案例乙"]["province"] == "甘肃" and rows["案例甲"]["province"] == "贵州"
    assert imports["coder"] == "alice"  # who added the cases
    kept = project_dir / "sources"
    assert rows["案例甲"]["source_path"].startswith(str(kept)) and rows["案例甲"]["source_path"].endswith("案例甲.txt")
    assert (kept / next(kept.iterdir()).name / "新案例" / "metadata.csv").is_file()
    # the same files again: nothing new, and nothing more kept
    again = send_cases(alice, sent).get_json()
    assert again["message"].startswith("已从 2 个文件导入 0 个案例。2 个案例已在项目中。")
    assert len(list(kept.iterdir())) == 1


def test_case_files_that_fail_to_import_are_not_kept_and_say_why(alice, project_dir):
    bad = send_cases(alice, {"a.txt": STORY, "empty.txt": b""})
    assert bad.status_code == 400
    error = bad.get_json()["error"]
    assert "empty.txt 是空文件。" in error and str(project_dir) not in error
    scans = send_cases(alice, {"p1.jpg": b"\xff\xd8\xff", "p2.jpg": b"\xff\xd8\xff"})
    assert scans.status_code == 400
    assert ("文件夹 （上传的文件） 中没有 caseminer 能作为案例读取的文件（其中有 2 个 .jpg 文件）。扫描页面的图片中没有可读取的文本"
            in scans.get_json()["error"])
    english = alice.post("/files/cases?lang=en", {"files": [(io.BytesIO(b""), "empty.txt")]},
                         headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert "empty.txt is empty. Remove it from the folder" in english.get_json()["error"]
    alice.get("/files?lang=zh")
    assert not (project_dir / "sources").exists() or not any((project_dir / "sources").iterdir())
    with Project.open(project_dir) as p:
        assert p.conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 4


def test_case_files_sent_with_paths_stay_in_their_upload_folder(alice, project_dir, make_coder):
    # (how a backslash in a name sent arrives depends on werkzeug's version: upload_path's own test)
    got = send_cases(alice, {"../../escape.txt": STORY, "./a/../../b/案例.txt": "该镇建设防贫监测平台。".encode()})
    assert got.get_json()["ok"], got.get_json()
    kept = project_dir / "sources"
    files = sorted(str(f.relative_to(kept)).split("/", 1)[1] for f in kept.rglob("*") if f.is_file())
    assert files == ["a/b/案例.txt", "escape.txt"]
    assert not (project_dir.parent / "escape.txt").exists()
    assert send_cases(make_coder(None), {"x.txt": STORY}).status_code == 400  # no coder
    twice = send_cases(alice, {"a/x.txt": STORY, "a/./x.txt": STORY})
    assert twice.status_code == 400 and "a/x.txt" in twice.get_json()["error"]


@pytest.mark.parametrize("sent, kept", [
    ("案例.txt", "案例.txt"), ("../../etc/passwd", "etc/passwd"), ("cases/./贵州/案例1.docx", "cases/贵州/案例1.docx"),
    ("a:b/c*d.txt", "a_b/c_d.txt"), ("..", "upload"), ("/".join("d" * 10) + "/x.txt", "/".join("d" * 5) + "/x.txt"),
    ("x" * 300 + "/" + "y" * 300 + ".docx", "x" * 120 + "/" + "y" * 115 + ".docx"),
    ("C:\\Users\\王\\案例.txt", "C_/Users/王/案例.txt"),
])
def test_an_uploaded_case_file_s_place_is_a_relative_path_without_dots(sent, kept):
    from caseminer.web.views.files import upload_path

    assert str(upload_path(sent)) == kept


def test_a_folder_of_more_files_than_a_form_usually_takes_is_imported(alice, project_dir):
    # a form takes 1,000 parts unless told otherwise; a folder of cases often holds more
    sent = {f"县志/案例{i:04d}.txt": f"案例{i}：该县第{i}个扶贫车间投产，吸纳{i}名劳动力。".encode() for i in range(1100)}
    got = send_cases(alice, sent).get_json()
    assert got["ok"] and len(got["imported"]) == 1100


def test_case_files_may_be_cut_at_their_headings_and_simplified(alice, project_dir):
    compilation = ("扶贫案例汇编\n案例一 贵州某县的扶贫车间\n该县建设扶贫车间，吸纳贫困劳动力就近就业，人均年收入明显增加。\n"
                   "案例二 甘肃某村的光伏电站\n該村發展光伏扶貧，村集體經濟穩定增收，收益用於公益崗位。\n").encode()
    got = alice.post("/files/cases", {"files": [(io.BytesIO(compilation), "汇编.txt")], "split_at_cases": "1",
                                      "simplify": "1", "next": "/files"},
                     headers={"Accept": "application/json"}, content_type="multipart/form-data").get_json()
    assert got["ok"] and got["imported"] == ["汇编-01", "汇编-02"], got
    with Project.open(project_dir) as p:
        second = p.conn.execute("SELECT title, text, original_text FROM cases WHERE id = '汇编-02'").fetchone()
        settings = p.conn.execute("SELECT settings FROM runs WHERE stage = 'import' ORDER BY id DESC").fetchone()[0]
    assert second["title"] == "案例二 甘肃某村的光伏电站"
    assert "该村发展光伏扶贫" in second["text"] and "該村發展光伏扶貧" in second["original_text"]
    assert '"split_at": "cases"' in settings and '"simplify": true' in settings
