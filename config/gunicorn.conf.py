"""gunicorn settings, from the environment (docs/deployment.md).

    gunicorn -c config/gunicorn.conf.py config.wsgi

Threaded workers: most of a request's time is spent waiting for PostgreSQL, so two
threads per process keep the cores busy at little memory cost. A worker holds about
200–300 MB once pandas and Wagtail are loaded.
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 × cores + 1 processes: 5 on a 2-core machine.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Long enough for an Excel export of a large roll-up; imports above
# IMPORT_BACKGROUND_THRESHOLD rows run in the task worker, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5  # nginx keeps upstream connections open
# Restart a worker now and then (jittered, so not all at once): bounded memory.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# The proxy's address: only it may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory, not on a possibly slow disk (containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Access and error logs to stdout/stderr, for systemd's journal or the container.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
