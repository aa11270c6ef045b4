from django.conf import settings

from blog.models import Category

from .caching import site_wide
from .models import SiteSettings


def site(request):
    """What the header and footer of every page need, kept until content changes."""
    return {
        "site_settings": site_wide("site_settings", SiteSettings.load),
        "nav_categories": site_wide(
            "nav_categories", lambda: list(Category.objects.only("name", "slug"))
        ),
        "SITE_URL": settings.SITE_URL,
    }
