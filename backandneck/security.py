"""
Security headers that Django's SecurityMiddleware does not send: Content-Security-Policy and
Permissions-Policy. (It sends HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy from settings; XFrameOptionsMiddleware sends X-Frame-Options.)
"""

from django.conf import settings

# Public pages run one external script (static/js/site.js) and no inline script or style at
# all, so their policy allows scripts and styles from this origin only. JSON-LD blocks are data,
# not scripts: browsers never execute them, so script-src does not apply to them. Images may come
# from any https address because imported articles embed some.
PUBLIC_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
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
# CKEditor upload answer, being framed by itself. Its scripts stay 'self'-only, except below.
STAFF_POLICY = {
    **PUBLIC_POLICY,
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
CKEDITOR_POLICY = {**STAFF_POLICY, "script-src": ["'self'", "'unsafe-inline'"]}
# Every CKEditor field is a textarea its boot script finds by this attribute, whatever the static
# files are called (hashed in production) or wherever they are served from. Content shown in the
# admin is escaped, so no text an editor typed can put the attribute's quotes in the page.
CKEDITOR_MARKER = b'data-type="ckeditortype"'
# Sources that stand for this site's own static files (a CDN's origin when STATIC_URL is one).
STATIC_DIRECTIVES = ["script-src", "style-src", "img-src", "font-src"]

# No public page needs any of these browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
    ]
)  # fmt: skip


def render_policy(policy):
    directives = dict(policy)
    if settings.MEDIA_ORIGINS:
        directives["img-src"] = [*directives["img-src"], *settings.MEDIA_ORIGINS]
    if settings.STATIC_ORIGIN:
        for name in STATIC_DIRECTIVES:
            directives[name] = [*directives[name], settings.STATIC_ORIGIN]
    parts = [f"{name} {' '.join(sources)}" for name, sources in directives.items()]
    if settings.SITE_SCHEME_IS_HTTPS:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


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
        policy = render_policy(policy_for(request, response))
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
