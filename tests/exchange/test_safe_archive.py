"""Tests for caseminer.exchange.safe_archive: hostile zips are refused with clear errors."""

import io
import stat
import struct
import zipfile

import pytest

from caseminer.errors import ExchangeError
from caseminer.exchange.safe_archive import ArchiveLimits, SafeZipReader, write_zip

MB = 1024 * 1024


def make_zip(path, members, *, mode=None):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None:
                info.external_attr = mode << 16
            zf.writestr(info, data)
    return path


def test_safe_archive_reads_a_normal_zip(tmp_path):
    path = tmp_path / "ok.qdpx"
    write_zip(path, [("project.qde", b"<Project/>"), ("sources/a.txt", "正文".encode())])
    with SafeZipReader(path) as z:
        assert z.names() == ["project.qde", "sources/a.txt"]
        assert "project.qde" in z
        assert z.read("sources/a.txt").decode() == "正文"
        with pytest.raises(ExchangeError, match="has no file 'sources/b.txt'"):
            z.read("sources/b.txt")


def test_safe_archive_write_is_reproducible(tmp_path):
    write_zip(tmp_path / "a.zip", [("x.txt", b"1")])
    write_zip(tmp_path / "b.zip", [("x.txt", b"1")])
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.parametrize(
    "name, problem",
    [
        ("../evil.txt", "climbs out of the archive"),
        ("sources/../../evil.txt", "climbs out of the archive"),
        ("/etc/passwd", "is an absolute path"),
        ("C:/Windows/evil.txt", "is an absolute path"),
        ("..\\evil.txt", "contains a backslash"),
    ],
)
def test_safe_archive_refuses_zip_slip_names(tmp_path, name, problem):
    path = make_zip(tmp_path / "slip.qdpx", [("project.qde", b"<x/>"), (name, b"pwned")])
    with pytest.raises(ExchangeError, match=problem) as err:
        SafeZipReader(path)
    assert "zip-slip" in err.value.message and str(path) in err.value.message


def test_safe_archive_refuses_symlinks(tmp_path):
    path = make_zip(tmp_path / "link.qdpx", [("sources/a.txt", b"/etc/passwd")], mode=stat.S_IFLNK | 0o777)
    with pytest.raises(ExchangeError, match="'sources/a.txt' is a symbolic link"):
        SafeZipReader(path)


def test_safe_archive_refuses_too_many_members(tmp_path):
    path = make_zip(tmp_path / "many.qdpx", [(f"sources/{i}.txt", b"x") for i in range(6)])
    with pytest.raises(ExchangeError, match="more than 5 members"):
        SafeZipReader(path, limits=ArchiveLimits(max_members=5))
    SafeZipReader(path, limits=ArchiveLimits(max_members=6)).close()


def test_safe_archive_refuses_duplicate_names(tmp_path):
    path = tmp_path / "dup.qdpx"
    with pytest.warns(UserWarning):  # zipfile itself warns about the duplicate
        make_zip(path, [("project.qde", b"a"), ("project.qde", b"b")])
    with pytest.raises(ExchangeError, match="appears twice"):
        SafeZipReader(path)


def test_safe_archive_refuses_declared_bomb(tmp_path):
    path = make_zip(tmp_path / "bomb.qdpx", [("sources/a.txt", b"\0" * (3 * MB))])
    assert path.stat().st_size < 50_000  # it compresses to almost nothing
    with pytest.raises(ExchangeError, match=r"declares 3\.0 MB, over the limit of 1\.0 MB.*zip bomb"):
        SafeZipReader(path, limits=ArchiveLimits(max_member_bytes=MB))
    with pytest.raises(ExchangeError, match="more than 2.0 MB unpacked in total"):
        SafeZipReader(path, limits=ArchiveLimits(max_total_bytes=2 * MB))


def lie_about_size(path, fake_size):
    """Rewrite every declared uncompressed size (local and central headers)."""
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x03\x04", pos)) >= 0:
        struct.pack_into("<I", data, pos + 22, fake_size)
        pos += 4
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into("<I", data, pos + 24, fake_size)
        pos += 4
    path.write_bytes(bytes(data))


def test_safe_archive_catches_bomb_with_lying_header(tmp_path):
    path = make_zip(tmp_path / "liar.qdpx", [("sources/a.txt", b"\0" * (3 * MB))])
    lie_about_size(path, 100)
    with SafeZipReader(path, limits=ArchiveLimits(max_member_bytes=MB)) as z:
        assert z._infos["sources/a.txt"].file_size == 100  # the header lies
        # Reading stops near the declared size (zipfile) or at the limit (our count);
        # either way the member is refused, and memory stays small.
        with pytest.raises(ExchangeError, match="'sources/a.txt' (is damaged|unpacks to over)"):
            z.read("sources/a.txt")


def test_safe_archive_caps_total_actual_bytes(tmp_path):
    path = make_zip(tmp_path / "one.qdpx", [("a.txt", b"a" * MB)])
    with SafeZipReader(path, limits=ArchiveLimits(max_total_bytes=int(1.5 * MB))) as z:
        z.read("a.txt")
        with pytest.raises(ExchangeError, match="takes the unpacked total over 1.5 MB"):
            z.read("a.txt")  # every read counts


def test_safe_archive_refuses_non_utf8_names(tmp_path):
    path = make_zip(tmp_path / "gbk.qdpx", [("sources/ab.txt", b"x")])
    # Replace the ASCII name by the GBK bytes of 中 (D6 D0), without the UTF-8 flag.
    path.write_bytes(path.read_bytes().replace(b"sources/ab.txt", b"sources/\xd6\xd0.txt"))
    with pytest.raises(ExchangeError, match="not marked as UTF-8"):
        SafeZipReader(path)


def test_safe_archive_accepts_flagged_utf8_names(tmp_path):
    path = make_zip(tmp_path / "utf8.qdpx", [("sources/中文.txt", b"x")])
    with SafeZipReader(path) as z:
        assert z.names() == ["sources/中文.txt"]


def test_safe_archive_refuses_non_zip_and_missing(tmp_path):
    (tmp_path / "x.qdpx").write_bytes(b"not a zip at all")
    with pytest.raises(ExchangeError, match="not a readable zip archive"):
        SafeZipReader(tmp_path / "x.qdpx")
    with pytest.raises(ExchangeError, match="no such file"):
        SafeZipReader(tmp_path / "none.qdpx")


def test_safe_archive_reports_damaged_member(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("a.txt", b"hello world")
    data = buffer.getvalue().replace(b"hello world", b"hellO world")  # CRC now wrong
    (tmp_path / "crc.zip").write_bytes(data)
    with SafeZipReader(tmp_path / "crc.zip") as z:
        with pytest.raises(ExchangeError, match="'a.txt' is damaged"):
            z.read("a.txt")
