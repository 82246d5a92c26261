"""pairing.pair: the one way findings are matched between two results."""

from noticecheck.pairing import pair


def test_pairs_by_key_and_leaves_the_last_extra_as_added():
    old = [("dpo", "a"), ("npd", "b")]
    new = [("dpo", "x"), ("dpo", "y"), ("rights", "z")]
    matched = pair(old, new, key=lambda item: item[0])
    assert matched.kept == ((("dpo", "a"), ("dpo", "x")),)
    assert matched.added == (("dpo", "y"), ("rights", "z"))
    assert matched.gone == (("npd", "b"),)


def test_same_items_pair_first_then_the_rest_in_order():
    old = [("url", "old link"), ("url", "kept link")]
    new = [("url", "new link"), ("url", "kept link")]
    matched = pair(old, new, key=lambda item: item[0], same=lambda a, b: a[1] == b[1])
    assert (("url", "kept link"), ("url", "kept link")) in matched.kept
    assert (("url", "old link"), ("url", "new link")) in matched.kept
    assert matched.added == () and matched.gone == ()


def test_old_side_may_be_bare_keys_with_counts_spelled_out():
    accepted = ["dpo", "dpo"]
    findings = [("dpo", 1), ("dpo", 2), ("dpo", 3)]
    matched = pair(accepted, findings, key=lambda f: f[0], old_key=lambda k: k)
    assert [f for _, f in matched.kept] == [("dpo", 1), ("dpo", 2)] and matched.added == (("dpo", 3),)
    assert pair(accepted, findings[:1], key=lambda f: f[0], old_key=lambda k: k).gone == ("dpo",)
