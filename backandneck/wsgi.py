import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backandneck.settings")

from pagecache.pages import FastPath  # noqa: E402  (needs the settings module named)

# Stored pages are answered before Django builds a request (backandneck/caching.py).
application = FastPath(get_wsgi_application())
