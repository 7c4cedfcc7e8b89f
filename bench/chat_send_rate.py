"""The chat send rate across a window boundary: the old fixed window against the sliding one.

    python tests/services.py -- .venv/bin/python bench/chat_send_rate.py

Attempts a send every 0.25 s for 7.75 s, starting 2.5 s before a 10-second boundary, and counts
how many each limit lets through for one member (limit 10 in 10 s). A fixed window
(network.ratelimit, which chat used before) restarts at the boundary and lets 20 through; the
sliding window (messaging.throttle) lets 10.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from messaging.throttle import RateLimited, check_send  # noqa: E402
from network import ratelimit  # noqa: E402

MEMBER = 999_999  # no such member: only Redis is asked while it is up


def main() -> None:
    while not 7.5 <= time.time() % 10 < 7.6:
        time.sleep(0.01)
    fixed = sliding = 0
    start = time.time()
    for n in range(32):
        if ratelimit.retry_after(scope="bench", user_id=MEMBER, limit=10, window=10) is None:
            fixed += 1
        try:
            check_send(MEMBER)
            sliding += 1
        except RateLimited:
            pass
        time.sleep(max(0.0, start + (n + 1) * 0.25 - time.time()))
    took = time.time() - start
    print(f"over {took:.2f} s: fixed window let {fixed} through, sliding window {sliding}")


if __name__ == "__main__":
    main()
