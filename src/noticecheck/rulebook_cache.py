"""A disk cache for the built-in rulebook, so a one-file check does not validate and compile it again.

Validating the rule files against their JSON Schemas and parsing every
pattern costs a few hundred milliseconds, more than the check of a notice.
The finished rulebook is pickled into the user's cache directory under a key
made of everything it was built from: the bytes of the rule and schema files,
the source of the modules that build it or whose objects it holds, the
package version and the Python version. Any change gives a new key, so a
stale entry is never read; a missing, unreadable or corrupt entry is rebuilt; a cache directory
that cannot be written to only means the next run builds again. Deleting the
directory is always safe.

The cache directory is $NOTICECHECK_CACHE_DIR, else $XDG_CACHE_HOME/noticecheck,
else ~/.cache/noticecheck; NOTICECHECK_CACHE_DIR=off turns the cache off.
"""

from __future__ import annotations

import copyreg
import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_KEEP = 4  # entries of one kind kept; older ones are removed when a new one is written


def cache_dir() -> Path | None:
    """Where cached objects go; None when the cache is turned off."""
    chosen = os.environ.get("NOTICECHECK_CACHE_DIR")
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "noticecheck"


def cache_key(inputs: Iterable[Path], version: str) -> str:
    """A digest of the inputs' names and bytes, the version and the Python that reads the pickle."""
    digest = hashlib.sha256()
    digest.update(f"{version}\0{sys.version}\0{pickle.HIGHEST_PROTOCOL}\0".encode())
    for path in sorted(inputs, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def cached(
    kind: str,
    inputs: Iterable[Path],
    version: str,
    build: Callable[[], T],
    directory: Path | None = None,
    reducers: dict[type, Callable] | None = None,
) -> T:
    """`build()`, or the object a previous build with the same inputs left in the cache.
    `reducers`: how to pickle some types (copyreg style), for this cache's pickles only."""
    directory = directory if directory is not None else cache_dir()
    if directory is None:
        return build()
    try:
        key = cache_key(inputs, version)
    except OSError:
        return build()  # an input went missing: let build() report it
    entry = directory / f"{kind}-{key}.pickle"
    value = read_entry(entry, _MISS)
    if value is not _MISS:
        return value
    value = build()
    store_entry(entry, value, kind, reducers or {})
    return value


_MISS = object()


def read_entry(entry: Path, default: object = None) -> object:
    """The object pickled in `entry`, or `default` when it is absent, unreadable, corrupt or foreign."""
    try:
        with entry.open("rb") as fh:
            data = fh.read()
        # The collector would walk the half-built rulebook again and again as its objects appear
        # (a third of the load's time); nothing in a pickle needs collecting.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return pickle.loads(data)
        finally:
            if collecting:
                gc.enable()
    except Exception:  # noqa: BLE001 - absent, unreadable, corrupt or foreign: only a miss
        return default


def store_entry(entry: Path, value: object, kind: str, reducers: dict[type, Callable] | None = None) -> None:
    """Write atomically (two processes may build at once), keeping the newest entries of `kind`;
    failing to write is not an error. `reducers`: how to pickle some types (copyreg style)."""
    import tempfile  # only when writing: not worth its import time on a hit

    directory = entry.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickler = pickle.Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = {**copyreg.dispatch_table, **(reducers or {})}
                pickler.dump(value)
            os.replace(tmp, entry)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(directory.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - an unwritable directory, a full disk: the next run builds again
        return
