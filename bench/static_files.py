"""Static files from nginx or from whitenoise in a gunicorn worker: which to use in production.

    .venv/bin/python bench/static_files.py [--requests 2000] [--threads 4]

Against a running `make prod-local`: fetches the hashed USWDS stylesheet (gzip) over kept-alive
connections, through nginx (https://127.0.0.1:8443, served from disk) and straight from
gunicorn (whitenoise), and prints requests per second and p50/p99 for each.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import ssl
import statistics
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "var" / "prod" / "static" / "staticfiles.json"


def fetch_many(connect, path: str, count: int, times: list[float]) -> None:
    connection = connect()
    headers = {"Accept-Encoding": "gzip", "Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = connect()
        times.append(time.perf_counter() - started)


def measure(connect, path: str, requests: int, threads: int) -> dict:
    times: list[float] = []
    workers = [
        threading.Thread(target=fetch_many, args=(connect, path, requests // threads, times))
        for _ in range(threads)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(times, n=100)
    return {
        "rps": round(len(times) / elapsed),
        "p50_ms": round(cuts[49] * 1000, 2),
        "p99_ms": round(cuts[98] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    path = "/static/" + json.loads(MANIFEST.read_text())["paths"]["uswds/css/uswds.min.css"]
    insecure = ssl._create_unverified_context()  # noqa: S323  (our own self-signed certificate)
    https_port = int(os.environ.get("CONVENE_HTTPS_PORT", "8443"))
    web_port = int(os.environ.get("CONVENE_WEB_PORT", "8101"))
    results = {
        "nginx": measure(
            lambda: http.client.HTTPSConnection("127.0.0.1", https_port, context=insecure),
            path, args.requests, args.threads,
        ),
        "whitenoise (gunicorn)": measure(
            lambda: http.client.HTTPConnection("127.0.0.1", web_port),
            path, args.requests, args.threads,
        ),
    }  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
