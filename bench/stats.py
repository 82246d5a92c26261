"""Summaries of repeated measurements: median, quartiles, range and a relative spread.

The machines are shared, so a single timing means little; every figure is
the median of several runs, and `spread` (interquartile range over the
median) says how noisy those runs were.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def quantile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile (q in [0, 1]) of a non-empty sequence."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(values: Sequence[float]) -> dict:
    """{"median", "q1", "q3", "min", "max", "n", "spread"}; spread = (q3 - q1) / median."""
    values = [float(v) for v in values]
    if not values:
        raise ValueError("no values to summarise")
    median = statistics.median(values)
    q1, q3 = quantile(values, 0.25), quantile(values, 0.75)
    return {
        "median": median,
        "q1": q1,
        "q3": q3,
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "spread": (q3 - q1) / median if median else 0.0,
    }


def describe(s: dict, unit: str = "", digits: int = 3) -> str:
    """"1.23 s (n=10, IQR 1.20-1.30, range 1.10-1.60, spread 8%)"."""
    u = f" {unit}" if unit else ""
    fmt = f"{{:.{digits}g}}"
    if s["n"] == 1:
        return f"{fmt.format(s['median'])}{u} (n=1)"
    return (
        f"{fmt.format(s['median'])}{u} (n={s['n']}, IQR {fmt.format(s['q1'])}-{fmt.format(s['q3'])}, "
        f"range {fmt.format(s['min'])}-{fmt.format(s['max'])}, spread {s['spread'] * 100:.0f}%)"
    )
