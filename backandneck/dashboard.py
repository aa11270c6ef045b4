"""
The admin's front page as an editor's dashboard: drafts waiting, what is scheduled and when,
and what went out recently, above the usual list of models.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache

from blog import stats
from blog.models import CheckedLink, Feedback, Post
from newsletter import deliverability, signup_brake, tasks
from newsletter.models import Issue, SenderCheck, Subscriber

DASHBOARD_ROWS = 6


def dashboard(request):
    """
    What templates/admin/index.html shows. Authors see their own posts only, as in the post
    list. Other apps add their figures here under their own key (e.g. "newsletter",
    "reviews_due") and show them in the template's {% block dashboard_figures %}.
    """
    posts = Post.objects.select_related("author", "category")
    if not request.user.has_perm("blog.publish_post"):
        posts = posts.filter(author=request.user)
    drafts = posts.drafts().order_by("-updated_at")
    figures = {
        "drafts": drafts[:DASHBOARD_ROWS],
        "draft_count": drafts.count(),
        "scheduled": posts.scheduled().order_by("published_at")[:DASHBOARD_ROWS],
        "recent": posts.published().order_by("-published_at")[:DASHBOARD_ROWS],
    }
    if request.user.has_perm("blog.publish_post"):
        awaiting = Post.objects.awaiting_review().select_related("author")
        figures["awaiting_review"] = awaiting.order_by("review_requests__submitted_at")[
            :DASHBOARD_ROWS
        ]
        figures["awaiting_review_count"] = awaiting.count()
        figures["reviews_due"] = Post.objects.review_due().count()
        # Readers' "not helpful, because…" put an article at the top of the review queue.
        figures["review_queue"] = Post.objects.review_queue()[:DASHBOARD_ROWS]
        figures["feedback"] = Feedback.objects.exclude(comment="").select_related("post")[
            :DASHBOARD_ROWS
        ]
        figures["top_articles"] = stats.week_top_articles(DASHBOARD_ROWS)
        figures["broken_links"] = CheckedLink.objects.broken().count()
    if request.user.has_perm("newsletter.view_issue"):
        figures["subscribers"] = Subscriber.objects.confirmed().count()
        figures["last_issue"] = Issue.objects.sent().order_by("-sent_at").first()
        figures["tasks_without_worker"] = tasks.waiting_without_worker()
        # A paused send, or a last issue outside the good complaint or bounce band.
        figures["newsletter_warnings"] = deliverability.warnings_before_next_send()
        # Stored by `manage.py check_sender`: no DNS lookup in a page view.
        figures["sender_check"] = SenderCheck.objects.first()
        figures["signup_spike"] = signup_brake.current_spike()
    return figures


class AdminSite(admin.AdminSite):
    """
    Django's admin site with the dashboard on its index page, and sign-in in two steps when
    STAFF_REQUIRE_2FA is on (stafflogin/).
    """

    def has_permission(self, request):
        # Sign-in grants a verified session only; this also shuts out sessions from before
        # the second factor was required.
        from stafflogin.access import is_signed_in_staff

        return super().has_permission(request) and is_signed_in_staff(request.user)

    def get_urls(self):
        from stafflogin import views as staff_login

        return [path("login/code/", staff_login.login_code, name="login_code"), *super().get_urls()]

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Django's admin login (django/contrib/admin/sites.py) with the password step's view."""
        from django.contrib.admin.forms import AdminAuthenticationForm

        from stafflogin import views as staff_login

        if request.method == "GET" and self.has_permission(request):
            return redirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return staff_login.PasswordStepView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)

    def index(self, request, extra_context=None):
        if request.user.has_perm("blog.view_post"):
            extra_context = {"dashboard": dashboard(request), **(extra_context or {})}
        return super().index(request, extra_context)
