from datetime import date

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView
from taggit.models import Tag

import pagecache
from ratelimits import rate_limit
from stafflogin.access import is_signed_in_staff

from . import directory, review, stats
from .body_images import with_responsive_images
from .contents import with_heading_ids
from .forms import FeedbackForm
from .models import Category, Feedback, Post, PreviewLink
from .pagination import ListPaginator
from .snippets import expand_snippets

LATEST_POSTS_ON_HOME = 9
POSTS_PER_PAGE = 12
FEEDBACK_PER_HOUR = 20
REVIEWER_NOTES_PER_HOUR = 30


@require_safe
def home(request):
    featured, latest = Post.objects.published().for_cards().home_page(LATEST_POSTS_ON_HOME)
    return render(
        request,
        "blog/home.html",
        {
            "featured_post": featured,
            "latest_posts": latest,
            # With their counts, as the header's navigation has them: kept per generation.
            "categories": directory.navigation(),
        },
    )


def can_preview(user):
    return is_signed_in_staff(user) and user.has_perm("blog.view_post")


ARTICLE_WITHOUT_LINKS = {"previous": None, "next": None, "related": []}


def article_links(post, tags):
    """
    The other posts an article links to: the previous, the next and related posts (as cards).
    They change only when content changes, and ranking related posts is the costliest query
    of the page, so each process keeps them per page cache generation (also with the page
    cache off; the article itself is always read afresh).
    """

    def find():
        previous, following = Post.objects.neighbours(post)
        related = Post.objects.for_cards().related_to(post, tags)
        return {"previous": previous, "next": following, "related": list(related)}

    return pagecache.per_generation(("article-links", post.pk), find, copied=True)


def article_body(post):
    """
    The body as readers get it: citations linked, headings given ids and self-links, images
    responsive (blog/body_images.py), and its sections for the contents. Worked out once per
    generation in each process (the body, its sources and library images change only with
    content). Prefetch "references" to save a query.
    """
    source_count = len(post.references.all())
    key = ("article-body", post.pk, post.updated_at, source_count)
    # Snippets are content too: a change to one starts a new generation, so this follows it.
    return pagecache.per_generation(
        key,
        lambda: with_heading_ids(with_responsive_images(expand_snippets(post.body)), source_count),
    )


def article_people(post):
    """Who the author box at the end of an article presents: the writer and the reviewer."""
    # An overdue review is not presented as current here either (blog/includes/review_note.html).
    review = "Last medically reviewed by" if post.review_is_late else "Medically reviewed by"
    people = [(post.author_profile, "Written by"), (post.reviewed_by, review)]
    return [(person, role) for person, role in people if person]


@require_safe
def post_detail(request, slug):
    posts = Post.objects.all() if can_preview(request.user) else Post.objects.published()
    posts = posts.prefetch_related("references", "other_categories", "care_cards")
    post = directory.attach(get_object_or_404(posts, slug=slug))
    tags = post.tag_list()
    links = article_links(post, tags) if post.is_published else ARTICLE_WITHOUT_LINKS
    response = render(
        request,
        "blog/post_detail.html",
        {
            "post": post,
            "body": article_body(post),
            "tags": tags,
            "references": post.references.all(),
            "is_preview": not post.is_published,
            "previous_post": links["previous"],
            "next_post": links["next"],
            "related_posts": links["related"],
            "people": article_people(post),
            # The same for every reader who lands here, so the page cache may keep it.
            "feedback_thanks": request.GET.get("feedback") == "thanks",
            "stats_enabled": settings.STATS_ENABLED,
        },
    )
    if not post.is_published:
        # A preview must never be cached by a browser or proxy and shown to someone else.
        add_never_cache_headers(response)
    return response


# No CSRF token, for the reason newsletter/views.py subscribe() gives: a token would make every
# article personal and keep it out of the page cache. The form acts for nobody (no session, no
# account is read), and its only effect is one anonymous row, which a forged post could add
# no better than a direct one; both are held by the rate limit and the honeypot.
@csrf_exempt
@require_POST
@rate_limit("feedback", limit=FEEDBACK_PER_HOUR, window=60 * 60)
def post_feedback(request, slug):
    """The answer to "Was this page helpful?": saved, then back to the article to say thanks."""
    post = get_object_or_404(Post.objects.published(), slug=slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        context = {"post": post, "form": form, "message": form.first_error()}
        return render(request, "blog/feedback_form.html", context, status=400)
    if not form.is_bot:
        Feedback.objects.create(
            post=post, helpful=form.cleaned_data["helpful"], comment=form.cleaned_data["comment"]
        )
    return redirect(f"{post.get_absolute_url()}?feedback=thanks#feedback")


# No CSRF token, as for the feedback form: the beacon comes from cached pages, acts for nobody
# and adds one to a count. Cross-site posts are refused by the browser's own Sec-Fetch-Site.
@csrf_exempt
@require_POST
def post_view_count(request, slug):
    """Where static/blog/js/beacon.js reports that a reader opened an article (blog/stats.py)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in {"same-origin", "none"}:
        return HttpResponse(status=403)
    stats.count_view(request, slug)
    response = HttpResponse(status=204)
    add_never_cache_headers(response)
    return response


def active_preview_link(token):
    """The preview link a token names, if its signature is good and it is still active."""
    links = PreviewLink.objects.active().select_related("post__author", "post__category")
    link = links.from_token(token)
    if link is None:
        raise Http404("This preview link has expired or was switched off.")
    return link


def render_preview(request, link, note_form=None, status=200):
    body = article_body(link.post)
    paragraphs = review.paragraphs(body)
    context = {
        "post": link.post,
        "body": body,
        "tags": link.post.tag_list(),
        "preview_link": link,
        "is_preview": True,
        "note_form": note_form or review.ReviewerNoteForm(paragraphs=paragraphs),
        "notes": link.notes.order_by("paragraph", "created_at"),
        "note_saved": request.GET.get("note") == "saved",
    }
    response = render(request, "blog/post_detail.html", context, status=status)
    # Never cached or indexed: the link stops working when it expires or is revoked.
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def post_preview(request, token):
    """One draft, shown through a signed, expiring link to a reviewer without an account."""
    link = active_preview_link(token)
    if link.post.is_published:
        return redirect(link.post)
    return render_preview(request, link)


@require_POST
@rate_limit("reviewer-note", limit=REVIEWER_NOTES_PER_HOUR, window=60 * 60)
def post_preview_note(request, token):
    """A reviewer's note on one paragraph of the previewed draft; back to the draft after."""
    link = active_preview_link(token)
    if link.post.is_published:
        return redirect(link.post)
    paragraphs = review.paragraphs(article_body(link.post))
    form = review.ReviewerNoteForm(request.POST, paragraphs=paragraphs)
    if not form.is_valid():
        return render_preview(request, link, note_form=form, status=400)
    note = form.save(link)
    return redirect(f"{link.get_absolute_url()}?note=saved#note-{note.pk}")


class PostListView(ListView):
    """All public articles, newest first, paginated; an invalid page is a 404."""

    template_name = "blog/post_list.html"
    context_object_name = "posts"
    paginate_by = POSTS_PER_PAGE

    def get_queryset(self):
        return Post.objects.published().for_cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        # Which list this is, for its count kept per generation: the view and its address.
        list_key = (type(self).__name__, *sorted(self.kwargs.items()))
        return ListPaginator(queryset, per_page, list_key=list_key, **kwargs)


class CategoryDetailView(PostListView):
    template_name = "blog/category_detail.html"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class TagDetailView(PostListView):
    template_name = "blog/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArchiveView(PostListView):
    """A WordPress date archive (/2024/, /2024/03/, /2024/03/05/): the public posts of that
    year, month or day. Old links and bookmarks point at these; an empty one is a 404."""

    template_name = "blog/post_archive.html"
    allow_empty = False

    def get_queryset(self):
        try:
            self.period = date(
                int(self.kwargs["year"]),
                int(self.kwargs.get("month", 1)),
                int(self.kwargs.get("day", 1)),
            )
        except ValueError as error:
            raise Http404("No such date.") from error
        bounds = {"published_at__year": self.period.year}
        if "month" in self.kwargs:
            bounds["published_at__month"] = self.period.month
        if "day" in self.kwargs:
            bounds["published_at__day"] = self.period.day
        return super().get_queryset().filter(**bounds)

    def get_context_data(self, **kwargs):
        if "day" in self.kwargs:
            heading = date_format(self.period, "j F Y")
        elif "month" in self.kwargs:
            heading = date_format(self.period, "F Y")
        else:
            heading = str(self.period.year)
        return super().get_context_data(archive_heading=heading, **kwargs)


post_list = PostListView.as_view()
post_archive = ArchiveView.as_view()
category_detail = CategoryDetailView.as_view()
tag_detail = TagDetailView.as_view()
