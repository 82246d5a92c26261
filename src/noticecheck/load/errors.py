"""Builders for the `UnreadableInput` errors the loaders raise.

Kept in one place so every path that refuses input (file reader, sniffing,
each format) words the same problem the same way. Messages are one line,
written for the person who supplied the file.
"""

from __future__ import annotations

from noticecheck.model import UnreadableInput


def human_size(n: int) -> str:
    """`52428800` -> `"50 MiB"`; exact MiB/KiB when round, one decimal otherwise."""
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_large(size: int | None, cap: int) -> UnreadableInput:
    """`size` None: a stream that went past the cap, size unknown."""
    what = f"input is {human_size(size)}," if size is not None else "input is"
    return UnreadableInput(
        "too-large",
        f"{what} over the {human_size(cap)} size limit; raise it with --max-bytes if this really is a notice",
    )


def empty(detail: str = "the file is empty") -> UnreadableInput:
    return UnreadableInput("empty", detail)


def corrupt(detail: str) -> UnreadableInput:
    return UnreadableInput("corrupt", detail)


def unknown_type(detail: str) -> UnreadableInput:
    return UnreadableInput("unknown-type", detail)
