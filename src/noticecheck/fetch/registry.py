"""School lists: read a GIAS establishment export or a simple CSV into `School` records.

Two formats, told apart by the header:

* a GIAS "all establishment data" export (`edubasealldataYYYYMMDD.csv`):
  Windows-1252, quoted fields with commas, CRLF, 130-odd columns whose order
  changes between years, so every column is looked up by NAME. Only operating
  establishments are kept (`Open` and `Open, but proposed to close`) and
  `la=` filters on `LA (name)` (case-insensitive) or `LA (code)`.
* a minimal CSV `name,website[,urn]`, header optional; with a header, the
  optional columns phase, age_range (e.g. "11-18") or age_low/age_high, type,
  trust, la and status are read too.

A bad row (no name, wrong number of fields, duplicate URN) becomes a
`RowProblem` and is skipped; only an unreadable file or an unrecognised header
raises `RegistryError`. A website that is not a URL is kept as website=None
(the school is still listed, so the LA sees it has no usable website).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from noticecheck.fetch.urls import normalise_website
from noticecheck.precompiled import regex

OPERATING_STATUSES = ("open", "open, but proposed to close")
GIAS_REQUIRED = ("URN", "EstablishmentName", "SchoolWebsite")
MAX_FILE_BYTES = 200 * 1024 * 1024  # the full England export is ~60 MB


class RegistryError(Exception):
    """The school list cannot be read at all (missing file, unknown format, no such LA)."""


@dataclass(frozen=True)
class RowProblem:
    """A row that was skipped, with its 1-based line number in the file."""

    line: int
    message: str


@dataclass(frozen=True)
class School:
    """One school to scan. Ages are statutory ages (None when unknown or adult provision)."""

    urn: str | None
    name: str
    website: str | None
    la_name: str | None = None
    type_name: str | None = None
    phase: str | None = None
    age_low: int | None = None
    age_high: int | None = None
    trust: str | None = None
    status: str | None = None

    @property
    def school_type(self) -> str | None:
        """"academy", "maintained", "independent" or None, from the establishment type's name."""
        return school_type_of(self.type_name)


# Order matters: "Other independent special school" is independent, not maintained.
_TYPE_RULES = (
    ("independent", regex(r"independent|non-maintained")),
    (
        "academy",
        regex(r"academ|free school|university technical college|\butc\b|studio school|city technology college"),
    ),
    (
        "maintained",
        regex(
            r"community|voluntary aided|voluntary controlled|foundation|pupil referral|nursery school"
            r"|\bmaintained\b|\bla\b|local authority"
        ),
    ),
)


def school_type_of(type_name: str | None) -> str | None:
    """Map a GIAS TypeOfEstablishment name (or a plain "academy"/"maintained"/"independent") to the checker's school type."""
    if not type_name:
        return None
    text = type_name.strip().lower()
    for school_type, pattern in _TYPE_RULES:
        if pattern.search(text):
            return school_type
    return None


# -- decoding -----------------------------------------------------------------


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; read them as latin-1.
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("noticecheck-cp1252-latin1", _latin1_fallback)


def decode_registry(data: bytes) -> tuple[str, str]:
    """Decode a registry file; returns (text, encoding used).

    UTF-8 (with or without BOM) when the bytes are valid UTF-8, else
    Windows-1252 as GIAS writes it, with latin-1 for its undefined bytes.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="noticecheck-cp1252-latin1"), "cp1252"


# -- helpers --------------------------------------------------------------------


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.replace("\u00a0", " ").strip()
    return value or None


def _age(value: str | None) -> int | None:
    """A statutory age; empty, non-numeric and 99 (adult provision) are unknown."""
    value = _clean(value)
    if value is None or not value.isdigit():
        return None
    age = int(value)
    return None if age == 99 or age > 25 else age


def _age_range(value: str | None) -> tuple[int | None, int | None]:
    """"11-18", "11 to 18", "4–11" -> (11, 18)."""
    if not value:
        return None, None
    numbers = re.findall(r"\d+", value)
    if len(numbers) != 2:
        return None, None
    return _age(numbers[0]), _age(numbers[1])


def _phase(value: str | None) -> str | None:
    value = _clean(value)
    if value is None or value.lower() == "not applicable":
        return None
    return value


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV rows with the 1-based line each starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise RegistryError(f"line {reader.line_num}: cannot parse the CSV ({exc})") from None
        yield start, row
        start = reader.line_num + 1


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RegistryError(f"{path}: {size} bytes is larger than any school list ({MAX_FILE_BYTES} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegistryError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RegistryError(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:4096]:
        raise RegistryError(f"{path}: looks binary (a spreadsheet?); save it as CSV first")
    return decode_registry(data)[0]


# -- the two formats -----------------------------------------------------------------

_MINIMAL_COLUMNS = {
    "name": "name",
    "school": "name",
    "school name": "name",
    "establishmentname": "name",
    "website": "website",
    "url": "website",
    "schoolwebsite": "website",
    "urn": "urn",
    "phase": "phase",
    "age_range": "age_range",
    "age range": "age_range",
    "ages": "age_range",
    "age_low": "age_low",
    "age_high": "age_high",
    "type": "type",
    "school_type": "type",
    "trust": "trust",
    "la": "la",
    "la_name": "la",
    "status": "status",
}


def _is_gias(header: list[str]) -> bool:
    return all(name in header for name in GIAS_REQUIRED)


def _minimal_header(header: list[str]) -> dict[str, int] | None:
    """Column positions for a minimal CSV header, or None if this row is not one."""
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = _MINIMAL_COLUMNS.get(cell.strip().lower())
        if field is not None and field not in positions:
            positions[field] = index
    if "name" in positions and "website" in positions:
        return positions
    return None


def _looks_like_data(row: list[str]) -> bool:
    """A headerless minimal CSV row: name, website[, urn]."""
    if not 2 <= len(row) <= 3 or not row[0].strip():
        return False
    website = row[1].strip()
    return not website or normalise_website(website) is not None


def _la_matches(la: str, name: str | None, code: str | None) -> bool:
    wanted = la.strip().casefold()
    return wanted == (name or "").strip().casefold() or wanted == (code or "").strip().casefold()


class _Collector:
    """Keeps schools and problems, and skips duplicate URNs."""

    def __init__(self) -> None:
        self.schools: list[School] = []
        self.problems: list[RowProblem] = []
        self._urn_lines: dict[str, int] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(RowProblem(line, message))

    def add(self, line: int, school: School) -> None:
        if school.urn is not None:
            first = self._urn_lines.get(school.urn)
            if first is not None:
                self.problem(line, f"URN {school.urn} repeats line {first}; row skipped")
                return
            self._urn_lines[school.urn] = line
        self.schools.append(school)


# GIAS column names for the fields we read; looked up by name in each file's header.
_GIAS_COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "website": "SchoolWebsite",
    "la": "LA (name)",
    "la_code": "LA (code)",
    "type": "TypeOfEstablishment (name)",
    "phase": "PhaseOfEducation (name)",
    "age_low": "StatutoryLowAge",
    "age_high": "StatutoryHighAge",
    "trust": "Trusts (name)",
    "status": "EstablishmentStatus (name)",
}


def _gias_positions(header: list[str]) -> dict[str, int]:
    first = {name: index for index, name in reversed(list(enumerate(header)))}
    return {field: first[column] for field, column in _GIAS_COLUMNS.items() if column in first}


def _collect(
    columns: dict[str, int], rows: Iterator[tuple[int, list[str]]], la: str | None, width: int, exact: bool
) -> tuple[_Collector, set[str], int]:
    """Rows -> schools for either format, given where each field sits.

    `width` is the header's field count; a GIAS row must match it exactly
    (`exact`), a minimal CSV row must not exceed it (an unquoted comma).
    Returns the collector, the LA names seen (for suggestions) and how many
    rows matched `la`.
    """

    def get(row: list[str], field: str) -> str | None:
        index = columns.get(field)
        return _clean(row[index]) if index is not None and index < len(row) else None

    out = _Collector()
    la_names: set[str] = set()
    la_matched = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if (exact and len(row) != width) or len(row) > width:
            out.problem(line, f"expected {width} fields as in the header, found {len(row)}; row skipped")
            continue
        la_name = get(row, "la")
        if la_name:
            la_names.add(la_name)
        if la is not None:
            if not _la_matches(la, la_name, get(row, "la_code")):
                continue
            la_matched += 1
        status = get(row, "status")
        if status is not None and status.lower() not in OPERATING_STATUSES:
            continue
        name, urn = get(row, "name"), get(row, "urn")
        if name is None:
            out.problem(line, f"URN {urn}: no school name; row skipped" if urn else "no school name; row skipped")
            continue
        if urn is not None and not urn.isdigit():
            out.problem(line, f"{name}: URN {urn!r} is not a number; row skipped")
            continue
        low, high = _age_range(get(row, "age_range"))
        out.add(
            line,
            School(
                urn=urn,
                name=name,
                website=normalise_website(get(row, "website")),
                la_name=la_name,
                type_name=get(row, "type"),
                phase=_phase(get(row, "phase")),
                age_low=low if low is not None else _age(get(row, "age_low")),
                age_high=high if high is not None else _age(get(row, "age_high")),
                trust=get(row, "trust"),
                status=status,
            ),
        )
    return out, la_names, la_matched


def read_schools(
    path: str | Path, *, la: str | None = None, trust: str | None = None
) -> tuple[list[School], list[RowProblem]]:
    """Read a GIAS export or a minimal CSV; see the module docstring.

    Returns the operating schools (filtered by `la` and by `trust`, a trust
    name in any case, when given) in file order and the rows that were
    skipped. Raises RegistryError when the file cannot be read, its header is
    not recognised, or `la` or `trust` matches no row.
    """
    path = Path(path)
    text = _read_text(path)
    rows = _rows(text)
    first = next(rows, None)
    while first is not None and not any(cell.strip() for cell in first[1]):
        first = next(rows, None)
    if first is None:
        raise RegistryError(f"{path}: the file is empty")
    header = [cell.strip().lstrip("\ufeff").strip() for cell in first[1]]
    la = la.strip() if la and la.strip() else None

    if _is_gias(header):
        out, la_names, la_matched = _collect(_gias_positions(header), rows, la, len(header), exact=True)
    else:
        columns = _minimal_header(header)
        if columns is not None:
            if la is not None and "la" not in columns:
                raise RegistryError(f"{path}: --la needs a GIAS export or an 'la' column; this CSV has neither")
            out, la_names, la_matched = _collect(columns, rows, la, len(header), exact=False)
        elif _looks_like_data(first[1]):
            if la is not None:
                raise RegistryError(f"{path}: --la needs a GIAS export or an 'la' column; this CSV has no header")
            headerless = {"name": 0, "website": 1, "urn": 2}
            out, la_names, la_matched = _collect(headerless, _prepend(first, rows), None, 3, exact=False)
        else:
            shown = ", ".join(header[:6]) + (", ..." if len(header) > 6 else "")
            raise RegistryError(
                f"{path}: unrecognised header ({shown}). Expected a GIAS establishment export "
                f"(with URN, EstablishmentName, SchoolWebsite columns) or a CSV with name,website[,urn]"
            )
    if la is not None and la_matched == 0:
        suggestions = difflib.get_close_matches(la, sorted(la_names), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise RegistryError(f"{path}: no establishments in LA {la!r}{hint}")
    if trust is not None and trust.strip():
        return _in_trust(path, out.schools, trust.strip()), out.problems
    return out.schools, out.problems


def _in_trust(path: Path, schools: list[School], trust: str) -> list[School]:
    """The schools of one trust (GIAS writes trust names in upper case; people type them as they like)."""
    def fold(name: str) -> str:
        return " ".join(name.split()).casefold()

    wanted = fold(trust)
    kept = [s for s in schools if s.trust and fold(s.trust) == wanted]
    if not kept:
        names = sorted({s.trust for s in schools if s.trust})
        if not names:
            raise RegistryError(f"{path}: no school in this list names a trust (GIAS 'Trusts (name)' or a 'trust' column)")
        folded = {fold(name): name for name in names}  # one suggestion per trust, however its schools spell it
        suggestions = [folded[m] for m in difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.5)]
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        raise RegistryError(f"{path}: no open school in trust {trust!r}{hint}")
    return kept


def _prepend(first: tuple[int, list[str]], rest: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    yield first
    yield from rest


__all__ = ["RegistryError", "RowProblem", "School", "decode_registry", "read_schools", "school_type_of"]
