"""Reading school lists: GIAS exports (cp1252, by column name) and minimal CSVs."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from noticecheck.fetch.registry import RegistryError, School, decode_registry, read_schools, school_type_of

GIAS_HEADER = Path("/work/shared/gias/header.csv")


def gias_header() -> list[str]:
    if GIAS_HEADER.exists():
        return next(csv.reader(io.StringIO(GIAS_HEADER.read_text(encoding="ascii"))))
    # A trimmed stand-in with the columns the reader uses, for machines without the shared copy.
    return [
        "URN", "LA (code)", "LA (name)", "EstablishmentName", "TypeOfEstablishment (name)",
        "EstablishmentStatus (name)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
        "Trusts (name)", "SchoolWebsite", "Postcode",
    ]  # fmt: skip


NUMERIC = {"URN", "StatutoryLowAge", "StatutoryHighAge", "LA (code)"}


def gias_line(header: list[str], values: dict[str, str]) -> str:
    """One row as GIAS writes it: text quoted (empty as ""), numbers bare."""
    cells = []
    for column in header:
        value = values.get(column, "")
        if column in NUMERIC and (value == "" or value.isdigit()):
            cells.append(value)
        else:
            cells.append('"' + value.replace('"', '""') + '"')
    return ",".join(cells)


def school(urn, name, la_code="886", la="Kent", status="Open", website="www.example.org", **extra) -> dict[str, str]:
    row = {
        "URN": str(urn),
        "LA (code)": la_code,
        "LA (name)": la,
        "EstablishmentName": name,
        "EstablishmentStatus (name)": status,
        "TypeOfEstablishment (name)": extra.pop("type", "Community school"),
        "PhaseOfEducation (name)": extra.pop("phase", "Primary"),
        "StatutoryLowAge": extra.pop("low", "4"),
        "StatutoryHighAge": extra.pop("high", "11"),
        "Trusts (name)": extra.pop("trust", ""),
        "SchoolWebsite": website,
        "Postcode": "ME1 1AA",
    }
    row.update(extra)
    return row


def write_gias(path: Path, rows: list[dict[str, str]], header: list[str] | None = None, extra_lines=()) -> Path:
    header = header or gias_header()
    lines = [",".join(f'"{column}"' for column in header)]
    lines += [gias_line(header, row) for row in rows]
    lines += list(extra_lines)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.fixture
def gias_file(tmp_path: Path) -> Path:
    rows = [
        school(118001, "St Mary’s CofE Primary School", website="www.stmarys.kent.sch.uk", type="Voluntary aided school"),
        school(
            139002, "Oakwood Academy – Upper School", website=" HTTP://Oakwood.Example.ORG/Home ",
            type="Academy converter", phase="Secondary", low="11", high="18", trust="OAKWOOD LEARNING TRUST",
        ),
        school(118003, "Closed Infant School", status="Closed"),
        school(118004, "Marsh Lane Primary, Dover", status="Open, but proposed to close", website="n/a"),
        school(801005, "Bristol School", la_code="801", la="Bristol, City of"),
        school(118006, "Adult Learning Centre", low="99", high="99", phase="Not applicable", website=""),
        school(118007, "Hillside Special School", low="", high="", type="Other independent special school", phase="Not applicable"),
        school(118008, "", website="www.noname.org"),  # no name: reported, skipped
        school(118009, "Château\u00a0Vert Nursery School", type="Local authority nursery school", phase="Nursery", low="2", high="5"),
        school(118001, "St Mary’s again", website="www.dup.org"),  # repeated URN
    ]
    return write_gias(tmp_path / "edubasealldata20250101.csv", rows, extra_lines=['118010,"886","Kent","Short row"'])


def test_gias_export_keeps_operating_schools_in_the_la(gias_file):
    schools, problems = read_schools(gias_file, la="Kent")
    names = [s.name for s in schools]
    assert names == [
        "St Mary’s CofE Primary School",
        "Oakwood Academy – Upper School",
        "Marsh Lane Primary, Dover",
        "Adult Learning Centre",
        "Hillside Special School",
        "Château Vert Nursery School",
    ]
    assert "Bristol School" not in names and "Closed Infant School" not in names
    by_urn = {s.urn: s for s in schools}
    oakwood = by_urn["139002"]
    assert oakwood == School(
        urn="139002", name="Oakwood Academy – Upper School", website="http://oakwood.example.org/Home",
        la_name="Kent", type_name="Academy converter", phase="Secondary", age_low=11, age_high=18,
        trust="OAKWOOD LEARNING TRUST", status="Open",
    )  # fmt: skip
    assert oakwood.school_type == "academy"
    assert by_urn["118001"].website == "https://www.stmarys.kent.sch.uk/"
    assert by_urn["118001"].school_type == "maintained"
    assert by_urn["118004"].status == "Open, but proposed to close"
    assert by_urn["118004"].website is None  # "n/a" is not a website
    adult = by_urn["118006"]
    assert (adult.age_low, adult.age_high, adult.phase, adult.website) == (None, None, None, None)
    assert by_urn["118007"].school_type == "independent"
    assert by_urn["118009"].school_type == "maintained"

    messages = {p.line: p.message for p in problems}
    assert "no school name" in messages[9]
    assert "repeats line 2" in messages[11]
    assert "fields" in messages[12]
    assert len(problems) == 3


def test_la_filter_by_code_and_case(gias_file):
    by_code, _ = read_schools(gias_file, la="801")
    assert [s.name for s in by_code] == ["Bristol School"]
    by_name, _ = read_schools(gias_file, la="bristol, CITY OF")
    assert by_name == by_code
    everyone, _ = read_schools(gias_file)
    assert len(everyone) == 7


def test_unknown_la_is_an_error_with_a_suggestion(gias_file):
    with pytest.raises(RegistryError, match="did you mean 'Kent'"):
        read_schools(gias_file, la="Kentt")


def test_columns_are_found_by_name_not_position(tmp_path):
    header = gias_header()
    random.Random(7).shuffle(header)
    path = write_gias(tmp_path / "shuffled.csv", [school(100001, "Shuffled School", website="shuffled.org")], header)
    schools, problems = read_schools(path)
    assert problems == []
    assert (schools[0].urn, schools[0].name, schools[0].website) == ("100001", "Shuffled School", "https://shuffled.org/")


def test_undefined_cp1252_bytes_fall_back_to_latin1():
    text, encoding = decode_registry("Caf\u00e9 \u2019".encode("cp1252") + b" \x81\x9d")
    assert encoding == "cp1252"
    assert text == "Café ’ \x81\x9d"


def test_utf8_with_bom_is_read(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes("\ufeffName,Website,URN\r\nSt Mary’s,www.stmarys.org,123456\r\n".encode("utf-8"))
    schools, problems = read_schools(path)
    assert problems == []
    assert schools == [School(urn="123456", name="St Mary’s", website="https://www.stmarys.org/")]


def test_minimal_csv_with_optional_columns(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text(
        "name,website,urn,phase,age_range,type,trust\n"
        'Hill School,hill.sch.uk,,Secondary,11-18,academy,Hill Trust\n'
        '"Vale, The Primary",http://vale.example.org/,200002,Primary,4 to 11,Community school,\n'
        ",www.nameless.org,200003,,,,\n"
        "Bad Urn School,www.bad.org,12X,,,,\n",
        encoding="utf-8",
    )
    schools, problems = read_schools(path)
    assert [s.name for s in schools] == ["Hill School", "Vale, The Primary"]
    hill, vale = schools
    assert (hill.urn, hill.age_low, hill.age_high, hill.school_type, hill.trust) == (None, 11, 18, "academy", "Hill Trust")
    assert (vale.urn, vale.website, vale.age_low, vale.school_type) == ("200002", "http://vale.example.org/", 4, "maintained")
    assert [(p.line, "no school name" in p.message) for p in problems][0] == (4, True)
    assert problems[1].line == 5 and "not a number" in problems[1].message


def test_headerless_minimal_csv(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("Hill School,hill.sch.uk,100001\nVale Primary,www.vale.org\nToo,Many,Fields,Here\n", encoding="utf-8")
    schools, problems = read_schools(path)
    assert [(s.name, s.urn) for s in schools] == [("Hill School", "100001"), ("Vale Primary", None)]
    assert problems[0].line == 3 and "fields" in problems[0].message


def test_la_filter_needs_an_la_column(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text("name,website\nHill,hill.org\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="'la' column"):
        read_schools(path, la="Kent")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"foo,bar,baz,qux\n1,2,3,4\n", "unrecognised header"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
    ],
)
def test_unreadable_files_raise_clear_errors(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(RegistryError, match=message):
        read_schools(path)


def test_missing_file(tmp_path):
    with pytest.raises(RegistryError, match="no such file"):
        read_schools(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    "type_name, expected",
    [
        ("Academy converter", "academy"),
        ("Academy sponsor led", "academy"),
        ("Free schools", "academy"),
        ("Free schools 16 to 19", "academy"),
        ("University technical college", "academy"),
        ("Studio schools", "academy"),
        ("Community school", "maintained"),
        ("Voluntary aided school", "maintained"),
        ("Voluntary controlled school", "maintained"),
        ("Foundation school", "maintained"),
        ("Foundation special school", "maintained"),
        ("Pupil referral unit", "maintained"),
        ("Local authority nursery school", "maintained"),
        ("Other independent school", "independent"),
        ("Other independent special school", "independent"),
        ("Non-maintained special school", "independent"),
        ("Further education", None),
        ("Welsh establishment", None),
        (None, None),
    ],
)
def test_school_type_from_establishment_type(type_name, expected):
    assert school_type_of(type_name) == expected


def test_trust_filter_on_a_simple_csv_any_case_with_suggestions(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text(
        "name,website,urn,trust\n"
        "Alder Academy,alder.example,1,NORTH  STAR TRUST\n"
        "Birch Academy,birch.example,2,North Star Trust\n"
        "Cedar Primary,cedar.example,3,\n"
        "Damson Academy,damson.example,4,SOUTH WIND TRUST\n",
        encoding="utf-8",
    )
    schools, _ = read_schools(path, trust="north star trust")
    assert [s.name for s in schools] == ["Alder Academy", "Birch Academy"]
    with pytest.raises(RegistryError, match=r"no open school in trust 'North Star'; did you mean '(North Star Trust|NORTH  STAR TRUST)'\?"):
        read_schools(path, trust="North Star")
    plain = tmp_path / "plain.csv"
    plain.write_text("name,website\nAlder,alder.example\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="no school in this list names a trust"):
        read_schools(plain, trust="North Star Trust")
