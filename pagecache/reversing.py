from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_cached(viewname, *args):
    """
    reverse(viewname, args=args), remembered: pages ask for the addresses of the same posts
    and categories many times (cards, breadcrumbs, structured data), and reverse() costs more
    than the rest of rendering a link.
    """
    return _reverse(viewname, args, get_urlconf(), get_script_prefix())


@lru_cache(maxsize=10_000)
def _reverse(viewname, args, urlconf, script_prefix):
    return reverse(viewname, args=args, urlconf=urlconf)


def _forget(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


setting_changed.connect(_forget)
