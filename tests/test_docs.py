"""The documentation stays true: every command has help text and is in docs/cli.md
(regenerated from --help), the README starts with the two set-up commands, and every
module named in ARCHITECTURE.md exists."""

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
