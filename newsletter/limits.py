"""
The sign-up form's limit per client, kept in Django's cache under keyed hashes (never a
visitor's IP address in the clear), and what counts as one mailbox. The limits per mailbox and
site-wide are in signup_brake.py.
"""

from ratelimits import hit

SIGNUPS_PER_IP = 10
IP_WINDOW = 60 * 60  # seconds
# Gmail delivers a.b.c@gmail.com to abc@gmail.com, and googlemail.com is the same service.
_DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def allow_signup_from(request):
    """Count a sign-up from this client; False once it has made too many this hour."""
    return hit("newsletter-signup", request, SIGNUPS_PER_IP, IP_WINDOW)


def mailbox(email):
    """
    The mailbox an address delivers to, as far as can be told from outside: "Ann+news@X.org"
    and "ann+other@x.org" are both "ann@x.org" (sub-addressing), and Gmail ignores dots. Only
    for limits: the stored address stays what the reader typed.
    """
    local, _, domain = email.lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in _DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), _DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"
