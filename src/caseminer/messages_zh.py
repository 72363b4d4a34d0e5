"""The library's messages in Chinese, for the boundary that shows them to a reader of Chinese
(the workbench; the CLI keeps English).

The library writes its messages in English, from the templates of
:class:`caseminer.errors.Messages` and from f-strings at their raise sites: the notes (what an
import read and left out, what a run did and what waits for a researcher) and the refusals a
workbench user meets (the review workbook, a .qdpx or .qdc, a decision on a keyword, a merge, a
code, a coding or a memo). :func:`to_chinese` reads a message back into its template and
fields, by matching it against the templates, and writes the Chinese template with the same
fields. Values from outside (paths, file names, column names, an exception's own text, the
commands to type) are kept as they are. Fields that are prose written by caseminer itself (a
hint, what a folder holds, a stage's name) are translated the same way, from :data:`FRAGMENTS`;
a message with a prose field that has no Chinese here stays English whole, never half
translated. A message that matches nothing is returned as it is.

``tests/test_messages_zh.py`` builds every catalogued error and every note the way the library
builds them and checks that each reads in Chinese: a change of an English template or note that
is not made here too fails there.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from .errors import Messages

_FORMATS = ".txt、.md、.docx、.doc、.wps、.pdf、.html、.csv、.xlsx、.xls、.ods 或 .jsonl"

#: The Chinese of each catalogued error, with the English template's fields (as plain
#: ``{name}``: a field comes in as the English message writes it, quotes included). E201,
#: E401 and E501 are not listed: their fields are whole English sentences.
ERRORS: dict[str, str] = {
    "E101": "未找到 caseminer 项目（查找位置：{where}）。请用 'caseminer init 文件夹' 新建一个，或用 --project 文件夹"
            "或环境变量 CASEMINER_PROJECT 指向已有的项目。",
    "E102": "{path} 中已有 caseminer 项目。可以直接使用它，或为 'caseminer init' 另选一个文件夹。",
    "E103": "项目数据库 {path} 由更新版本的 caseminer 写入（结构版本 {found}，本版本最高支持 {known}）。"
            "请用 'pip install -U caseminer' 升级 caseminer。",
    "E104": "无法读取项目设置文件 {path}：{reason}。请修正该文件（TOML 格式），或删除它以恢复默认设置。",
    "E105": "项目数据库 {path} 已损坏（{reason}）。请从备份中恢复；caseminer 不会写入已损坏的项目。",
    "E202": "{path}：无法按 UTF-8、UTF-16 或 GB18030 解码该文件（第一个无法解码的字节在第 {line} 行第 {column} 列）。"
            "请在编辑器中将其另存为 UTF-8（Excel 中选“CSV UTF-8”），然后重新导入。",
    "E203": "{path} 是空文件。请把它移出文件夹或写入文本，然后重新导入。",
    "E204": "{path} 看起来是二进制文件而不是文本（{reason}）。只能导入 " + _FORMATS + " 文件。",
    "E205": "{path}：没有名为 {column} 的列（现有的列：{found}）。{meta}请用 --text-field 指定文本所在的列{hint}，"
            "或在文件中重命名该列。",
    "E206": "{path}，第 {line} 行：该行有 {got} 个字段，而表头有 {expected} 个。请检查该行是否有未加引号的逗号或缺少的引号。",
    "E207": "{path}：属性表中有 {count} 行对应不到任何已导入的案例：{names}。请检查属性表第一列中文件名或编号的拼写。",
    "E208": "{path}：不支持 {suffix} 类型的文件。{hint}只能导入 " + _FORMATS + " 文件。",
    "E209": "{path}：无法作为{kind}读取：{reason}。请在相应的程序中打开它并重新保存，或将文本导出为 .txt。",
    "E210": "{path}：该 PDF 没有文本层（可能是扫描件）。请先对它做 OCR 文字识别（例如用 ocrmypdf），或以 .txt 导入其文本。",
    "E211": "{path}，第 {line} 行第 {column} 列：JSON 无效（{reason}）。.jsonl 文件的每一行必须是一个 JSON 对象。",
    "E212": "{path}，第 {line} 行：该案例的 {column} 字段中没有文本。请填写，或删除该行。",
    "E213": "{path}：{size} MB，超过单个案例 {limit} MB 的上限。请把文件拆分为多个案例，或用 --max-case-mb 提高上限。",
    "E214": "{path}，第 {line} 行：编号 {case_id} 在本次导入中出现了两次。请给每个案例不同的编号。",
    "E215": "没有可导入的内容：{path} 不存在。请检查路径。",
    "E216": "{total} 个文件中有 {count} 个无法导入；没有写入任何内容。\n{details}\n请修正这些文件，"
            "或加上 --skip-bad 导入其余文件并列出有问题的文件。",
    "E217": "{total} 个文件中的 {bad} 个有 {count} 处问题，导入已停止；没有写入任何内容。\n{details}\n请修正这些行，"
            "或加上 --skip-bad 导入其余部分并列出有问题的行。",
    "E218": "{path}：没有名为 {column} 的案例编号列（现有的列：{found}）。请给 --id-field 指定其中一列，或不用该选项："
            "编号将取自名为 id、编号 或 案例编号 且各行取值互不相同的列，否则每行命名为“文件名-行号”。",
    "E219": "--split-at {pattern} 不是正则表达式（{error}）。请给出 'cases'（以 案例一、案例 2、【案例3】…… 开头的行），"
            "或案例标题行开头所符合的 Python 正则表达式，例如 '^第[一二三四五六七八九十]+篇'。",
    "E220": "{path}：没有一行以案例标题（{pattern}）开头，因此文档没有被切分为案例。请检查文件中的标题，"
            "用 --split-at 给出标题所遵循的模式，或不加 --split-at 把该文件作为一个案例导入。",
    "E221": "{path}：无法作为{kind}读取：{reason}。{fix}。",
    "E222": "属性表 {path} 与案例对不上；没有写入任何内容。\n{details}\n请修正属性表，"
            "或加上 --skip-bad 导入案例并使用对得上的行（其余的行会列出）。",
    "E223": "{path}：该 PDF 的文本层与其文字不符（{reason}）：其字体对字符的映射有误。请从 PDF 中复制一段文字："
            "如果复制出来同样是乱码，请从原文档重新导出 PDF（Word 或 WPS：另存为 PDF），改为导入原始的 .docx，"
            "或对 PDF 做 OCR 文字识别（ocrmypdf --force-ocr）。",
    "E224": "没有可导入的内容：文件夹 {path} 中没有 caseminer 能作为案例读取的文件（{holds}）。{scans}"
            "请给出存放案例文件（" + _FORMATS + "）的文件夹，或单个文件的路径。",
    "E225": "没有可分析的内容：{paths} 中没有导入任何案例，项目中也没有案例。{why}",
    "E226": "没有可分析的内容：项目 {path} 中没有案例。请给出要导入的案例文件或文件夹：'caseminer run 案例文件夹/ --out {path}'。",
    "E301": "{stage}的设置 {name} 必须是{constraint}，实际为 {value}。",
    "E302": "{stage}需要先完成{requires}。请运行 'caseminer {command}'。",
    "E303": "未知的分词后端 {name}。可选：{choices}。caseminer 从不悄悄改用其他分词器。",
    "E304": "分词后端 {name} 需要 {package} 包，但尚未安装。请用 pip install {package} 安装。",
    "E305": "本项目中没有编号为 {case_id} 的案例。可用 'caseminer cases' 列出编号。",
    "E306": "{stage}没有名为 {name} 的设置。已知的设置：{known}。",
    "E307": "本项目中没有编号为 {run_id} 的运行记录。可用 'caseminer status --history' 列出运行记录。",
    "E308": "无法在 {kind} 上运行{stage}的分片计算。请传入 dask.distributed 的 Client 或 concurrent.futures 的 "
            "Executor（如 ProcessPoolExecutor(4)），或不传执行器以在本机运行。",
    "E309": "在 Dask 集群上运行需要 dask 的 distributed 包，但尚未安装。请用 pip install 'caseminer[dask]' 安装。",
    "E310": "{address} 处的 Dask 调度器在 {timeout} 秒内没有应答（{reason}）。请先启动一个（'dask scheduler'，"
            "再在每台机器上运行 'dask worker 地址'），并给出它打印的地址，如 tcp://10.0.0.5:8786；或不加 --scheduler，在本机运行。",
}

#: The fields of each error that caseminer writes as prose: each must have its Chinese in
#: :data:`FRAGMENTS` (or be empty), else the whole message stays English. ``reason`` is
#: translated where it is caseminer's own and kept where it is a reader's exception text.
PROSE: dict[str, tuple[str, ...]] = {
    "E205": ("meta", "hint"), "E208": ("hint",), "E209": ("kind",), "E221": ("kind", "fix"),
    "E224": ("holds", "scans"), "E225": ("why",), "E301": ("constraint", "stage"), "E302": ("stage", "requires"),
    "E306": ("stage",), "E308": ("stage",),
}
#: Fields that hold a list of other messages, one per line after "- ".
_LISTS = ("details",)
#: Fields that are a number in every template (matched as one: a long message with many ": "
#: is not split at each of them).
_NUMBERS = ("size", "limit", "count", "line", "got", "expected", "total", "bad", "run_id", "timeout")

_SCAN = ("扫描页面的图片中没有可读取的文本：请先做 OCR 文字识别（例如在 WPS 或 Acrobat 中），"
         "把文本另存为 .txt 或 .docx 后再导入。")
_SAVE_AS_DOCX = ("请在 Word 或 WPS 中打开它并另存为 .docx（另存为），或用 LibreOffice 转换整个文件夹："
                 "soffice --headless --convert-to docx *{suffix}。")
_STAGES = {
    "segment": "分词", "discover": "新词发现", "keywords": "关键词提取", "stats": "统计", "code auto": "自动编码",
    "saturation": "饱和度检验", "this step": "这一步", "Explaining a word": "解释一个词", "Explaining a keyword":
    "解释一个关键词", "the rankings": "排序", "stats --source text": "按文本统计（'stats --source text'）",
    "stats --source codes": "按编码统计（'stats --source codes'）", "normalise": "规范化", "import": "导入",
    "report": "报告", "run": "运行", "autocode": "自动编码", "stopwords": "领域停用词", "review export": "导出审阅工作簿",
}
_REQUIRES = {
    "cases": "导入案例", "new-word discovery": "新词发现", "segmentation": "分词", "keyword extraction": "关键词提取",
    "keywords": "关键词提取", "core keywords": "核心关键词", "a codebook": "导入编码本", "auto-coding": "自动编码",
    "codings in at least two cases": "至少两个案例的编码",
}

#: Prose written by caseminer, as regular expressions of the English (fullmatch; "." does not
#: cross a line) and their Chinese. A group named ``p_...`` is prose itself (translated in
#: turn); ``n_...`` a list of prose parts joined by "; "; ``l_...`` lines of messages, "- " each.
FRAGMENTS: list[tuple[str, str]] = [
    # what a file is (E209, E221)
    (r"a Word document \(\.docx\)", "Word 文档（.docx）"),
    (r"a Word 97-2003 document \(\.doc\)", "Word 97-2003 文档（.doc）"),
    (r"a WPS document \((?P<suffix>\.\w+), read as Word 97-2003; open it in WPS and save it as \.docx if it will "
     r"not read\)",
     "WPS 文档（{suffix}，按 Word 97-2003 读取；如无法读取，请在 WPS 中打开并另存为 .docx）"),
    (r"a PDF", "PDF 文件"),
    (r"an Excel, WPS or LibreOffice workbook", "Excel、WPS 或 LibreOffice 工作簿"),
    (r"an Excel or LibreOffice workbook", "Excel 或 LibreOffice 工作簿"),
    (r"an Excel workbook \(\.xlsx\)", "Excel 工作簿（.xlsx）"),
    (r"an Excel 97-2003 workbook \(\.xls\)", "Excel 97-2003 工作簿（.xls）"),
    (r"a WPS spreadsheet \(\.et, read as Excel 97-2003\)", "WPS 表格（.et，按 Excel 97-2003 读取）"),
    (r"a LibreOffice workbook \(\.ods\)", "LibreOffice 工作簿（.ods）"),
    (r"a workbook \(a zip archive\)", "工作簿（zip 压缩包）"),
    (r"a workbook", "工作簿"),
    # why (the reason of E204, E221: caseminer's own words)
    (r"it contains NUL bytes", "其中含有 NUL 字节"),
    (r"most bytes are not text", "大部分字节不是文本"),
    (r"undecodable bytes at line (?P<line>\d+), column (?P<column>\d+)", "第 {line} 行第 {column} 列有无法解码的字节"),
    (r"the file is damaged or truncated \((?P<error>.*)\)", "文件已损坏或不完整（{error}）"),
    (r"it is a web page \(an HTML table\) with a spreadsheet's name", "它是一个网页（HTML 表格），只是用了表格文件的名字"),
    (r"it is empty", "文件是空的"),
    (r"it is a text file \(perhaps CSV\) with a spreadsheet's name; give it the suffix \.csv, or save it as \.xlsx",
     "它是一个文本文件（可能是 CSV），只是用了表格文件的名字；请把后缀改为 .csv，或另存为 .xlsx"),
    (r"its content is no Excel \(\.xlsx, \.xls\) or LibreOffice \(\.ods\) workbook",
     "其内容不是 Excel（.xlsx、.xls）或 LibreOffice（.ods）工作簿"),
    (r"it has no sheet", "其中没有工作表"),
    (r"the archive is damaged \((?P<error>.*)\)", "压缩包已损坏（{error}）"),
    (r"it is a Word document, not a workbook", "它是 Word 文档，不是工作簿"),
    (r"it is an OpenDocument file other than a spreadsheet, not a workbook", "它是 OpenDocument 文件，但不是电子表格"),
    (r"it is a zip archive, not a workbook", "它是 zip 压缩包，不是工作簿"),
    (r"the archive holds no content\.xml", "压缩包中没有 content.xml"),
    # what to do (E221, E208)
    (r"Open it in Excel, WPS or LibreOffice and save it as an Excel workbook \(\.xlsx, 另存为 Excel 工作簿\)",
     "请在 Excel、WPS 或 LibreOffice 中打开它，另存为 Excel 工作簿（.xlsx）"),
    (r"Open it in Word or WPS and save it as \.docx \(另存为 / Save As\), or convert a folder of them with "
     r"LibreOffice: soffice --headless --convert-to docx \*(?P<suffix>\.\w+)\.", _SAVE_AS_DOCX),
    (r"It is CNKI's format: open it in CAJViewer and save or print it as PDF, or download the PDF from CNKI\.",
     "这是知网（CNKI）的格式：请在 CAJViewer 中打开并另存或打印为 PDF，或从知网下载 PDF。"),
    (r"Open it in Excel, WPS or LibreOffice and save it as \.xlsx or \.csv\.",
     "请在 Excel、WPS 或 LibreOffice 中打开它，另存为 .xlsx 或 .csv。"),
    (r"Unpack it \(解压\) and import the folder\.", "请先解压，再导入解压出的文件夹。"),
    (r"It is a REFI-QDA project \(NVivo, ATLAS\.ti, MAXQDA, QualCoder\): import it on its own with "
     r"(?P<command>'caseminer import qdpx FILE\.qdpx')\.",
     "这是 REFI-QDA 项目（NVivo、ATLAS.ti、MAXQDA、QualCoder）：请单独导入（工作台“文件”页，或 {command}）。"),
    (r"It is a REFI-QDA codebook: import it with (?P<command>'caseminer codebook import FILE\.qdc')\.",
     "这是 REFI-QDA 编码本：请单独导入（工作台“文件”页，或 {command}）。"),
    # a table read as cases (E205)
    (r"Its first column names files \((?P<first>.*) \.\.\.\): if it holds the cases' metadata, give it with "
     r"--meta (?P<path>.*) \(a folder's metadata file given so is not read as cases\)\.",
     "其第一列是文件名（{first} ……）：如果它是案例的属性表，请用 --meta {path} 给出（这样给出的属性表不会被当作案例读取）。"),
    (r"\(the texts look like column (?P<name>.*): --text-field (?P<field>.*)\)",
     "（文本似乎在 {name} 列：--text-field {field}）"),
    # what a folder holds (E224)
    (r"it is empty, or holds hidden files only", "文件夹是空的，或只有隐藏文件"),
    (r"it holds (?P<n_parts>.*)", "其中有 {n_parts}"),
    (r"(?P<count>\d+) (?P<suffix>\.\S+)", "{count} 个 {suffix} 文件"),
    (r"(?P<count>\d+) file\(s\) without extension", "{count} 个无扩展名的文件"),
    (r"(?P<names>.*), which document the folder and are read as cases only when given by their own path",
     "{names}（说明文件夹的文件，只有单独给出其路径时才作为案例读取）"),
    (r"An image of a scanned page holds no text to read: run it through OCR \(文字识别, e\.g\. in WPS or Acrobat\), "
     r"save the text as \.txt or \.docx and import that\.", _SCAN),
    # why nothing was imported (E225)
    (r"(?P<count>\d+) file\(s\) or row\(s\) could not be imported:\n(?P<l_details>(?s:.*))\nFix them and run again\.",
     "{count} 个文件或行无法导入：\n{l_details}\n请修正后重新运行。"),
    (r"The files given hold no case text \(a table without rows\?\); check them with 'caseminer import'\.",
     "给出的文件中没有案例文本（可能是没有数据行的表格）；请用 'caseminer import' 检查。"),
    # settings (E301)
    (r"an integer in the range (?P<range>.*)", "范围 {range} 内的整数"),
    (r"a number in the range (?P<range>.*)", "范围 {range} 内的数"),
    (r"one of (?P<values>.*)", "以下之一：{values}"),
    (r"true or false", "true 或 false"),
    (r"a non-empty text", "非空文本"),
    (r"a text", "文本"),
    (r"an integer in the range \[1, (?P<most>\d+)\], or -1 for one per CPU", "范围 [1, {most}] 内的整数，或 -1（每个 CPU 一个）"),
    # stages and what they need (E301, E302, E306, E308)
    *[(re.escape(en), zh) for en, zh in _STAGES.items()],
    *[(re.escape(en), zh) for en, zh in _REQUIRES.items()],
    (r"segmentation of (?P<count>\d+) new case\(s\)", "{count} 个新案例的分词"),
    # parts of the notes below
    (r"(?P<count>\d+) \(no extension\)", "{count} 个无扩展名的文件"),
    (r"and (?P<count>\d+) more", "另有 {count} 个"),
    (r"(?P<path>.*): (?P<cases>\d+) cases, (?P<chars>\d+) characters before the first heading or in its table of "
     r"contents left out", "{path}：{cases} 个案例，第一个标题之前或目录中的 {chars} 字未计入"),
    (r"(?P<path>.*): (?P<cases>\d+) cases", "{path}：{cases} 个案例"),
    *[(rf"{en} (?P<count>\d+)", f"{zh} {{count}}") for en, zh in (
        ("HTML tags", "HTML 标签"), ("HTML comments", "HTML 注释"), ("HTML entities", "HTML 实体"), ("images", "图片"),
        ("link addresses", "链接地址"), ("formulas", "公式"), ("heading marks", "标题标记"))],
    (r"every case that has one has the same value \((?P<value>.*)\)", "所有带有该属性的案例取值相同（{value}）"),
    (r"no case has a value", "没有案例带有该属性"),
    (r"compare by another attribute \((?P<names>.*): (?P<command>'.*')\)", "按其他属性比较（{names}：{command}）"),
    (r"compare by another attribute with (?P<command>'.*')", "用 {command} 按其他属性比较"),
]

#: The notes of an import (:meth:`caseminer.pipeline.corpus.ImportReport.notes` and its
#: traditional-characters warning) and the summary of a run (:mod:`caseminer.pipeline.run`: each
#: stage's result and what waits for a researcher), as :data:`FRAGMENTS` are written. A group
#: named ``m_...`` is a list of prose parts joined by ", ".
NOTES: list[tuple[str, str]] = [
    (r"Read the case texts from column (?P<f_columns>.*): no column is named (?P<named>.*)\. To read another "
     r"column, give --text-field\.", "案例文本取自 {f_columns} 列：没有名为 {named} 的列。如要读取其他列，请用 --text-field 指定。"),
    (r"Left the reference list out of the analysis text of (?P<count>\d+) case\(s\) \((?P<chars>\d+) characters: "
     r"headed 参考文献 or References and followed by entries\); the original text keeps it\. To analyse reference "
     r"lists too, import with --keep-references\.",
     "{count} 个案例的参考文献列表（共 {chars} 字：以“参考文献”或 References 开头，后接条目）未计入分析文本；原文仍保留。"
     "如也要分析参考文献，请加 --keep-references 导入。"),
    (r"Read the markup of (?P<count>\d+) case\(s\) as a reader sees it \((?P<m_shown>.*)\): table cells stay apart, "
     r"formulas read as plain text \(50t/\(km2·a\)\), tags, images and link addresses are left out of the analysis "
     r"text; the original text keeps them\. To analyse the markup as text, import with --keep-markup\.",
     "{count} 个案例中的标记按读者看到的样子读取（{m_shown}）：表格单元格保持分开，公式按纯文本读取（50t/(km2·a)），"
     "标签、图片和链接地址不计入分析文本；原文仍保留。如要把标记也作为文本分析，请加 --keep-markup 导入。"),
    (r"Read the case attributes from (?P<path>.*): its rows name the folder's files\. To read another file as the "
     r"metadata, give it with --meta\.", "案例属性取自 {path}：其各行对应文件夹中的文件。如要以其他文件作为属性表，请用 --meta 给出。"),
    (r"Took the province of (?P<count>\d+) case\(s\) from the start of their title or file name \((?P<shown>.*?)"
     r"(?P<more> \.\.\.)?: 贵州威宁：\.\.\. gives 贵州, a title naming two provinces none\); a metadata file given "
     r"with --meta overrides it, --no-province-from-title leaves it out\.",
     "{count} 个案例的省份取自其标题或文件名的开头（{shown}{more}：“贵州威宁：……”取“贵州”，标题中有两个省份则不取）；"
     "用 --meta 给出的属性表优先，--no-province-from-title 则不取。"),
    (r"Took the province of (?P<count>\d+) case\(s\) from the name of their folder \((?P<shown>.*)\); a metadata "
     r"file given with --meta overrides it\.", "{count} 个案例的省份取自其所在文件夹的名称（{shown}）；用 --meta 给出的属性表优先。"),
    (r"Cut (?P<count>\d+) document\(s\) into (?P<cases>\d+) cases at their case headings \((?P<n_shown>.*)\); each "
     r"heading line is its case's title, the ids are FILE-01, FILE-02 \.\.\. Check the cut with 'caseminer cases'\.",
     "按案例标题把 {count} 个文档切分为 {cases} 个案例（{n_shown}）；每个标题行作为其案例的标题，编号为 文件名-01、"
     "文件名-02……可在“案例”页或用 'caseminer cases' 检查切分结果。"),
    (r"Passed over (?P<count>\d+) file\(s\) in the folder\(s\) that are no documents caseminer reads "
     r"\((?P<m_shown>.*)\), e\.g\. (?P<first>.*?)\.(?: (?P<p_scan>An image of a scanned page .*))?",
     "跳过了文件夹中 {count} 个 caseminer 不读取的非文档文件（{m_shown}），例如 {first}。{p_scan}"),
    (r"Left out (?P<count>\d+) file\(s\) that document the folder rather than hold a case \((?P<shown>.*?)"
     r"(?: (?P<p_more>and \d+ more))?\)\. To import one as a case, give its path: 'caseminer import FILE'\.",
     "未导入 {count} 个说明文件夹而非记录案例的文件（{shown}{p_more}）。如要把其中一个作为案例导入，请单独给出其路径："
     "'caseminer import 文件'。"),
    (r"Read (?P<count>\d+) PDF case\(s\) across their page breaks: page numbers and running heads are left out of "
     r"the analysis text, and a sentence cut by a page break reads on; the original text keeps the pages as "
     r"extracted\.",
     "{count} 个 PDF 案例跨分页读取：页码和页眉页脚不计入分析文本，被分页截断的句子接续读取；原文保留提取时的分页。"),
    (r"(?P<count>\d+) case\(s\) are written in traditional characters \(share of their Han characters: (?P<shown>.*?)"
     r"(?: (?P<p_more>and \d+ more))?\)\. The base lexicon is simplified, so their words would all look new to "
     r"segmentation, discovery and keywords\. Delete them \('caseminer cases delete ID'\) and import them again with "
     r"--simplify \('caseminer import' or 'caseminer run'\), which converts the analysis text and keeps the original\.",
     "{count} 个案例使用繁体字（繁体字占其汉字的比例：{shown}{p_more}）。基础词典是简体的，分词、新词发现和关键词提取会把"
     "这些案例的词都当作新词。请删除这些案例（'caseminer cases delete 编号'），再选“繁体转简体”（命令行：--simplify）"
     "重新导入：转换只作用于分析文本，原文保留。"),
    # a run: each stage's result
    (r"(?P<tokens>\d+) tokens, domain lexicon (?P<words>\d+) words", "{tokens} 个词次，领域词典 {words} 个词"),
    (r"(?P<words>\d+) new words in the corpus list, (?P<candidates>\d+) per-case candidates",
     "语料新词 {words} 个，各案例候选词 {candidates} 个"),
    (r"(?P<keywords>\d+) keywords \((?P<distinct>\d+) distinct\)", "关键词 {keywords} 个（去重后 {distinct} 个）"),
    (r"(?P<raw>\d+) keywords -> (?P<distinct>\d+) distinct -> (?P<core>\d+) core; (?P<open>\d+) merge suggestion\(s\)",
     "关键词 {raw} 个 → 去重后 {distinct} 个 → 核心关键词 {core} 个；合并建议 {open} 条"),
    (r"imported (?P<count>\d+) codes from example (?P<name>.*)", "已导入示例编码本 {name} 的 {count} 个编码"),
    (r"imported (?P<count>\d+) codes from (?P<source>.*)", "已从 {source} 导入 {count} 个编码"),
    (r"example (?P<name>.*) already imported \((?P<count>\d+) codes\)", "示例编码本 {name} 已导入（{count} 个编码）"),
    (r"(?P<source>.*) already imported \((?P<count>\d+) codes\)", "{source} 已导入（{count} 个编码）"),
    (r"(?P<codings>\d+) automatic coding\(s\) in (?P<cases>\d+) case\(s\)", "{cases} 个案例中有自动编码 {codings} 条"),
    (r"(?P<core>\d+) core keywords, no comparison by province; tables in (?P<path>.*)",
     "核心关键词 {core} 个，无法按省份比较；表格在 {path}"),
    (r"(?P<core>\d+) core keywords, (?P<cells>\d+) significant province cell\(s\); tables in (?P<path>.*)",
     "核心关键词 {core} 个，显著的（关键词, 省份）单元格 {cells} 个；表格在 {path}"),
    # a run: what waits for a researcher
    (r"Accept discovered words into the lexicon \('caseminer discover', then 'caseminer lexicon add "
     r"--from-discovery N' "
     r"or 'caseminer lexicon add WORD \.\.\.'\), then re-run\.",
     "把发现的新词加入领域词典（“新词与关键词”页；命令行：'caseminer lexicon add --from-discovery N'），然后重新运行分析。"),
    (r"(?P<count>\d+) words of the shipped starter list \(generic policy words, slogans\) were never keywords"
     r"(?: \((?P<released>\d+) released\))?: see them with 'caseminer stopwords starter', release one with "
     r"'caseminer stopwords reject WORD'\.",
     "内置停用词表（通用政策词、口号）中有 {count} 个词被排除在关键词之外（可用 'caseminer stopwords starter' 查看，"
     "'caseminer stopwords reject 词' 放行其中一个）。"),
    (r"(?P<count>\d+) domain stop-word\(s\) proposed \(e\.g\. (?P<terms>.*)\): confirm or reject with "
     r"'caseminer stopwords propose' / 'caseminer stopwords confirm TERM'\.",
     "建议的领域停用词 {count} 个（如 {terms}）：请在“新词与关键词”页确认或拒绝（命令行：'caseminer stopwords propose'）。"),
    (r"(?P<count>\d+) keyword\(s\) await review: 'caseminer review export --out review\.xlsx'\.",
     "{count} 个关键词待审阅：在“新词与关键词”页审阅，或在“文件”页下载审阅工作簿（命令行：'caseminer review export --out review.xlsx'）。"),
    (r"(?P<count>\d+) merge suggestion\(s\) to decide: 'caseminer normalise suggest'\.",
     "{count} 条合并建议待决定：见“规范化”页（命令行：'caseminer normalise suggest'）。"),
    (r"Check the automatic codings \('caseminer code list --source auto'\) and code by hand \('caseminer code add' "
     r"or 'caseminer serve'\)\.", "请检查自动编码，并在“案例”页手动编码（命令行：'caseminer code list --source auto'）。"),
    (r"(?P<count>\d+) case\(s\) have an unknown province; check the metadata \('caseminer cases'\)\.",
     "{count} 个案例的省份无法识别；请检查属性表（“案例”页，或 'caseminer cases'）。"),
    (r"The analysis process stopped without a result \(exit code (?P<code>-?\d+|None)\); see the server log, and run "
     r"(?P<command>'caseminer run --out .*') to see the error\.",
     "分析进程未给出结果就停止了（退出码 {code}）；请查看服务器日志，并运行 {command} 查看错误。"),
    # the review workbook brought back (pipeline/review_workbook.py)
    (r"(?P<path>.*): (?P<count>\d+) row\(s\) cannot be applied; nothing was changed\.\n(?P<l_rows>(?s:.*))\n"
     r"Correct these rows and import the workbook again\.",
     "{path}：有 {count} 行无法应用；没有做任何更改。\n{l_rows}\n请修正这些行，然后重新导入工作簿。"),
    (r"(?P<path>.*) was exported before other review decisions were made on the same keywords; nothing was "
     r"changed\.\n(?P<l_rows>(?s:.*))\nExport a fresh workbook with 'caseminer review export', copy your decisions "
     r"into it, and import that\.",
     "{path} 导出之后，项目中又对同样的关键词作出了其他审阅决定；没有做任何更改。\n{l_rows}\n请重新导出审阅工作簿"
     "（“文件”页，或 'caseminer review export'），把你的决定填入其中，再导入它。"),
    (r"sheet (?P<sheet>'.*'), row (?P<row>\d+): (?P<p_what>.*)", "工作表 {sheet} 第 {row} 行：{p_what}"),
    (r"unknown decision (?P<decision>'.*') \(use accept, reject, rename or add\)",
     "未知的决定 {decision}（请填 接受、拒绝、重命名 或 添加）"),
    (r"no case with id (?P<case>'.*') in this project", "本项目中没有编号为 {case} 的案例"),
    (r"no case with id (?P<case>'.*') in this project \(a spreadsheet turns (?P<id>.*) into (?P<value>.*): format "
     r"the column as text \(设置单元格格式 → 文本\) or type (?P<typed>'.*) with the apostrophe\)",
     "本项目中没有编号为 {case} 的案例（电子表格把 {id} 变成了 {value}：请把该列设为文本格式（设置单元格格式 → 文本），"
     "或输入 {typed}，即在前面加一个撇号）"),
    (r"the keyword cell is empty \(write the keyword this decision is about, or for 'add' the keyword to add\)",
     "关键词单元格是空的（请填写这项决定针对的关键词；“添加”则填写要添加的关键词）"),
    (r"the keyword cell is empty \(write the keyword this decision is about\)", "关键词单元格是空的（请填写这项决定针对的关键词）"),
    (r"case (?P<case>.*) has no keyword (?P<keyword>'.*') \(to add one, write 'add'\)",
     "案例 {case} 没有关键词 {keyword}（如要添加，请填“添加”）"),
    (r"'rename' needs the new keyword in column new_keyword", "“重命名”需要在 new_keyword 列中填写新的关键词"),
    (r"(?P<keyword>'.*') does not occur in case (?P<case>.*) \(add a term as the case writes it; you can rename it "
     r"afterwards\)", "{keyword} 没有出现在案例 {case} 中（请按案例原文的写法添加，之后可以再重命名）"),
    (r"(?P<case>.*) / (?P<keyword>.*) was decided in the project after this workbook was exported",
     "{case} / {keyword} 在这份工作簿导出之后已在项目中作出决定"),
    (r"\.\.\.", "……"),
    (r"(?P<path>.*) is a text table, which keeps one sheet: the workbook's hidden sheet (?P<meta>'.*'), which records "
     r"the state it was exported from, is lost\. Open the exported workbook again, enter the decisions there and save "
     r"it as \.xlsx \(or \.xls or \.ods\)\.",
     "{path} 是文本表格，只能保存一个工作表：工作簿中记录导出时状态的隐藏工作表 {meta} 已经丢失。请重新打开导出的工作簿，"
     "在其中填写决定，并保存为 .xlsx（或 .xls、.ods）。"),
    (r"(?P<path>.*) has no (?P<meta>'.*') sheet, so it was not written by 'caseminer review export' \(or the hidden "
     r"sheet was deleted\)\. Export a fresh workbook and enter the decisions there\.",
     "{path} 中没有 {meta} 工作表，因此它不是导出的审阅工作簿（或其隐藏工作表被删除了）。请重新导出一份工作簿，在其中填写决定。"),
    (r"(?P<path>.*): no sheet has the review header \(columns case_id, keyword, decision\)\. Keep the first row of "
     r"the (?P<sheet>'.*') sheet as it was exported\.",
     "{path}：没有一个工作表带有审阅表头（'case_id'、'keyword'、'decision' 列）。请保留 {sheet} 工作表导出时的第一行。"),
    (r"(?P<path>.*): several sheets look like review sheets \((?P<sheets>.*)\)\. Name the one to import "
     r"(?P<sheet>'.*')\.",
     "{path}：有几个工作表都像审阅表（{sheets}）。请把要导入的那个命名为 {sheet}。"),
    # a REFI-QDA project or codebook refused (exchange/safe_archive.py, safe_xml.py)
    (r"(?P<path>.*): not a readable zip archive \((?P<error>.*)\)\. A \.qdpx project is a zip file; export it again "
     r"from its program\.", "{path}：不是可读取的 zip 压缩包（{error}）。.qdpx 项目是 zip 文件；请从原程序重新导出。"),
    (r"(?P<path>.*): the archive has no file (?P<name>'.*')\. The project is incomplete; export it again\.",
     "{path}：压缩包中没有文件 {name}。项目不完整；请重新导出。"),
    (r"(?P<path>.*): the member (?P<name>'.*') is damaged \((?P<error>.*)\)\. Export the project again\.",
     "{path}：压缩包中的 {name} 已损坏（{error}）。请重新导出项目。"),
    (r"(?P<path>.*): the member name (?P<name>'.*') (?P<p_problem>is empty|contains a NUL byte|contains a backslash|"
     r"is an absolute path|climbs out of the archive with '\.\.')\. Such names can write outside the target folder "
     r"\(zip-slip\), so the archive is refused\.",
     "{path}：压缩包中的文件名 {name} {p_problem}。这样的文件名可能写到目标文件夹之外（zip-slip），因此拒绝该压缩包。"),
    (r"is empty", "是空的"), (r"contains a NUL byte", "含有 NUL 字节"), (r"contains a backslash", "含有反斜杠"),
    (r"is an absolute path", "是绝对路径"), (r"climbs out of the archive with '\.\.'", "用 '..' 跳出了压缩包"),
    (r"(?P<path>.*): the member (?P<name>'.*') is a symbolic link\. Links can point outside the project, so caseminer "
     r"refuses them; export the project again\.",
     "{path}：压缩包中的 {name} 是符号链接。链接可能指向项目之外，caseminer 拒绝此类文件；请重新导出项目。"),
    (r"(?P<path>.*): the name (?P<name>'.*') appears twice in the archive\. A duplicate entry can hide one file behind "
     r"another; the archive is refused\.",
     "{path}：文件名 {name} 在压缩包中出现了两次。重复的条目可能用一个文件遮住另一个，因此拒绝该压缩包。"),
    (r"(?P<path>.*): the member name (?P<name>'.*') is not marked as UTF-8 \(it was written in a local code page\)\. "
     r"Re-create the archive with UTF-8 names\.",
     "{path}：压缩包中的文件名 {name} 没有标记为 UTF-8（它是用本地代码页写入的）。请用 UTF-8 文件名重新创建压缩包。"),
    (r"(?P<path>.*): the file declares a DTD \(<!DOCTYPE \.\.\.>\)\. caseminer refuses DTDs and entities in exchange "
     r"files because they can expand without limit or read local files\. Export the file again from its program, "
     r"without a DTD\.",
     "{path}：该文件声明了 DTD（<!DOCTYPE ...>）。caseminer 拒绝交换文件中的 DTD 和实体，因为它们可能无限展开或读取本地文件。"
     "请从原程序重新导出该文件，不带 DTD。"),
    (r"(?P<path>.*): the file declares or references XML entities \((?P<error>.*)\)\. caseminer refuses them \(they "
     r"can expand without limit or read local files\)\. Export the file again from its program\.",
     "{path}：该文件声明或引用了 XML 实体（{error}）。caseminer 拒绝此类文件（实体可能无限展开或读取本地文件）。请从原程序重新导出该文件。"),
    (r"(?P<path>.*), line (?P<line>\d+), column (?P<column>\d+): not well-formed XML \((?P<error>.*)\)\. The file is "
     r"damaged or not XML; export it again\.",
     "{path}，第 {line} 行第 {column} 列：XML 格式不正确（{error}）。文件已损坏或不是 XML；请重新导出。"),
    (r"(?P<path>.*): no such file\. Check the path\.", "{path}：文件不存在。请检查路径。"),
    (r"(?P<path>.*): no project\.qde in the archive, so this is not a REFI-QDA project\. Export the project again as "
     r"\.qdpx\.", "{path}：压缩包中没有 project.qde，因此这不是 REFI-QDA 项目。请重新导出为 .qdpx 项目。"),
    (r"(?P<path>.*): the root element is (?P<tag>'.*'), not <Project> in the namespace (?P<ns>\S+)\. The file is not "
     r"a REFI-QDA project\.", "{path}：根元素是 {tag}，而不是命名空间 {ns} 中的 <Project>。该文件不是 REFI-QDA 项目。"),
    (r"(?P<path>.*): the root element is (?P<tag>'.*'), not <CodeBook> in the namespace (?P<ns>\S+)\. This is not a "
     r"REFI-QDA codebook \(a \.qdpx project holds its codebook inside; use read_qdpx for it\)\.",
     "{path}：根元素是 {tag}，而不是命名空间 {ns} 中的 <CodeBook>。这不是 REFI-QDA 编码本（.qdpx 项目的编码本在项目之内："
     "请作为项目导入）。"),
    (r"(?P<where>.*): the source (?P<name>'.*') lives outside the archive \((?P<path>.*)\)\. caseminer reads only "
     r"sources packed into the \.qdpx; export the project with its sources embedded\.",
     "{where}：文档 {name} 存放在压缩包之外（{path}）。caseminer 只读取打包在 .qdpx 中的文档；请在导出项目时把文档一并打包。"),
    (r"(?P<where>.*): the source (?P<member>.*) is not UTF-8 \(byte (?P<byte>\d+)\)\. REFI-QDA plain text sources "
     r"must be UTF-8\.", "{where}：文档 {member} 不是 UTF-8 编码（第 {byte} 字节）。REFI-QDA 的纯文本文档必须是 UTF-8。"),
    (r"(?P<name>.*): a codebook is a \.qdc \(REFI-QDA: NVivo, ATLAS\.ti, MAXQDA, QualCoder\) or \.yaml file, or a "
     r"coding table \(\.xlsx, \.xls, \.et, \.ods, \.csv\); save it as one of these\.",
     "{name}：编码本应是 .qdc 文件（REFI-QDA：NVivo、ATLAS.ti、MAXQDA、QualCoder）或 .yaml 文件，或编码表"
     "（.xlsx、.xls、.et、.ods、.csv）；请另存为其中一种。"),
    (r"(?P<count>\d+) code\(s\) of (?P<source>.*) are already in the project \(same ids\), e\.g\. (?P<names>.*)\. "
     r"It was imported before; delete those codes first to import it again\.",
     "{source} 中有 {count} 个编码已在项目中（编号相同），如 {names}。它以前导入过；如要重新导入，请先删除这些编码。"),
    # decisions refused (review, normalisation, codebook, codings, memos, lexicon)
    (r"The keyword is empty\. Give the keyword as it appears in the case\.", "关键词是空的。请按案例中的写法填写关键词。"),
    (r"(?P<keyword>'.*') does not occur in case (?P<case>.*)\. Add terms as they are written in the case \(you can "
     r"rename the keyword afterwards\)\.", "{keyword} 没有出现在案例 {case} 中。请按案例原文的写法添加（之后可以再重命名）。"),
    (r"Case (?P<case>.*) has no keyword (?P<keyword>'.*')\. List its keywords with (?P<command>'.*')\.",
     "案例 {case} 没有关键词 {keyword}。可用 {command} 列出它的关键词。"),
    (r"rename needs the new keyword \(--to NEW\)\.", "重命名需要新的关键词（命令行：--to 新词）。"),
    (r"(?P<coder>.*) changed the keyword (?P<keyword>'.*') of case (?P<case>.*) at (?P<at>.*), after you loaded it\. "
     r"Reload to see their decision; yours was not recorded\.",
     "{coder} 在 {at} 修改了案例 {case} 的关键词 {keyword}，晚于你打开页面的时间。请刷新查看其决定；你的决定没有记录。"),
    (r"A merge needs a variant and a core keyword, both non-empty\.", "合并需要变体和核心关键词，两者都不能为空。"),
    (r"(?P<variant>'.*') cannot be merged into itself\.", "{variant} 不能合并到它自己。"),
    (r"Merging (?P<variant>'.*') into (?P<core>'.*') would make a cycle \((?P=core) is already normalised to "
     r"(?P=variant)\)\. Unmerge (?P=core) first with (?P<command>'.*')\.",
     "把 {variant} 合并到 {core} 会形成循环（{core} 已被规范为 {variant}）。请先撤销 {core} 的合并（{command}）。"),
    (r"(?P<variant>'.*') is not merged into any core keyword\. See 'caseminer normalise thesaurus'\.",
     "{variant} 没有合并到任何核心关键词。可用 'caseminer normalise thesaurus' 查看词表。"),
    (r"(?P<path>.*) does not exist\.", "{path} 不存在。"),
    (r"(?P<path>.*): the file needs columns 'variant' and 'core' \(found: (?P<found>.*)\)\.",
     "{path}：该文件需要 'variant' 和 'core' 两列（现有的列：{found}）。"),
    (r"(?P<path>.*), row (?P<row>\d+): unknown decision (?P<decision>'.*'|None); use merge, reject or leave it empty\. "
     r"Nothing was imported\.", "{path}，第 {row} 行：未知的决定 {decision}；请填 合并、拒绝 或留空。没有导入任何内容。"),
    (r"(?P<path>.*), row (?P<row>\d+): variant and core must both be filled in\. Nothing was imported\.",
     "{path}，第 {row} 行：'variant' 和 'core' 两列都必须填写。没有导入任何内容。"),
    (r"(?P<path>.*), row (?P<row>\d+): (?P<p_why>.*) Nothing was imported\.", "{path}，第 {row} 行：{p_why}没有导入任何内容。"),
    (r"A code needs a name\.", "编码需要一个名称。"),
    (r"A code cannot be merged into itself\.", "编码不能合并到它自己。"),
    (r"Cannot merge (?P<source>'.*') into its own descendant (?P<target>'.*')\.", "不能把 {source} 合并到它自己的下级编码 {target}。"),
    (r"The code was changed by someone else since you loaded it \(version (?P<current>\d+), you had (?P<had>\d+)\)\. "
     r"Reload to see the change, then try again\.",
     "你打开页面之后，别人修改了这个编码（版本 {current}，你看到的是 {had}）。请刷新查看修改，再重试。"),
    (r"No code with id (?P<code>'.*')\. List the codes with 'caseminer codebook list'\.",
     "没有编号为 {code} 的编码。可用 'caseminer codebook list' 列出编码。"),
    (r"(?P<coder>.*) already coded this (?P<p_what>case|span) with (?P<code>'.*') \(coding (?P<id>\d+)\)\.",
     "{coder} 已经用 {code} 编码过这个{p_what}（编码记录 {id}）。"),
    (r"case", "案例"), (r"span", "片段"),
    (r"Coding (?P<id>\d+) was changed by someone else since you loaded it\. Reload and try again\.",
     "你打开页面之后，别人修改了编码记录 {id}。请刷新后重试。"),
    (r"No coding with id (?P<id>\d+)\. List codings with 'caseminer code list'\.",
     "没有编号为 {id} 的编码记录。可用 'caseminer code list' 列出编码记录。"),
    (r"The memo is empty\.", "备忘录是空的。"),
    (r"No memo with id (?P<id>\d+)\.", "没有编号为 {id} 的备忘录。"),
    (r"Memo (?P<id>\d+) was edited by (?P<coder>.*) since you opened it\. Reload it, merge your text into theirs, and "
     r"save again\.", "你打开之后，{coder} 编辑了备忘录 {id}。请刷新，把你的文字并入其文字后再保存。"),
    (r"Not in the lexicon: (?P<words>.*)\. See the lexicon with 'caseminer lexicon list'\.",
     "不在领域词典中：{words}。可用 'caseminer lexicon list' 查看词典。"),
    (r"No comparison by (?P<by>.*?): (?P<p_what>.*?)\. Give the cases this attribute \(import them again with --meta "
     r"metadata\.csv: a column of their ids or file names and one named (?P=by)\) or (?P<p_hint>.*)\.",
     "无法按“{by}”分组比较：{p_what}。请给案例补上这一属性（用 --meta metadata.csv 重新导入：一列为案例编号或文件名，"
     "一列名为 {by}），或{p_hint}。"),
]


def to_chinese(message: str) -> str:
    """``message`` in Chinese where it is one of the library's messages known here; else as it is."""
    translated = _message(message)
    return translated if translated is not None else message


def in_language(message: str, lang: str) -> str:
    """``message`` for a reader of ``lang`` ("zh": :func:`to_chinese`; any other: as written)."""
    return to_chinese(message) if lang == "zh" else message


def _message(message: str) -> str | None:
    for code, pattern, fields in _error_patterns():
        found = pattern.fullmatch(message)
        if found:
            values = {}
            for group, name in fields.items():
                value = found.group(group)
                if name in _LISTS:
                    value = _list(value)
                elif name in PROSE.get(code, ()) and value.strip():
                    value = _fragment(value.strip())
                    if value is None:
                        return None  # prose with no Chinese: the message stays English whole
                elif name == "reason":
                    value = _fragment(value) or value
                values.setdefault(name, value)
            return ERRORS[code].format(**values)
    return _fragment(message)


def _list(lines: str) -> str:
    """Each "- message" line in Chinese where it is known."""
    return "\n".join(f"- {to_chinese(line[2:])}" if line.startswith("- ") else line for line in lines.split("\n"))


def _fragment(text: str) -> str | None:
    for pattern, zh in _fragment_patterns():
        found = pattern.fullmatch(text)
        values = _fragment_values(found.groupdict()) if found else None
        if values is not None:
            return zh.format(**values)
    return None


def _fragment_values(groups: dict[str, str | None]) -> dict[str, str] | None:
    """The Chinese of a fragment's groups by their kind (its name's prefix); None when a part
    that is prose has no Chinese here."""
    values = {}
    for name, value in groups.items():
        if value is None:  # an optional part the text does not have
            value = ""
        elif name.startswith("p_"):
            value = _fragment(value)
        elif name.startswith(("n_", "m_")):
            parts = [_fragment(part) for part in value.split("; " if name.startswith("n_") else ", ")]
            value = None if None in parts else ("；" if name.startswith("n_") else "，").join(parts)
        elif name.startswith("l_"):
            value = _list(value)
        elif name.startswith("f_"):
            value = re.sub(r" \((\d+) file\(s\)\)", r"（\1 个文件）", value)
        if value is None:
            return None
        values[name] = value
    return values


@lru_cache(maxsize=1)
def _error_patterns() -> list[tuple[str, re.Pattern, dict[str, str]]]:
    """Each translated error's English template as a regular expression: (code, pattern, {group: field}),
    the most literal text first (the most specific template wins)."""
    patterns = []
    for code in ERRORS:
        template = getattr(Messages, code)
        parts, fields, plain = [], {}, set()
        for literal, name, _spec, conversion in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name is not None:
                group = f"g{len(fields)}"
                fields[group] = name
                # a field holds one line, a list of messages many: a message of many lines then
                # fails at once against a template of one, instead of trying every split of it
                parts.append(f"(?P<{group}>(?s:.*?))" if name in _LISTS else
                             f"(?P<{group}>-?[0-9][0-9.]*)" if name in _NUMBERS else f"(?P<{group}>.*?)")
                if conversion is None:
                    plain.add(group)
        literal_chars = sum(len(literal) for literal, *_ in string.Formatter().parse(template))
        # a field written twice, once quoted ('jieba') and once bare (pip install jieba): the bare one
        order = sorted(fields, key=lambda group: group not in plain)
        patterns.append((literal_chars, code, re.compile("".join(parts)), {g: fields[g] for g in order}))
    return [(code, pattern, fields) for _chars, code, pattern, fields in sorted(patterns, key=lambda p: -p[0])]


@lru_cache(maxsize=1)
def _fragment_patterns() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(pattern), zh) for pattern, zh in [*NOTES, *FRAGMENTS]]
