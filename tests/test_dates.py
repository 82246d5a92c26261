from datetime import date

import pytest

from noticecheck.dates import find_dates


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Last reviewed: September 2019", date(2019, 9, 30)),
        ("01/09/2021", date(2021, 9, 1)),
        ("Reviewed 3rd March 2024", date(2024, 3, 3)),
        ("March 3, 2024", date(2024, 3, 3)),
        ("2024-03-03", date(2024, 3, 3)),
        ("Autumn Term 2020", date(2020, 12, 31)),
        ("academic year 2021/22", date(2022, 7, 31)),
        ("updated 2019", date(2019, 12, 31)),
    ],
)
def test_reads_the_ways_schools_write_dates(text, expected):
    assert find_dates(text)[0][0] == expected


def test_names_of_laws_are_not_dates():
    assert find_dates("the Data Protection Act 2018 and the Regulations 2013") == []


def test_impossible_dates_are_ignored():
    assert find_dates("31/02/2021")[0][0] == date(2021, 2, 28)
    # no such day or month: only the year is read
    assert [d for d, _, _ in find_dates("45/13/2021")] == [date(2021, 12, 31)]
