from django.conf import settings

from blog import directory
from pagecache import per_generation
from siteconfig.models import SiteSettings


def site(request):
    """What the header and footer of every page need, kept until content changes."""
    return {
        "site_settings": per_generation("site_settings", SiteSettings.load, copied=True),
        # Called by the header only when its fragment is rendered (once per generation).
        "nav_categories": directory.navigation,
        "SITE_URL": settings.SITE_URL,
    }
