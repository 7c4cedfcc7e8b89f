"""Gunicorn settings for the page servers (config.wsgi), behind nginx (config/nginx.conf.template).

Values come from the environment so that every machine runs the same file (docs/deploy.md).
"""

from __future__ import annotations

import os

PORT = os.environ.get("CONVENE_WEB_PORT", "8101")
bind = os.environ.get("CONVENE_WEB_BIND") or f"127.0.0.1:{PORT}"
# Sync workers: a page is a few short queries over a persistent connection, and each worker
# holds one. Two per core plus one keeps the cores busy while some wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)
worker_class = "sync"
# Load Django once in the master and fork: workers share its memory and start at once.
preload_app = True
# Recycle a worker now and then, so a slow leak cannot grow for ever (jitter: not all at once).
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
worker_tmp_dir = "/dev/shm"  # noqa: S108  (heartbeat files in memory, as gunicorn advises)
accesslog = None  # nginx logs every request with its timings
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "convene-web"


def post_fork(server, worker) -> None:  # gunicorn's hook signature
    from django.db import connections

    connections.close_all()  # a connection opened in the master must not be shared
