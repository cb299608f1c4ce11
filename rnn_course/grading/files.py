"""The grader's reading of SUBMISSIONS: total, and never led anywhere by what it reads.

Every file is opened with O_NOFOLLOW and O_NONBLOCK (a symbolic link is refused, a named pipe
does not block the open), checked with fstat to be a regular file, and its size is compared
with the cap before a byte is read. Folder names that are not UTF-8 (a zip made on another
system) get a printable, unambiguous name for the gradebook.
"""

import os
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

MAX_SUBMISSION_BYTES = 100 * 2**20


class Unreadable(Exception):
    """The file cannot be read as a submission; the message says why, in a few words."""


def read_regular(path: "Path | str", limit: int = MAX_SUBMISSION_BYTES) -> bytes:
    """The bytes of the regular file ``path``; Unreadable for anything else (a link, a pipe, a
    device, a folder, a file larger than ``limit``, an I/O error)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise Unreadable("a symbolic link, not a file") from None
        raise Unreadable(error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"not a regular file ({kind_of(info.st_mode)})")
        if info.st_size > limit:
            raise Unreadable(f"larger than {limit // 2**20} MB")
        return _read_at_most(fd, limit)
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    finally:
        os.close(fd)


def _read_at_most(fd, limit):
    chunks, total = [], 0
    while True:
        chunk = os.read(fd, min(2**20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:  # the file grew after fstat
            raise Unreadable(f"larger than {limit // 2**20} MB")


def kind_of(mode: int) -> str:
    """Words for a file type that is not a regular file."""
    for test, words in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
                        (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                        (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")):
        if test(mode):
            return words
    return "not a file"


def entry_kind(path: "Path | str") -> str:
    """"file", "folder", "missing", or words for anything else; links are not followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as error:
        return error.strerror or "unreadable"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return kind_of(mode)


def printable_name(name: str) -> str:
    """A folder name as text that any CSV or Markdown file can hold: bytes that are not UTF-8
    (kept by Python as surrogates) become \\xNN, and control characters are escaped."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def list_folder(folder: "Path | str") -> list[str]:
    """The names in ``folder`` (sorted), or [] when it cannot be listed."""
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []
