from django.conf import settings

from blog import directory
from siteconfig.models import SiteSettings

from .caching import site_wide


def site(request):
    """What the header and footer of every page need, kept until content changes."""
    return {
        "site_settings": site_wide("site_settings", SiteSettings.load),
        "nav_categories": directory.navigation(),
        "SITE_URL": settings.SITE_URL,
    }
