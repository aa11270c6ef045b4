from django.apps import AppConfig
from django.db.models.signals import post_save


class SiteConfigConfig(AppConfig):
    name = "siteconfig"
    verbose_name = "Site"

    def ready(self):
        from django.contrib.flatpages.models import FlatPage

        import pagecache

        from .models import PageTimestamp, SiteSettings, SocialLink

        post_save.connect(PageTimestamp.page_saved, sender=FlatPage, dispatch_uid="page-timestamp")
        pagecache.declare_content(SiteSettings, SocialLink)
