"""Read and write zip archives (``.qdpx``) that may come from anyone.

A ``.qdpx`` file is a zip, and a zip can lie. Before anything is read, every entry of
the central directory is checked (issue 7):

* names: UTF-8 only (the zip "UTF-8" flag, or plain ASCII), no absolute paths
  (``/x``, ``C:/x``), no ``..`` parts, no backslashes or NUL bytes, no duplicates;
* no symbolic links (Unix mode ``S_IFLNK`` in the external attributes);
* at most ``max_members`` entries; each entry's *declared* size at most
  ``max_member_bytes`` and the sum at most ``max_total_bytes``.

Reading a member then counts the bytes that *actually* come out of the decompressor
and stops at the limit, so a zip bomb whose header understates its size is caught
after at most ``limit + 1`` bytes, not after filling the memory. Nothing is ever
extracted to disk.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ExchangeError

MB = 1024 * 1024
_UTF8_FLAG = 0x800
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits for reading an untrusted zip. Raise them for genuine big projects."""

    max_members: int = 10_000
    max_member_bytes: int = 256 * MB
    max_total_bytes: int = 1024 * MB


class SafeZipReader:
    """A checked, read-only view of a zip file.

    >>> with SafeZipReader("project.qdpx") as z:          # doctest: +SKIP
    ...     data = z.read("project.qde", max_bytes=50 * MB)
    """

    def __init__(self, path: str | Path, *, limits: ArchiveLimits = ArchiveLimits()):
        self.path = Path(path)
        self.limits = limits
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path, "r")
        except FileNotFoundError:
            raise ExchangeError(f"{self.path}: no such file. Check the path.", code="E501") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise ExchangeError(
                f"{self.path}: not a readable zip archive ({exc}). A .qdpx project is a zip "
                "file; export it again from its program.",
                code="E501",
            ) from None
        try:
            self._infos = check_members(self._zip.infolist(), limits, source=str(self.path))
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> SafeZipReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        """The member names, in archive order (directories included)."""
        return list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str, *, max_bytes: int | None = None) -> bytes:
        """The bytes of member ``name``, counting what the decompressor really yields.

        Raises :class:`ExchangeError` if the member is missing, larger than
        ``max_bytes`` (default: ``limits.max_member_bytes``), would push the total read
        over ``limits.max_total_bytes``, or is damaged (bad CRC, bad compression).
        """
        info = self._infos.get(name)
        if info is None or info.is_dir():
            raise ExchangeError(
                f"{self.path}: the archive has no file {name!r}. The project is incomplete; "
                "export it again.",
                code="E501",
            )
        limit = self.limits.max_member_bytes if max_bytes is None else max_bytes
        if info.file_size > limit:
            raise _too_big(self.path, name, info.file_size, limit, "declares")
        buffer = io.BytesIO()
        try:
            with self._zip.open(info, "r") as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    buffer.write(chunk)
                    self._read_total += len(chunk)
                    if buffer.tell() > limit:
                        raise _too_big(self.path, name, buffer.tell(), limit, "unpacks to over")
                    if self._read_total > self.limits.max_total_bytes:
                        raise ExchangeError(
                            f"{self.path}: reading {name!r} takes the unpacked total over "
                            f"{self.limits.max_total_bytes / MB:.1f} MB. The archive may be a "
                            "zip bomb; if it is genuine, raise max_total_bytes.",
                            code="E501",
                        )
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            raise ExchangeError(
                f"{self.path}: the member {name!r} is damaged ({exc}). Export the project "
                "again.",
                code="E501",
            ) from None
        except NotImplementedError as exc:
            raise ExchangeError(
                f"{self.path}: the member {name!r} uses an unsupported compression ({exc}). "
                "Export again with ordinary (deflate) compression.",
                code="E501",
            ) from None
        return buffer.getvalue()


def check_members(
    infos: Iterable[zipfile.ZipInfo], limits: ArchiveLimits, *, source: str
) -> dict[str, zipfile.ZipInfo]:
    """Check central-directory entries; return ``{name: info}`` or raise ExchangeError."""
    out: dict[str, zipfile.ZipInfo] = {}
    declared_total = 0
    for count, info in enumerate(infos, start=1):
        if count > limits.max_members:
            raise ExchangeError(
                f"{source}: the archive has more than {limits.max_members} members. That is "
                "not a normal project (it may be hostile); if it is genuine, raise "
                "max_members.",
                code="E501",
            )
        name = info.filename
        check_member_name(info, source=source)
        if name in out:
            raise ExchangeError(
                f"{source}: the name {name!r} appears twice in the archive. A duplicate "
                "entry can hide one file behind another; the archive is refused.",
                code="E501",
            )
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise ExchangeError(
                f"{source}: the member {name!r} is a symbolic link. Links can point outside "
                "the project, so caseminer refuses them; export the project again.",
                code="E501",
            )
        if info.file_size > limits.max_member_bytes:
            raise _too_big(Path(source), name, info.file_size, limits.max_member_bytes, "declares")
        declared_total += info.file_size
        if declared_total > limits.max_total_bytes:
            raise ExchangeError(
                f"{source}: the members declare more than {limits.max_total_bytes / MB:.1f} MB "
                "unpacked in total. If the archive is genuine, raise max_total_bytes.",
                code="E501",
            )
        out[name] = info
    return out


def check_member_name(info: zipfile.ZipInfo, *, source: str) -> None:
    """Refuse names that could escape a folder or that are not UTF-8."""
    name = info.filename
    if not (info.flag_bits & _UTF8_FLAG) and not name.isascii():
        # Without the flag, zipfile decoded the raw bytes as CP437: the real name is in
        # some local code page (GBK, Shift-JIS ...) and cannot be trusted or matched.
        raise ExchangeError(
            f"{source}: the member name {name!r} is not marked as UTF-8 (it was written in "
            "a local code page). Re-create the archive with UTF-8 names.",
            code="E501",
        )
    problem = None
    if not name:
        problem = "is empty"
    elif "\x00" in name:
        problem = "contains a NUL byte"
    elif "\\" in name:
        problem = "contains a backslash"
    elif name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        problem = "is an absolute path"
    elif ".." in PurePosixPath(name).parts:
        problem = "climbs out of the archive with '..'"
    if problem:
        raise ExchangeError(
            f"{source}: the member name {name!r} {problem}. Such names can write outside "
            "the target folder (zip-slip), so the archive is refused.",
            code="E501",
        )


def write_zip(path: str | Path, members: Iterable[tuple[str, bytes]]) -> None:
    """Write ``(name, bytes)`` members to a new zip at ``path`` (atomically).

    Timestamps are fixed (1980-01-01) so that the same content gives the same bytes.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, data)
    write_bytes_atomic(Path(path), buffer.getvalue())


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _too_big(path: Path, name: str, size: int, limit: int, verb: str) -> ExchangeError:
    return ExchangeError(
        f"{path}: the member {name!r} {verb} {size / MB:.1f} MB, over the limit of "
        f"{limit / MB:.1f} MB. The archive may be a zip bomb; if it is genuine, raise the "
        "limit (max_member_bytes).",
        code="E501",
    )
