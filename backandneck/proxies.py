from django.conf import settings


class ForwardedForMiddleware:
    """
    Behind NUM_PROXIES trusted proxies, use the client address they recorded as REMOTE_ADDR.

    Each proxy appends the address it was called from to X-Forwarded-For, so the client is the
    NUM_PROXIES-th entry from the right; anything further left was written by the client and is
    ignored. Rate limits, login throttling (django-axes) and the newsletter's limits all read
    REMOTE_ADDR, so fixing it here fixes them all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.NUM_PROXIES:
            hops = [
                hop.strip()
                for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()
            ]
            if len(hops) >= settings.NUM_PROXIES:
                request.META["REMOTE_ADDR"] = hops[-settings.NUM_PROXIES]
        return self.get_response(request)
