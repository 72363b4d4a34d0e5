"""The documentation stays true: every command has help text and is in docs/cli.md
(regenerated from --help), the README starts with the two set-up commands, its tutorial
runs as written, and every module named in ARCHITECTURE.md exists."""

import re
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "docs"))
import gen_cli  # noqa: E402

from caseminer.cli import cli  # noqa: E402

PATHS = gen_cli.command_paths(cli)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p))
def test_docs_every_command_has_help(path):
    command = cli
    for name in path:
        command = command.commands[name]
    assert (command.help or "").strip(), f"caseminer {' '.join(path)} has no help text"


def _comparable(text: str) -> str:
    # click versions bracket optional arguments of "Usage:" lines differently.
    return "\n".join(re.sub(r"[\[\]]", "", line) if line.startswith("Usage:") else line
                     for line in text.splitlines())


def test_docs_cli_reference_is_current():
    assert _comparable((REPO / "docs" / "cli.md").read_text(encoding="utf-8")) == _comparable(gen_cli.render()), \
        "docs/cli.md is out of date: run python docs/gen_cli.py"


def test_docs_readme_starts_with_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)
    assert blocks[0].startswith("pip install ") and "caseminer run " in blocks[0]
    assert blocks[1].startswith("pip install ") and "pytest" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


def test_docs_architecture_modules_exist():
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for module in set(re.findall(r"`((?:pipeline|nlp|coding|report|exchange|analysis|store|web|cli)/[a-z_/]+\.py)`",
                                 text)):
        assert (REPO / "src" / "caseminer" / module).is_file(), module


def test_docs_readme_tutorial_runs_as_written(tmp_path, monkeypatch, demo_dir):
    # Every command of the tutorial, in order, as a reader types it (from a copy of the
    # repository's examples folder): each exits 0. The review workbook is edited as the
    # tutorial says (a decision filled in) before it is imported; the cluster commands and
    # the colleague's .qdpx, which need what the tutorial does not make, are left out.
    import shlex
    import shutil

    import openpyxl
    from click.testing import CliRunner

    text = (REPO / "README.md").read_text(encoding="utf-8")
    tutorial = text[text.index("## Tutorial"):text.index("## Documentation")]
    commands = []  # each a list of words; "a && b" is two
    for block in re.findall(r"```sh\n(.*?)\n```", tutorial, flags=re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and "--scheduler" not in words and "from-colleague.qdpx" not in words:
                while "&&" in words:
                    at = words.index("&&")
                    commands.append(words[:at])
                    words = words[at + 1:]
                commands.append(words)
    assert len(commands) > 40 and commands[:2] == [["caseminer", "init", "study"], ["cd", "study"]]
    shutil.copytree(demo_dir, tmp_path / "examples" / "demo")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for words in commands:
        command = " ".join(words)
        if words[0] == "cd":
            monkeypatch.chdir(words[1])
            continue
        assert words[0] == "caseminer", command
        if words[1:3] == ["review", "import"]:
            workbook = openpyxl.load_workbook(words[3])
            sheet = workbook.worksheets[0]
            headings = [cell.value for cell in sheet[1]]
            sheet.cell(row=2, column=headings.index("决定 decision") + 1, value="accept")
            workbook.save(words[3])
        result = runner.invoke(cli, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{command}\n{result.output}"
