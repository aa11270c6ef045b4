from django.conf import settings

from blog import directory
from pagecache.pages import site_wide

from .models import SiteSettings


def site(request):
    """What the header and footer of every page need, kept until content changes."""
    return {
        "site_settings": site_wide("site_settings", SiteSettings.load),
        "nav_categories": directory.navigation(),
        "SITE_URL": settings.SITE_URL,
    }
