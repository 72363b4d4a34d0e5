"""A Dask cluster for the heavy stages' map over shards (``--scheduler ADDRESS``).

The stages take any executor (:mod:`caseminer.nlp.shardmap`); this module only connects
to the cluster a researcher names: the one place caseminer opens a network connection,
and only when asked to. Nothing is downloaded. Every worker needs caseminer installed, the
same version as here: its tasks call caseminer's functions, sent by name, not as code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import BackendMissing, InvalidInput, fail


@contextmanager
def connected(address: str | None, *, timeout: float = 10.0) -> Iterator[object]:
    """A Dask client connected to ``address`` for the ``with`` block, closed after it;
    ``None`` (no address) for None: the stage then runs on this machine."""
    if address is None:
        yield None
        return
    client = dask_client(address, timeout=timeout)
    try:
        yield client
    finally:
        client.close()


def dask_client(address: str, *, timeout: float = 10.0):
    """A ``distributed.Client`` connected to the scheduler at ``address``.

    Raises :class:`BackendMissing` (with the install command) if dask's
    ``distributed`` is not installed (E309) and :class:`InvalidInput` if no scheduler
    answers (E310).
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise fail(BackendMissing, "E309") from exc
    try:
        return Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise fail(InvalidInput, "E310", address=address, timeout=timeout, reason=exc) from exc
