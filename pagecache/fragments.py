"""
The key function of CACHES["fragments"], the cache of Django's {% cache %} tag: every key holds
the current content generation's token, so a fragment rendered before a content change is never
found after it (and the least recently used are dropped by the cache's MAX_ENTRIES):

    {% cache None "header" request.resolver_match.url_name using="fragments" %}…{% endcache %}

The vary-on values name what else the fragment depends on besides the site's content.
"""

import uuid

from .generations import current_token


def generation_key(key, key_prefix, version):
    try:
        token = current_token()
    except Exception:  # Cache or database trouble: a key nobody finds, so the part is rendered.
        token = uuid.uuid4().hex
    return f"{key_prefix}:{version}:{token}:{key}"
