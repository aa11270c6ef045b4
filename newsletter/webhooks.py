"""
The email services' bounce and complaint webhooks (/anymail/<service>/tracking/), refused until
they are secured, and the deployment check that says so.

django-anymail takes events from anyone while ANYMAIL_WEBHOOK_SECRET is unset (it only warns),
and one forged "bounced" or "complained" event stops a reader's newsletter. So every webhook
answers 403 until anymail would check who sent the request: the shared secret
(ANYMAIL_WEBHOOK_SECRET="user:password", sent by the service as HTTP basic auth), or the
service's own signature where anymail verifies one (ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY,
ANYMAIL_MANDRILL_WEBHOOK_KEY, ANYMAIL_POSTAL_WEBHOOK_KEY, …). The inbound-mail webhooks are
not routed at all: the site receives no mail.
"""

import functools
import warnings

from anymail import urls as anymail_urls
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseForbidden
from django.urls import URLPattern

# Where anymail keeps a service's signing key; None there means "not configured".
_SIGNING_KEYS = ("webhook_key", "webhook_signing_key")

REFUSED = (
    "This webhook is switched off until it is secured: set ANYMAIL_WEBHOOK_SECRET "
    "(or the email service's webhook signing key).\n"
)


def is_secured(view):
    """True when anymail checks the sender of every request to this webhook view."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # AnymailInsecureWebhookWarning: what we check here.
        try:
            webhook = view.view_class(**view.view_initkwargs)
        except ImproperlyConfigured:  # A service whose signing key is required and missing.
            return False
    if getattr(webhook, "basic_auth", None):
        return True
    signed = not getattr(webhook, "warn_if_no_basic_auth", True)
    keys = [getattr(webhook, name) for name in _SIGNING_KEYS if hasattr(webhook, name)]
    return signed and all(key is not None for key in keys)


def _refused_until_secured(view):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_secured(view):
            return HttpResponseForbidden(REFUSED, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    return guarded


app_name = "anymail"
urlpatterns = [
    URLPattern(pattern.pattern, _refused_until_secured(pattern.callback), name=pattern.name)
    for pattern in anymail_urls.urlpatterns
    if "inbound" not in pattern.name
]


@checks.register(checks.Tags.security, deploy=True)
def check_webhooks_are_secured(app_configs=None, **kwargs):
    """An email service's backend reports bounces through its webhook: it must be secured."""
    backend = settings.EMAIL_BACKEND
    if not backend.startswith("anymail.backends."):
        return []  # SMTP reports permanent failures while sending (newsletter/sending.py).
    service = backend.split(".")[2]  # anymail.backends.postmark.EmailBackend → postmark
    views = [p.callback for p in urlpatterns if p.name.startswith(f"{service}_")]
    if all(is_secured(view) for view in views):
        return []
    return [
        checks.Error(
            f"The {service} bounce and complaint webhooks are not secured, so they refuse "
            "every request and bounces go unrecorded.",
            hint=(
                "Set ANYMAIL_WEBHOOK_SECRET to a random 'user:password' and give the service "
                "the webhook URL with it: https://user:password@<site>/anymail/"
                f"{service}/tracking/ (docs/newsletter.md)."
            ),
            id="newsletter.E001",
        )
    ]
