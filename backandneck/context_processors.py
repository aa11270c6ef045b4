from django.conf import settings

from blog.models import Category

from .models import SiteSettings


def site(request):
    """What the header and footer of every page need."""
    return {
        "site_settings": SiteSettings.load(),
        "nav_categories": Category.objects.only("name", "slug"),
        "SITE_URL": settings.SITE_URL,
    }
