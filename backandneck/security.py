"""
Security headers that Django's SecurityMiddleware does not send: Content-Security-Policy and
Permissions-Policy. (It sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy from settings; XFrameOptionsMiddleware sends X-Frame-Options.)
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost

# Public pages run one external script (static/js/site.js) and no inline script or style at
# all, so their policy allows scripts and styles from this origin only, and scripts only from
# its static files: "'self'" would also cover /media/, where uploaded files live, and one that
# passed for an image could then be run as a script (STATIC_SCRIPTS below). JSON-LD blocks are
# data, not scripts: browsers never execute them, so script-src does not apply to them. Images
# may come from any https address because imported articles embed some.
STATIC_SCRIPTS = "static-scripts"
PUBLIC_POLICY = {
    "default-src": ["'self'"],
    "script-src": [STATIC_SCRIPTS],
    "style-src": ["'self'"],
    "img-src": ["'self'", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# The admin needs inline styles (Django's widgets and CKEditor set style attributes) and, on the
# CKEditor upload answer, being framed by itself. Its scripts come from the static files and
# from its JavaScript catalogue (the admin's jsi18n view), except below.
ADMIN_CATALOGUE = "admin-catalogue"
STAFF_POLICY = {
    **PUBLIC_POLICY,
    "script-src": [STATIC_SCRIPTS, ADMIN_CATALOGUE],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "https:", "data:", "blob:"],
    "frame-ancestors": ["'self'"],
}

# CKEditor 4 cannot run without inline script: its toolbar buttons are `onclick="…"` attributes
# and it boots its editing iframe with an inline <script> whose text changes per page, so neither
# nonces nor hashes can allow it (it is end-of-life; no CSP-ready release will come). Only the
# pages that actually load it get 'unsafe-inline' for scripts: the post and page forms and the
# editor's own upload and browse views. Those are staff-only behind a login, and every byte of
# user content they show is sanitised on save (blog/html.py), so no attacker-chosen markup
# reaches them for 'unsafe-inline' to let run. The login page and every other admin page keep
# the strict script policy.
CKEDITOR_POLICY = {**STAFF_POLICY, "script-src": [*STAFF_POLICY["script-src"], "'unsafe-inline'"]}
# Every CKEditor field is a textarea its boot script finds by this attribute, whatever the static
# files are called (hashed in production) or wherever they are served from. Content shown in the
# admin is escaped, so no text an editor typed can put the attribute's quotes in the page.
CKEDITOR_MARKER = b'data-type="ckeditortype"'
# Sources that stand for this site's own static files (a CDN's origin when STATIC_URL is one).
# Scripts get the narrower STATIC_SCRIPTS instead.
STATIC_DIRECTIVES = ["style-src", "img-src", "font-src"]

# Uploaded files, wherever they are served (deploy/nginx-backandneck.conf, the DEBUG media view):
# never a page that runs anything, even one a browser is tricked into rendering as HTML.
MEDIA_POLICY = "sandbox; default-src 'none'"

# No public page needs any of these browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    ]
)  # fmt: skip


def render_policy(policy, request):
    directives = {name: sources_for(sources, request) for name, sources in policy.items()}
    if settings.MEDIA_ORIGINS:
        directives["img-src"] = [*directives["img-src"], *settings.MEDIA_ORIGINS]
    if settings.STATIC_ORIGIN:
        for name in STATIC_DIRECTIVES:
            directives[name] = [*directives[name], settings.STATIC_ORIGIN]
    parts = [f"{name} {' '.join(sources)}" for name, sources in directives.items()]
    if settings.SITE_SCHEME_IS_HTTPS:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


def sources_for(sources, request):
    """
    The sources with the placeholders filled in. A source with a path ending in "/" matches
    every address under that path and nothing else (CSP3, "Does url match expression"), so
    https://site/static/ allows the static files but not /media/.
    """
    try:
        site = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # Answered 400 already; its policy names the configured site.
        site = settings.SITE_URL
    filled = []
    for source in sources:
        if source == STATIC_SCRIPTS:
            # A CDN's STATIC_URL is allowed as a whole address, not the CDN's whole origin,
            # in case the CDN also fronts this site's /media/.
            static_url = settings.STATIC_URL
            filled.append(static_url if settings.STATIC_ORIGIN else f"{site}{static_url}")
        elif source == ADMIN_CATALOGUE:
            filled.append(f"{site}/{settings.ADMIN_URL}jsi18n/")
        else:
            filled.append(source)
    return filled


def policy_for(request, response):
    path = request.path_info
    if path.startswith("/ckeditor/"):
        return CKEDITOR_POLICY
    if path.startswith(f"/{settings.ADMIN_URL}"):
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and not response.streaming and CKEDITOR_MARKER in response.content:
            return CKEDITOR_POLICY
        return STAFF_POLICY
    return PUBLIC_POLICY


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = render_policy(policy_for(request, response), request)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
