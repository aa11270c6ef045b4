"""
gunicorn settings for Back & Neck: `gunicorn --config deploy/gunicorn.conf.py`.

Environment: GUNICORN_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (worker processes, default
two per core plus one) and GUNICORN_MAX_REQUESTS (default 0: workers are never recycled), plus
the site's own variables (docs/production.md).
"""

import multiprocessing
import os

from gunicorn.http import wsgi as gunicorn_wsgi

wsgi_app = "backandneck.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a page is either a cache hit (microseconds) or CPU-bound rendering, and nginx in
# front buffers slow clients, so threads or async workers would add overhead, not throughput.
# (What a process keeps in memory is behind a lock, so threads would be safe too:
# pagecache/generations.py.)
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
# Workers are not recycled after a number of requests: at cached rates (thousands a second) the
# 100,000 of before restarted each worker about once a minute, both at once now and then, and
# each restart empties that worker's in-process pages. What a worker keeps is bounded (the page
# cache's LRU, the values and fragments kept per generation), and bench/shared_cache.py checks
# that the workers' memory stays flat under a run of cached requests at full rate. Should a
# library ever leak, GUNICORN_MAX_REQUESTS (say 5000000) recycles them again, each at its own
# time (jitter: a tenth).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# The site logs every request as JSON itself (backandneck/logs.py); gunicorn logs only its own
# events, to stderr, which systemd's journal keeps.
accesslog = None
errorlog = "-"
# nginx on the same machine terminates TLS and says so in X-Forwarded-Proto.
forwarded_allow_ips = "127.0.0.1,::1"
# gunicorn 25+ opens a control socket at one fixed path per user, which two sites (or a site and
# a benchmark) on one host would fight over; nothing here uses it.
control_socket_disable = True
# gunicorn names itself in a Server header of every response; behind nginx readers see nginx's
# instead, but a load balancer straight to gunicorn would pass it on. Software names help only
# scanners. (Each response reads this name when it is made, in every worker forked from here.)
gunicorn_wsgi.SERVER = "backandneck"
