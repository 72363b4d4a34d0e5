"""caseminer serve: the local web workbench (issue 8)."""

from __future__ import annotations

import ipaddress
import sys

import click

from .context import CliContext

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port_taken(host: str, port: int) -> bool:
    """Is ``port`` on ``host`` listened on already? (Bound as the server binds it: a port left
    in TIME_WAIT by a server just stopped is free.)"""
    import socket

    family = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return True
    return False


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The interface to listen on. Anything but 127.0.0.1 makes the workbench (and the project) "
                   "reachable from other machines, without a password.")
@click.option("--get", "get_path", default=None, metavar="PATH",
              help="Make one request in-process (e.g. --get /api/cases), print the response and exit.")
@click.pass_obj
def serve_cmd(obj: CliContext, port: int, host: str, get_path: str | None) -> None:
    """Start the web workbench for the project and print its address.

    Cases, the case reader (keywords and codings highlighted, code by selecting
    text), discovery and keywords, normalisation, the codebook, statistics,
    agreement, the pipeline (run the analysis again) and files (add cases, download
    the workbooks, codebook, project and report, bring back the edited ones). Every
    change is recorded with your name. Stop it with Ctrl-C.
    """
    from ..project import find_project
    from ..web.app import make_app

    # On loopback, only requests addressed to a loopback name are served (a page of another
    # site whose name was rebound to 127.0.0.1 cannot read the project).
    trusted = list(LOOPBACK_NAMES) if _is_loopback(host) and get_path is None else None
    app = make_app(find_project(obj.project_dir), trusted_hosts=trusted)
    if get_path is not None:
        if not get_path.startswith("/"):
            raise click.BadParameter("PATH starts with '/', e.g. /api/cases.", param_hint="--get")
        response = app.test_client().get(get_path)
        click.echo(response.get_data(as_text=True))
        if response.status_code >= 400:
            sys.exit(1)
        return
    if not _is_loopback(host):
        click.echo(f"Warning: listening on {host}: anyone who can reach this machine can read and change the "
                   "project (there is no password). Use the default 127.0.0.1 unless you mean it.", err=True)
    from werkzeug.serving import make_server

    if port and _port_taken(host, port):  # werkzeug would print its own words and exit
        raise click.ClickException(
            f"Port {port} is in use, perhaps by another 'caseminer serve' (open http://127.0.0.1:{port}/ to "
            f"see). Start this one on another port: caseminer serve --port {port + 1} (or --port 0: any free "
            "port).")
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as e:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {e.strerror or e}. Choose another "
                                   "--port or --host.") from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"caseminer workbench: http://{shown}:{server.server_port}/")
    click.echo("Press Ctrl-C to stop.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


COMMANDS = [serve_cmd]
