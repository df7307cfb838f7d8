"""Shared benchmark helpers: timing samples, percentiles, and the demo store a benchmark reuses."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from core.paths import data_dir


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile of samples (p in 0–100)."""
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def time_each(fn: Callable, inputs: Iterable) -> list[float]:
    """Milliseconds per call of fn(x) for each input."""
    out = []
    for x in inputs:
        t0 = time.perf_counter()
        fn(x)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bench_folder(args, name: str, products: int) -> Path:
    """A data folder per benchmark and size, under the data dir, reused between runs."""
    folder = data_dir(getattr(args, "data_dir", None)) / "bench" / f"{name}-{products}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_store(args, name: str, products: int, quiet: bool = False):
    """The demo shop with `products` products for a benchmark (built once, then reused)."""
    from core.cli.demo_cmd import ensure_demo

    store, _ = ensure_demo(bench_folder(args, name, products), products, quiet=quiet)
    return store


def ms(value: float) -> float:
    return round(value, 3)
