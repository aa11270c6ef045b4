import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backandneck.settings")

from backandneck.logs import log_request  # noqa: E402  (needs the settings module named)
from pagecache.pages import FastPath  # noqa: E402

# Stored pages are answered before Django builds a request (pagecache/pages.py).
application = FastPath(get_wsgi_application(), log_hit=log_request)
