import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from blog import library_views, uploads
from blog.sitemaps import sitemaps as blog_sitemaps
from people.sitemaps import PeopleSitemap
from stafflogin import views as staff_login

from . import health, views

admin.site.site_header = "Back & Neck administration"
admin.site.site_title = "Back & Neck admin"

sitemaps = {**blog_sitemaps, "people": PeopleSitemap}

ADMIN_HEADER = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

handler500 = health.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("search.urls")),
    # An index of the sections' sitemaps, each of at most 50,000 addresses per page (?p=2).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    # Staff reset their own password (the admin login links here); stafflogin/.
    path(
        f"{settings.ADMIN_URL}password_reset/",
        staff_login.StaffPasswordResetView.as_view(extra_context=ADMIN_HEADER),
        name="admin_password_reset",
    ),
    path(
        f"{settings.ADMIN_URL}password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(extra_context=ADMIN_HEADER),
        name="password_reset_done",
    ),
    path(
        f"{settings.ADMIN_URL}reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context=ADMIN_HEADER),
        name="password_reset_confirm",
    ),
    path(
        f"{settings.ADMIN_URL}reset/done/",
        auth_views.PasswordResetCompleteView.as_view(extra_context=ADMIN_HEADER),
        name="password_reset_complete",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    # Uploads are checked like featured images; see blog/uploads.py for the framing rules.
    path("ckeditor/upload/", uploads.ckeditor_upload, name="ckeditor_upload"),
    # CKEditor's "Browse Server" and the featured-image picker browse the media library.
    path("ckeditor/browse/", library_views.library_browse, name="ckeditor_browse"),
    path("newsletter/", include("newsletter.urls")),
    # Email services report bounces and complaints here (docs/newsletter.md); refused until
    # the webhooks are secured.
    path("anymail/", include("newsletter.webhooks")),
    path("", include("people.urls")),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    urlpatterns.insert(
        0, re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", views.media_file)
    )
