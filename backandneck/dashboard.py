"""
The admin's front page as an editor's dashboard: drafts waiting, what is scheduled and when,
and what went out recently, above the usual list of models.
"""

from django.contrib import admin

from blog.models import Feedback, Post
from newsletter import tasks
from newsletter.models import Issue, Subscriber

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
        figures["reviews_due"] = Post.objects.review_due().count()
        # Readers' "not helpful, because…" put an article at the top of the review queue.
        figures["review_queue"] = Post.objects.review_queue()[:DASHBOARD_ROWS]
        figures["feedback"] = Feedback.objects.exclude(comment="").select_related("post")[
            :DASHBOARD_ROWS
        ]
    if request.user.has_perm("newsletter.view_issue"):
        figures["subscribers"] = Subscriber.objects.confirmed().count()
        figures["last_issue"] = Issue.objects.sent().order_by("-sent_at").first()
        figures["tasks_without_worker"] = tasks.waiting_without_worker()
    return figures


class AdminSite(admin.AdminSite):
    """Django's admin site with the dashboard on its index page."""

    def index(self, request, extra_context=None):
        if request.user.has_perm("blog.view_post"):
            extra_context = {"dashboard": dashboard(request), **(extra_context or {})}
        return super().index(request, extra_context)
