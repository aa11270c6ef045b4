"""
Old addresses keep working: permanent redirects and "410 Gone" answers, stored with
django.contrib.redirects.

The rule that keeps them sane: a redirect always points at a live address, never at another
redirect. So when an address moves, redirects that pointed at it are moved along (chains
collapse to one hop), and the new address loses any redirect of its own (it is live now). That
also makes loops impossible: renaming a post back to its old slug removes the redirect from it.
"""

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render


def site_redirects():
    return Redirect.objects.filter(site_id=settings.SITE_ID)


@transaction.atomic
def record_move(old_path, new_path):
    """Redirect old_path permanently to new_path (an empty new_path means "gone")."""
    if old_path == new_path:
        return
    site_redirects().filter(new_path=old_path).update(new_path=new_path)
    if new_path:
        mark_live(new_path)
    Redirect.objects.update_or_create(
        site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path}
    )


def mark_live(path):
    """Forget redirects from path: something lives there now."""
    site_redirects().filter(old_path=path).delete()


def redirect_target_of(path):
    return site_redirects().filter(old_path=path).values_list("new_path", flat=True).first()


class RedirectMiddleware(RedirectFallbackMiddleware):
    """
    contrib.redirects' fallback for 404s, with a readable page for addresses that are gone,
    and the old WordPress site's addresses (blog/old_links.py) sent to their closest page.
    """

    def process_request(self, request):
        from . import old_links  # It reads the models, which use this module.

        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            target = old_links.wordpress_query(request)
            if target:
                return HttpResponsePermanentRedirect(target)
        return None

    def process_response(self, request, response):
        from . import old_links

        response = super().process_response(request, response)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            target = old_links.closest_page(request)
            if target and target != request.get_full_path():
                return HttpResponsePermanentRedirect(target)
        if response.status_code == 410 and not response.content:
            return render(request, "410.html", status=410)
        return response
