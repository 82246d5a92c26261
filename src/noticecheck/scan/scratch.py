"""Scratch space on disk for writing a run's reports: what must be remembered per school until a later file is written.

Some facts are worked out in one pass over a run and needed in another: which
schools belong to which trust (trust pages come before the other schools'),
and where each trust school's findings came from (found while its trust page
is written, wanted by the workbook's Findings sheet at the end), and each
trust's row for the index, trusts.csv and the workbook, listed largest
first once every trust is seen. Kept in dicts and lists, that is memory for
every school of the run; here it goes into a private
temporary SQLite file instead (`sqlite3.connect("")`: SQLite makes the file
and deletes it when closed), so writing the reports of a national run needs
no more memory than an LA's. Nothing here touches the run's own database.
"""

from __future__ import annotations

import itertools
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping


_NO_ID = -1  # a notice not read from the database has no id; stored ids start at 1


class Scratch:
    """A private temporary database, deleted on `close()`. Use as a context manager."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a temporary file of our own, removed when closed
        # A small page cache: what is written goes to the file (the OS caches it, not this process).
        self._db.execute("PRAGMA cache_size = -256")
        self._db.executescript(
            """
            CREATE TABLE groups (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, name TEXT NOT NULL);
            CREATE TABLE members (seq INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, member TEXT NOT NULL);
            CREATE TABLE origins (notice INTEGER, rule TEXT NOT NULL, origin TEXT NOT NULL,
                                  PRIMARY KEY (notice, rule)) WITHOUT ROWID;
            CREATE TABLE rows (seq INTEGER PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL,
                               size INTEGER NOT NULL, record BLOB NOT NULL);
            CREATE INDEX rows_name ON rows (name);
            CREATE INDEX rows_order ON rows (size DESC, sort_key, seq);
            """
        )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- groups: members kept on disk, read back a group at a time ---------------

    def group(self, items: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str, list[str]]]:
        """(group key, name, member) in any number -> (key, name as first given, members in the order given)
        per group, groups in the order they first appear; only one group's members are in memory at a time."""
        with self._db:
            self._db.execute("DELETE FROM members")
            self._db.execute("DELETE FROM groups")
            for key, name, member in items:
                self._db.execute("INSERT OR IGNORE INTO groups (key, name) VALUES (?, ?)", (key, name))
                self._db.execute("INSERT INTO members (group_id, member) SELECT id, ? FROM groups WHERE key = ?",
                                 (member, key))
        rows = self._db.execute(
            "SELECT g.id, g.key, g.name, m.member FROM members m JOIN groups g ON g.id = m.group_id ORDER BY g.id, m.seq"
        )
        for (_, key, name), members in itertools.groupby(rows, key=lambda r: r[:3]):
            yield key, name, [r[3] for r in members]

    # -- origins: (notice id, rule) -> "template" or "school" -----------------------

    def update(self, origins: Mapping[tuple[int | None, str], str]) -> None:
        """Remember where findings came from; a later value for the same finding replaces an earlier one."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO origins (notice, rule, origin) VALUES (?, ?, ?)",
                [(_NO_ID if notice is None else notice, rule, origin) for (notice, rule), origin in origins.items()],
            )

    def get(self, where: tuple[int | None, str], default: str = "") -> str:
        notice, rule = where
        row = self._db.execute("SELECT origin FROM origins WHERE notice = ? AND rule = ?",
                               (_NO_ID if notice is None else notice, rule)).fetchone()
        return row[0] if row else default

    # -- rows: named records (a trust's tally) read back largest first, then by name ------

    def add_row(self, name: str, size: int, sort_key: str, record) -> None:
        """Keep a record of our own making (pickled: the file is private to this process and short-lived)."""
        with self._db:
            self._db.execute("INSERT INTO rows (name, sort_key, size, record) VALUES (?, ?, ?, ?)",
                             (name, sort_key, size, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)))

    def rows(self) -> Iterator:
        """The records, largest first, then by sort key (compared as Python compares strings), then as added."""
        for (record,) in self._db.execute("SELECT record FROM rows ORDER BY size DESC, sort_key, seq"):
            yield pickle.loads(record)

    def count_rows(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]

    def has_row(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM rows WHERE name = ? LIMIT 1", (name,)).fetchone() is not None


class Rows:
    """A scratch file's rows as a collection reports walk as often as they like (`for`, `len`, `if`)."""

    def __init__(self, scratch: Scratch):
        self._scratch = scratch

    def __iter__(self) -> Iterator:
        return self._scratch.rows()

    def __len__(self) -> int:
        return self._scratch.count_rows()

    def __bool__(self) -> bool:
        return len(self) > 0


class Pages:
    """Name -> page for the names among a scratch file's rows, as a template looks them up (`in`, `[]`)."""

    def __init__(self, scratch: Scratch, page: Callable[[str], str]):
        self._scratch, self._page = scratch, page

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._scratch.has_row(name)

    def __getitem__(self, name: str) -> str:
        if name not in self:
            raise KeyError(name)
        return self._page(name)
