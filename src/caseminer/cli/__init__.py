"""The ``caseminer`` command line: it parses options, calls one library function,
renders the result, and turns :class:`~caseminer.errors.CaseminerError` into a
message and an exit code, in one place (:func:`main`). No SQL and no algorithm
lives here.
"""

from __future__ import annotations

import click

from ..errors import CaseminerError
from . import analysis_cmds, coding_cmds, corpus_cmds, exchange_cmds, project_cmds, review_cmds, run_cmds, text_cmds, web_cmds
from .context import CliContext


class CaseminerCliError(click.ClickException):
    """A library error shown as 'Error: <message>' with exit code 1."""

    exit_code = 1

    def __init__(self, error: CaseminerError):
        super().__init__(error.message)
        self.error = error


class CaseminerGroup(click.Group):
    """Translates every CaseminerError into a click error, in this one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CaseminerError as e:
            raise CaseminerCliError(e) from e


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value:
        return
    # The build is hashed from the package's files: only when asked, not at every start.
    from .. import __version__
    from ..project import caseminer_build

    click.echo(f"caseminer {__version__} (build {caseminer_build()})")
    ctx.exit()


@click.group(cls=CaseminerGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-p", "--project", "project_dir", type=click.Path(file_okay=False), default=None,
              help="The project folder. Default: $CASEMINER_PROJECT, else the current directory.")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version,
              help="Show the version and the build of caseminer (what every run records) and exit.")
@click.pass_context
def cli(ctx: click.Context, project_dir: str | None) -> None:
    """caseminer: from a folder of Chinese policy case texts to the tables, figures
    and codings of a mixed-method study.

    Start with 'caseminer init DIR', then 'caseminer -p DIR import CASES/'. Or run
    everything at once with 'caseminer run CASES/ --out DIR'.
    """
    ctx.obj = CliContext(project_dir)
    ctx.call_on_close(ctx.obj.close)


for module in (project_cmds, corpus_cmds, text_cmds, review_cmds, coding_cmds, analysis_cmds, exchange_cmds, run_cmds, web_cmds):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Entry point of the console script and of ``python -m caseminer``."""
    _robust_streams()
    cli(prog_name="caseminer")


def _robust_streams() -> None:
    """Output that any character can pass through. A Chinese Windows writes output sent to a
    file or a pipe in GBK (cp936), which has no G² or •: GB18030 writes every character GBK
    has in the same bytes and the others too, so the output reads as before and nothing stops
    the command halfway. Any other encoding that is not UTF marks what it cannot write with ?."""
    import codecs
    import sys

    for stream in (sys.stdout, sys.stderr):
        encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
        if not hasattr(stream, "reconfigure") or encoding.startswith("utf"):
            continue
        if encoding in ("gbk", "gb2312", "cp936"):
            stream.reconfigure(encoding="gb18030")
        else:
            stream.reconfigure(errors="replace")
