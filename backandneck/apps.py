from urllib.parse import urlsplit

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def sync_site_domain(using, apps=global_apps, **kwargs):
    """
    Keep django.contrib.sites' row (used by feeds, sitemaps, flatpages) equal to SITE_URL.

    `flush` (run after every transactional test) sends post_migrate without `apps`.
    """
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Back & Neck"}
    )


class BackAndNeckConfig(AppConfig):
    name = "backandneck"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.flatpages.models import FlatPage
        from django.contrib.sites.models import Site

        import pagecache

        from . import database, logs

        # After contrib.sites' own migrations (the project package has no models of its own).
        post_migrate.connect(sync_site_domain, sender=global_apps.get_app_config("sites"))
        # Django's flatpages and sites, wired here: the pages, and the domain feeds link to.
        pagecache.declare_content(FlatPage, Site, external=True)
        pagecache.page_parameter("sitemap_section", "p")
        pagecache.tag_pages("sitemap", tags=[pagecache.shared_cache.SITEMAP])
        connection_created.connect(logs.install_slow_query_log, dispatch_uid="slow-query-log")
        database.install()


class AdminConfig(admin_apps.AdminConfig):
    """The admin, with the editors' dashboard as its front page (backandneck/dashboard.py)."""

    default = False  # Listed by its full path in INSTALLED_APPS, in place of the admin's own.

    default_site = "backandneck.dashboard.AdminSite"
