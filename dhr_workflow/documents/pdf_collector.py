"""Python's cyclic garbage collector paused while WeasyPrint makes a PDF, and run once at the end (ADR 0059).

WeasyPrint's box tree is millions of objects linked both ways (parents and children), all alive until the PDF is
written. The collector's full passes scan every live object and run each time the live heap has grown by a quarter,
so a long document pays for scanning its own growing tree a dozen times: 3.9 s of 17 s in `render` and 2.6 s of
8.6 s in `write_pdf` for the 5,000-row chronology, while finding almost nothing to free (the tree is not garbage
until the PDF is made). Paused, the garbage is collected once at the end, when the tree is garbage too: one young
pass over what the render made, 1.25 s for that chronology. The cost is memory: the render's cyclic garbage
waits for that pass (peak 524 MB -> 705 MB for 5,000 rows).

The collector's switch is process-wide, so overlapping renders in threads share one pause: the first turns it off,
the last turns it back on and collects. A collector someone else had turned off is left off."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pause:
    lock = threading.Lock()
    renders = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    with _Pause.lock:
        if _Pause.renders == 0:
            _Pause.was_enabled = gc.isenabled()
            gc.disable()
        _Pause.renders += 1
    try:
        yield
    finally:
        with _Pause.lock:
            _Pause.renders -= 1
            resume = _Pause.renders == 0 and _Pause.was_enabled
            if resume:
                gc.enable()
        if resume:
            # Only the youngest generation: everything made while paused is there, the render's garbage included.
            gc.collect(0)
