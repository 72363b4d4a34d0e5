"""Makes the workbooks of this folder (run from the repository root; needs LibreOffice).

``cases.xlsx`` is written by openpyxl; ``cases.xls`` and ``cases.ods`` are LibreOffice's
saves of it (``soffice --headless --convert-to xls|ods``), as a researcher's "Save As" in
LibreOffice or WPS writes them. The texts are written by the caseminer developers.

    python tests/data/sheets/make_sheets.py
"""

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "案例"
ws.append(["编号", "省份", "年份", "日期", "得分", "正文"])
ws.append(["01", "江西", 2021, dt.datetime(2021, 5, 1), 3.25, "宁川县建起扶贫产业园，带动  周边农户务工。"])
ws.append(["02", "贵州", 2020, dt.datetime(2020, 11, 30, 9, 30), 12, "第一行写消费扶贫。\n第二行写电商平台。"])
ws.append(["03", None, 2019, None, -0.5, "石桥村推行“积分超市”，群众以表现换积分。"])
ws.append([])
ws.append(["04", "甘肃", 2022, None, None, "东坡镇设公益性岗位，安置脱贫劳动力就业。"])
meta = wb.create_sheet("_note")
meta.append(["format", "demo-1"])
meta.append(["count", 4])
meta.sheet_state = "hidden"
wb.save(HERE / "cases.xlsx")
for kind in ("xls", "ods"):
    subprocess.run(["soffice", "--headless", "--convert-to", kind, "--outdir", str(HERE), str(HERE / "cases.xlsx")],
                   check=True, capture_output=True)
