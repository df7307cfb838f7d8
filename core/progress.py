"""Progress reporting for long work: core functions take a `Progress` callback; the CLI shows tqdm, the GUI a bar."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

#: progress(done, total) — total may be None when unknown. Called from the worker thread.
Progress = Callable[[int, "int | None"], None]


def null_progress(done: int, total: int | None) -> None:
    return None


@contextlib.contextmanager
def cli_progress(desc: str, total: int | None = None, enabled: bool = True) -> Iterator[Progress]:
    """A tqdm bar on stderr driven by progress(done, total) calls."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="", unit_scale=True, file=sys.stderr,
               disable=not enabled, dynamic_ncols=True, mininterval=0.2)

    def update(done: int, new_total: int | None) -> None:
        if new_total is not None and bar.total != new_total:
            bar.total = new_total
        bar.n = done
        bar.refresh() if done == new_total else bar.update(0)

    try:
        yield update
    finally:
        bar.close()
