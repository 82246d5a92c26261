"""The reports' scratch file: groups come back in first-seen order with their members in the order given, and origins read back as written."""

from __future__ import annotations

from noticecheck.scan.scratch import Scratch


def test_groups_in_the_order_first_seen_with_members_in_order_and_the_first_spelling():
    items = [("oak", "Oak Trust", "k3"), ("birch", "Birch", "k1"), ("oak", "OAK  TRUST", "k2"), ("cedar", "Cedar", "k9"),
             ("birch", "birch", "k0"), ("oak", "Oak Trust", "k7")]
    with Scratch() as scratch:
        assert list(scratch.group(iter(items))) == [
            ("oak", "Oak Trust", ["k3", "k2", "k7"]), ("birch", "Birch", ["k1", "k0"]), ("cedar", "Cedar", ["k9"]),
        ]
        assert list(scratch.group(iter([]))) == []  # a second use starts empty


def test_origins_read_back_and_a_later_value_replaces_an_earlier_one():
    with Scratch() as scratch:
        scratch.update({(1, "npd-missing"): "template", (1, "dpo-missing"): "school", (None, "npd-missing"): "school"})
        scratch.update({(1, "npd-missing"): "school"})
        assert scratch.get((1, "npd-missing")) == "school"
        assert scratch.get((1, "dpo-missing"), "") == "school"
        assert scratch.get((None, "npd-missing")) == "school"
        assert scratch.get((2, "npd-missing"), "") == ""



def test_rows_come_back_largest_first_then_by_sort_key_then_as_added():
    from noticecheck.scan.scratch import Pages, Rows

    with Scratch() as scratch:
        for name, size in (("beta", 3), ("Alpha", 3), ("gamma", 5), ("alpha", 3), ("Zed", 1)):
            scratch.add_row(name, size, name.casefold(), {"name": name, "size": size})
        rows = Rows(scratch)
        assert [r["name"] for r in rows] == ["gamma", "Alpha", "alpha", "beta", "Zed"]
        assert len(rows) == 5 and bool(rows) and list(rows) == list(rows)  # walked again, same rows
        pages = Pages(scratch, lambda name: f"trusts/{name}.html")
        assert "Alpha" in pages and "ALPHA" not in pages and None not in pages
        assert pages["Zed"] == "trusts/Zed.html"
        assert not Rows(Scratch())
