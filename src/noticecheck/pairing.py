"""One way to match findings between two results: the baseline, `noticecheck diff` and scan changes all use it.

Findings are matched by a key the caller chooses (never by line number, which
moves when text is edited): (document, rule, section) for a baseline, (rule,
section) for diff, (audience, rule) for a school between two scans. Within a
key, items the caller calls `same` (diff: the same quote) pair first, then the
rest pair in order; what is left over on the new side is "added" (the last in
order, so editing above a known finding does not make it new) and on the old
side "gone".
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Old = TypeVar("Old")
New = TypeVar("New")


@dataclass(frozen=True)
class Pairing(Generic[Old, New]):
    kept: tuple[tuple[Old, New], ...]  # matched (old, new) pairs, in the new side's order
    added: tuple[New, ...]  # only in the new side, in its order
    gone: tuple[Old, ...]  # only in the old side, in its order


def pair(
    old: Sequence[Old],
    new: Sequence[New],
    key: Callable[[New], Hashable],
    *,
    old_key: Callable[[Old], Hashable] | None = None,
    same: Callable[[Old, New], bool] | None = None,
) -> Pairing[Old, New]:
    """Match `old` with `new` by key (`old_key` for the old side when its items differ in kind)."""
    old_key = old_key or key
    waiting: dict[Hashable, list[int]] = {}
    for i, item in enumerate(old):
        waiting.setdefault(old_key(item), []).append(i)
    match: dict[int, int] = {}  # new index -> old index
    by_key: dict[Hashable, list[int]] = {}
    for j, item in enumerate(new):
        by_key.setdefault(key(item), []).append(j)
    for k, js in by_key.items():
        candidates = waiting.get(k, [])
        if same is not None:
            for j in js:
                hit = next((i for i in candidates if same(old[i], new[j])), None)
                if hit is not None:
                    candidates.remove(hit)
                    match[j] = hit
        rest = [j for j in js if j not in match]
        for j, i in zip(rest, list(candidates)):
            candidates.remove(i)
            match[j] = i
    matched_old = set(match.values())
    return Pairing(
        kept=tuple((old[match[j]], new[j]) for j in range(len(new)) if j in match),
        added=tuple(new[j] for j in range(len(new)) if j not in match),
        gone=tuple(old[i] for i in range(len(old)) if i not in matched_old),
    )
