"""
WSGI app for the benchmarks: the site, plus /__ceiling__/ answering a saved copy of the article
page from memory. Served by the same gunicorn, it is the fastest any page could be here: the
ceiling that the real pages are compared with.
"""

import os
from pathlib import Path

CEILING_PATH = "/__ceiling__/"
_page = None

if os.environ.get("BENCH_CEILING_FILE"):  # Inside gunicorn, not when bench scripts import this.
    from backandneck.wsgi import application as site


def application(environ, start_response):
    global _page
    if environ.get("PATH_INFO") != CEILING_PATH:
        return site(environ, start_response)
    if _page is None:
        _page = Path(os.environ["BENCH_CEILING_FILE"]).read_bytes()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(_page)))]
    start_response("200 OK", headers)
    return [_page]
