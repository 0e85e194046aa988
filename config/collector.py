"""Python's cycle collector paused for bulk work (pure Python, any app may use it)."""

import contextlib
import gc


@contextlib.contextmanager
def cycle_collector_paused():
    """Python's cycle collector walks every live object whenever enough new ones have been allocated.
    Reading a 20,000-task appendix allocates a few hundred thousand cells, mentions and preview
    entries that stay alive to the end, so each walk is longer than the last: about 40 % of the
    preview and a quarter of the commit (bench/README.md). Neither leaves cycles that need collecting
    before it ends; the collector is restored as it was, even when the work raises."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
