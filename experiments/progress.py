"""Signs of life in a job's log: `for item in progress(items, "cells"):` writes how many are
done, the time elapsed and an estimate of the time left, at most every `every` seconds."""

import sys
import time


def progress(items, what: str, every: float = 10.0):
    """Yield `items`, logging 'what i/n done, elapsed, ~left' to stderr as they complete."""
    items = list(items)
    start = last = time.perf_counter()
    for i, item in enumerate(items, start=1):
        yield item
        now = time.perf_counter()
        if now - last >= every or i == len(items):
            left = (now - start) / i * (len(items) - i)
            print(
                f"{what} {i}/{len(items)} done, {now - start:.0f} s elapsed, ~{left:.0f} s left",
                file=sys.stderr,
                flush=True,
            )
            last = now
