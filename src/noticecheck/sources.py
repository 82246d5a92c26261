"""The I/O edge for local input: paths (and "-" for stdin) to Documents.

Everything after this is pure. The size cap is checked from `stat` before a
byte is read, so pointing the tool at a 4 GB video fails at once instead of
filling memory; stdin and other streams are read with the cap as the limit.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator, Sequence

from noticecheck.load.errors import too_large
from noticecheck.load.sniff import SUPPORTED_SUFFIXES
from noticecheck.media import ADVICE
from noticecheck.model import Document, UnreadableInput

STDIN = "-"
# Office lock files ("~$notice.docx", ".~lock.notice.odt#") sit next to open documents.
_LOCK_PREFIXES = ("~$", ".~lock")


def read_document(path: str, *, max_bytes: int) -> Document:
    """Read one file (or stdin for "-") into a Document; raises UnreadableInput with a clear message."""
    if path == STDIN:
        data = _read_capped(sys.stdin.buffer, max_bytes)
        return Document(source=STDIN, data=data)
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _os_error(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableInput("not-found", f"{path} is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Opening a FIFO blocks until a writer comes, a device can be endless:
        # only regular files are read (stdin is "-").
        raise UnreadableInput(
            "not-a-file", f"{path} is a {_kind(info.st_mode)}, not a regular file; not read (pipe text in with - instead)"
        )
    if info.st_size > max_bytes:
        raise too_large(info.st_size, max_bytes)
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, open does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise UnreadableInput("not-a-file", f"{path} is not a regular file; not read")
            data = _read_capped(handle, max_bytes)
    except OSError as exc:
        raise _os_error(path, exc) from None
    return Document(source=path, data=data, filename=os.path.basename(path))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device")):
        if test(mode):
            return name
    return "special file"


def _os_error(path: str, exc: OSError) -> UnreadableInput:
    if exc.errno == errno.ENOENT:
        return UnreadableInput("not-found", f"no such file: {path}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return UnreadableInput("permission-denied", f"permission denied: {path}")
    return UnreadableInput("not-found", f"cannot read {path}: {exc.strerror or exc}")


def _read_capped(stream, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(None, max_bytes)
    return data


def iter_paths(
    paths: Sequence[str], skipped: list[str] | None = None, excluded: Callable[[str], bool] | None = None
) -> Iterator[str]:
    """Files and "-" as given; directories expanded to their supported files, recursively and sorted.

    Hidden directories and files, and office lock files, are passed over
    silently; other files of a type no loader reads are appended to
    `skipped` (when given), so the user hears about the .doc that was not
    checked. `excluded(path)` says which files and folders a walk passes over
    (the exclude globs); a file named on the command line is always read.
    Symlinked directories are not followed (no loops).
    """
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk(path, skipped, excluded or (lambda _path: False))
        else:
            yield path


def _walk(top: str, skipped: list[str] | None, excluded: Callable[[str], bool]) -> Iterator[str]:
    found: list[tuple[tuple[str, ...], str]] = []
    passed_over: list[tuple[tuple[str, ...], str]] = []
    for root, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not excluded(os.path.join(root, d))]
        for name in files:
            if name.startswith(".") or name.startswith(_LOCK_PREFIXES):
                continue
            full = os.path.join(root, name)
            if excluded(full):
                continue
            key = tuple(os.path.relpath(full, top).split(os.sep))
            if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES:
                found.append((key, full))
            else:
                passed_over.append((key, full))
    if skipped is not None:
        skipped.extend(full for _, full in sorted(passed_over))
    # Sort by path components so "a/b.txt" and "a.txt" order the way a listing does.
    for _, full in sorted(found):
        yield full


def skip_reason(path: str) -> str:
    """Why a walk passed over this file, for people: what to do with it where we know."""
    return ADVICE.get(os.path.splitext(path)[1].lower(), "not a notice format noticecheck reads")


def skipped_summary(skipped: Sequence[str]) -> str:
    """"1 .doc — save it as .docx or PDF; 2 .jpg — not a notice format noticecheck reads"."""
    counts: dict[str, int] = {}
    for path in skipped:
        suffix = os.path.splitext(path)[1].lower() or "file without an extension"
        counts[suffix] = counts.get(suffix, 0) + 1
    return "; ".join(f"{n} {suffix} — {skip_reason('x' + suffix)}" for suffix, n in counts.items())
