from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.html import linebreaks as _linebreaks
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_update_with_history

# admin_media and admin_pages register the media library, the flat pages and the redirects.
from . import admin_media, admin_pages, autosave, review, revisions  # noqa: F401
from .checklist import SiteLinks, check_post
from .checklist_html import checklist_html, summary_html
from .forms import PostAdminForm
from .images import ImageUploadField
from .models import (
    REVIEW_NOTICE,
    CareCard,
    Category,
    CheckedLink,
    Feedback,
    Post,
    PreviewLink,
    Reference,
    ReviewerNote,
    ReviewRequest,
    Snippet,
)
from .reference_admin import ReferenceForm, reference_lookup
from .stats_chart import views_chart_html
from .widgets import TagAutocompleteWidget


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "needs_care_advice"]
    list_editable = ["position"]
    list_filter = ["needs_care_advice"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PublicationStatusFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Live")]

    def queryset(self, request, queryset):
        return {
            "draft": queryset.drafts,
            "scheduled": queryset.scheduled,
            "live": queryset.published,
        }.get(self.value(), queryset.all)()


class PreviewLinkInline(admin.TabularInline):
    """Signed links that let someone without an account read this draft until they expire."""

    model = PreviewLink
    extra = 0
    fields = ["shared_with", "expires_at", "revoked", "link", "created_by"]
    readonly_fields = ["link", "created_by"]
    verbose_name = "preview link for reviewers"
    verbose_name_plural = "preview links for reviewers (people without an account)"

    @admin.display(description="link to send")
    def link(self, preview_link):
        if not preview_link.pk:
            return "Save to create the link."
        if not preview_link.is_active:
            return "Switched off or expired"
        url = settings.SITE_URL + preview_link.get_absolute_url()
        return format_html('<input type="text" readonly value="{}" size="40">', url)


class MedicalReviewFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue or never reviewed"),
            ("due", f"Due within {REVIEW_NOTICE.days} days or overdue"),
        ]

    def queryset(self, request, queryset):
        return {
            "overdue": queryset.review_overdue,
            "due": queryset.review_due,
        }.get(self.value(), queryset.all)()


def linebreaks(text):
    """Plain text typed by a person as paragraphs, escaped."""
    return mark_safe(_linebreaks(text, autoescape=True))  # noqa: S308 escaped by linebreaks


class ReviewStepFilter(admin.SimpleListFilter):
    title = "review step"
    parameter_name = "step"

    def lookups(self, request, model_admin):
        return [("awaiting", "Awaiting review"), ("sent_back", "Sent back to the author")]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.awaiting_review()
        if self.value() == "sent_back":
            latest = ReviewRequest.objects.filter(post=models.OuterRef("pk")).values("state")
            return (
                queryset.drafts()
                .alias(step=models.Subquery(latest[:1]))
                .filter(step=ReviewRequest.State.SENT_BACK)
            )
        return queryset


class ArticlePartInline:
    """
    Rows that are part of the article (its sources, its care cards): whoever may edit the post
    may edit them, so the author and published-post rules of PostAdmin apply here too.
    """

    def has_view_permission(self, request, obj=None):
        return self.admin_site.get_model_admin(Post).has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        post_admin = self.admin_site.get_model_admin(Post)
        if obj is None:
            return post_admin.has_add_permission(request)
        return post_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class ReferenceInline(ArticlePartInline, admin.TabularInline):
    model = Reference
    form = ReferenceForm
    extra = 1
    fields = ["position", "title", "authors", "publisher", "year", "url", "doi", "pmid"]
    verbose_name = "source"
    verbose_name_plural = (
        "sources (cite them in the text as [1], [2]…, in this order; paste a DOI or PMID and "
        "press “Look up” to fill in the rest)"
    )
    # Plain, narrow inputs, so the table of sources fits beside the admin's navigation.
    input_sizes = {"title": 20, "authors": 12, "publisher": 10, "url": 12, "doi": 11, "pmid": 8}

    class Media:
        js = ["blog/admin/reference_lookup.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        size = self.input_sizes.get(db_field.name)
        if db_field.name in {"doi", "pmid"}:
            lookup_url = reverse("admin:blog_post_reference_lookup")
            attrs = {"size": size, "data-lookup-url": lookup_url, "class": "reference-id"}
            kwargs["widget"] = forms.TextInput(attrs=attrs)
        elif isinstance(db_field, models.URLField):
            kwargs.update(widget=forms.URLInput(attrs={"size": size}), assume_scheme="https")
        elif isinstance(db_field, models.CharField):
            kwargs["widget"] = forms.TextInput(attrs={"size": size})
        elif isinstance(db_field, models.PositiveSmallIntegerField):
            kwargs["widget"] = forms.NumberInput(attrs={"style": "width: 4.5em"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CareCardInline(ArticlePartInline, admin.StackedInline):
    """“When to get help”: plain lists of signs, one card per level of urgency."""

    model = CareCard
    extra = 0
    max_num = len(CareCard.Level)
    fields = ["level", "heading", "items"]
    # Wide enough that each sign stays on one line, as it will on the page.
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"})}
    }


class ReviewerNoteInline(ArticlePartInline, admin.TabularInline):
    """Outside reviewers' notes on paragraphs of the draft: read, then tick "resolved"."""

    model = ReviewerNote
    extra = 0
    fields = ["paragraph_quoted", "note", "created_at", "resolved"]
    readonly_fields = ["paragraph_quoted", "note", "created_at"]
    verbose_name = "reviewer note"
    verbose_name_plural = "reviewer notes (left through preview links)"

    def has_add_permission(self, request, obj):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("preview_link")

    @admin.display(description="paragraph")
    def paragraph_quoted(self, note):
        return format_html(
            '<strong>¶ {}</strong><blockquote class="reviewer-note__quote">{}</blockquote>',
            note.paragraph,
            note.quote or "(the paragraph was empty)",
        )

    @admin.display(description="note")
    def note(self, note):
        return format_html(
            '{}<p class="reviewer-note__by">{}</p>', linebreaks(note.text), note.reviewer
        )


FEEDBACK_COMMENTS_SHOWN = 10


def feedback_list_html(answers):
    """Readers' comments as a list; format_html escapes them, and nothing in them is linked."""
    if not answers:
        return ""
    return format_html(
        '<ul class="reader-feedback">{}</ul>',
        format_html_join(
            "",
            "<li><strong>{}</strong> · {}: {}</li>",
            (
                (
                    "Helpful" if answer.helpful else "Not helpful",
                    timezone.localtime(answer.created_at).strftime("%-d %b %Y"),
                    answer.comment,
                )
                for answer in answers
            ),
        ),
    )


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """What readers answered under articles. Read only: readers' words are not edited."""

    list_display = ["created_at", "post", "helpful", "comment"]
    list_filter = ["helpful", "created_at"]
    list_select_related = ["post"]
    search_fields = ["comment", "post__title"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckedLink)
class CheckedLinkAdmin(admin.ModelAdmin):
    """What the weekly `manage.py check_links` found: read only, fix the links in the articles."""

    list_display = ["url", "state", "used_in", "broken_since", "checked_at"]
    list_filter = ["is_broken"]
    search_fields = ["url", "posts__title"]
    fields = ["url", "is_broken", "problem", "broken_since", "checked_at", "used_in"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("posts")

    # Words, not the admin's green tick, which would read as "fine" next to a broken link.
    @admin.display(description="state", ordering="is_broken")
    def state(self, link):
        if not link.is_broken:
            return "Works"
        return format_html("<strong>Broken</strong>: {}", link.problem)

    @admin.display(description="used in")
    def used_in(self, link):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:blog_post_change", args=[p.pk]), p.title) for p in link.posts.all()),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(SimpleHistoryAdmin):
    form = PostAdminForm
    list_display = [
        "title",
        "publication_state",
        "category",
        "author",
        "published_at",
        "is_featured",
        "thumbnail",
    ]
    list_filter = [
        PublicationStatusFilter,
        ReviewStepFilter,
        MedicalReviewFilter,
        "category",
        "author",
        "is_featured",
    ]
    list_select_related = ["category", "author"]
    search_fields = ["title", "excerpt"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category", "other_categories", "reviewed_by"]
    readonly_fields = [
        "thumbnail",
        "created_at",
        "updated_at",
        "next_review_on",
        "checklist",
        "reader_feedback",
        "review_step",
        "statistics",
    ]
    actions = ["publish", "unpublish", "duplicate", "reviewed_no_change"]
    inlines = [ReferenceInline, CareCardInline, ReviewerNoteInline, PreviewLinkInline]
    change_form_template = "admin/blog/post/change_form.html"

    class Media:
        css = {"all": ["blog/admin/post.css", "blog/admin/checklist.css"]}

    fieldsets = [
        (
            "Ready to publish?",
            {
                "fields": ["checklist"],
                "description": "Checked from the saved post. Save to check your latest changes.",
            },
        ),
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "category",
                    "other_categories",
                    "tags",
                    "excerpt",
                    "key_points",
                    "body",
                ]
            },
        ),  # fmt: skip
        ("Review", {"fields": ["review_step", "review_message"]}),
        (
            "Featured image",
            {"fields": ["featured_image", "library_image", "thumbnail", "featured_image_alt"]},
        ),
        ("Publication", {"fields": ["status", "published_at", "is_featured", "author"]}),
        (
            "Medical review",
            {
                "fields": [
                    "reviewed_by",
                    "last_reviewed",
                    "review_interval_months",
                    "next_review_on",
                    "reader_feedback",
                ]
            },
        ),
        ("Readers", {"fields": ["statistics"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "meta_description"], "classes": ["collapse"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # Authors write; only users with "publish_post" (Editors) publish. Every route that could
    # make a post public checks this: the form fields, saving, and the bulk actions.
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocompleteWidget
        if db_field.name == "featured_image":
            kwargs["form_class"] = ImageUploadField
        if db_field.name == "key_points":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def can_publish(self, request):
        return request.user.has_perm("blog.publish_post")

    def has_publish_permission(self, request):
        return self.can_publish(request)

    def has_record_review_permission(self, request):
        return request.user.has_perm("blog.record_review")

    def get_queryset(self, request):
        # The checklist counts each post's sources and reads its care cards.
        posts = (
            super()
            .get_queryset(request)
            .prefetch_related("references", "care_cards", "reviewer_notes")
        )
        # A reviewer's account (with "record_review") sees every article, to record reviews;
        # has_change_permission still keeps them from editing other people's posts.
        if self.can_publish(request) or self.has_record_review_permission(request):
            return posts
        return posts.filter(author=request.user)

    def get_list_display(self, request):
        # One SiteLinks per request: the "ready?" column checks every row's links against it.
        site = SiteLinks()

        @admin.display(description="ready?")
        def ready(post):
            return summary_html(check_post(post, site))

        columns = list(super().get_list_display(request))
        columns.insert(columns.index("publication_state") + 1, ready)
        return columns

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.can_publish(request):
            return fieldsets
        extra = {"Publication": ["publish_anyway"], "Review": ["reviewer_email"] if obj else []}
        return [
            (name, {**options, "fields": [*options["fields"], *extra.get(name, [])]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or self.can_publish(request):
            return allowed
        # An author may edit only their own posts, and only while no reader can see them.
        return allowed and obj.author_id == request.user.pk and obj.status == Post.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.can_publish(request):
            fields += ["status", "published_at", "is_featured", "author"]
            # A medical review is an editor's statement about the article, not the writer's.
            fields += ["reviewed_by", "last_reviewed", "review_interval_months"]
        return fields

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        # Sharing a draft outside the team is an editor's decision.
        if obj is None or not self.can_publish(request):
            inlines = [i for i in inlines if not isinstance(i, PreviewLinkInline)]
        # Only once a reviewer left notes (the post's queryset prefetches them).
        if obj is None or not obj.reviewer_notes.all():
            inlines = [i for i in inlines if not isinstance(i, ReviewerNoteInline)]
        return inlines

    def save_formset(self, request, form, formset, change):
        for link_form in formset.forms:
            if isinstance(link_form.instance, PreviewLink) and not link_form.instance.pk:
                link_form.instance.created_by = request.user
            note = link_form.instance
            if isinstance(note, ReviewerNote) and "resolved" in link_form.changed_data:
                note.resolved_by = request.user if note.resolved else None
                note.resolved_at = timezone.now() if note.resolved else None
        super().save_formset(request, form, formset, change)
        for source_form in formset.forms:
            if getattr(source_form, "lookup_problem", "") and source_form.instance.pk:
                self.message_user(
                    request,
                    f"Source “{source_form.instance.title}” was saved as typed, not looked up: "
                    f"{source_form.lookup_problem}",
                    messages.WARNING,
                )

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not self.can_publish(request):
            obj.status = Post.Status.DRAFT
            if not change:
                obj.author = request.user
            else:
                # Restoring an old revision must not bring back its author or publication
                # settings either; an author's save changes the words only.
                current = Post.objects.get(pk=obj.pk)
                obj.published_at, obj.is_featured = current.published_at, current.is_featured
                obj.author_id = current.author_id
        super().save_model(request, obj, form, change)
        autosave.forget(request.user, obj)
        self.take_review_step(request, obj, form)
        if obj.status == Post.Status.RELEASED and form.cleaned_data.get("publish_anyway"):
            self.message_user(
                request,
                "Published despite the checklist's errors, as you confirmed.",
                messages.WARNING,
            )

    def take_review_step(self, request, post, form):
        """The review buttons of the form (templates/admin/blog/post/change_form.html)."""
        note = form.cleaned_data.get("review_message", "")
        if post.status == Post.Status.RELEASED:
            review.close_published(post, request.user)
        elif "_submit_for_review" in request.POST:
            if review.submit(post, request.user, note):
                self.message_user(
                    request, "Submitted for review: the editors have been told.", messages.SUCCESS
                )
            else:
                self.message_user(request, "The draft is already awaiting review.")
        elif "_send_back" in request.POST and self.can_publish(request):
            review.send_back(post, request.user, note)
            self.message_user(request, "Sent back to the author, with your note.", messages.SUCCESS)
        if "_send_preview" in request.POST and self.can_publish(request):
            email = form.cleaned_data["reviewer_email"]
            review.send_preview_link(post, request.user, email)
            self.message_user(request, f"Preview link emailed to {email}.", messages.SUCCESS)

    def response_add(self, request, obj, post_url_continue=None):
        if review.BUTTONS & set(request.POST):
            return HttpResponseRedirect(reverse("admin:blog_post_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if review.BUTTONS & set(request.POST):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(autosave.change_form_context(request, obj))
        open_request = obj and obj.pk and review.open_request(obj)
        context.update(
            can_submit_for_review=not self.can_publish(request)
            and (obj is None or obj.status == Post.Status.DRAFT)
            and not open_request,
            can_send_back=self.can_publish(request) and bool(open_request),
            can_send_preview=self.can_publish(request) and bool(obj and obj.pk),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="review step")
    def review_step(self, post):
        latest = (
            post
            and post.pk
            and post.review_requests.select_related("submitted_by", "decided_by").first()
        )
        if not latest:
            return "Not submitted for review. Authors: “Submit for review” below tells the editors."
        submitted = format_html(
            "Submitted by {} on {}.",
            latest.submitted_by and latest.submitted_by.get_full_name() or "the author",
            timezone.localtime(latest.submitted_at).strftime("%-d %b %Y, %H:%M"),
        )
        message = latest.message and format_html(
            '<blockquote class="review-note">{}</blockquote>', linebreaks(latest.message)
        )
        if latest.state == ReviewRequest.State.AWAITING:
            return format_html("<strong>Awaiting review.</strong> {} {}", submitted, message or "")
        decided = latest.decided_by and latest.decided_by.get_full_name() or "an editor"
        when = latest.decided_at and timezone.localtime(latest.decided_at).strftime("%-d %b %Y")
        if latest.state == ReviewRequest.State.PUBLISHED:
            return format_html("Reviewed and published by {} on {}.", decided, when)
        return format_html(
            "<strong>Sent back to the author</strong> by {} on {}, with this note:"
            '<blockquote class="review-note review-note--editor">{}</blockquote>'
            "Change the draft, then submit it for review again.",
            decided,
            when,
            linebreaks(latest.decision_note),
        )

    @admin.display(description="checklist")
    def checklist(self, post):
        if post is None or post.pk is None:
            return "Save the post to see its checklist."
        return checklist_html(check_post(post))

    @admin.display(description="reader feedback")
    def reader_feedback(self, post):
        """The "Was this page helpful?" answers, newest comments first (escaped, never linked)."""
        if post is None or post.pk is None:
            return "—"
        answers = post.feedback.all()
        helpful = answers.filter(helpful=True).count()
        unhelpful = answers.filter(helpful=False).count()
        comments = answers.exclude(comment="")[:FEEDBACK_COMMENTS_SHOWN]
        return format_html(
            "<p>{} found it helpful, {} did not.</p>{}",
            helpful,
            unhelpful,
            feedback_list_html(comments),
        )

    @admin.display(description="views, last 30 days")
    def statistics(self, post):
        if post is None or post.pk is None:
            return "Counted once the article is published."
        return views_chart_html(post)

    # Revisions: simple-history's history list (with two versions to compare) and restore form.
    object_history_list_template = "admin/blog/post/object_history_list.html"

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name="blog_post_history_compare",
        )
        lookup = path(
            "reference-lookup/",
            self.admin_site.admin_view(self.reference_lookup_view),
            name="blog_post_reference_lookup",
        )
        return [compare, lookup, *autosave.admin_urls(self), *super().get_urls()]

    def reference_lookup_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        return reference_lookup(request)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history falls back to the last revision when a post is not in the user's
        # queryset; authors must not read the history of other people's posts that way.
        if not self.can_publish(request) and self.get_object(request, object_id) is None:
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history checks permissions against the old version; a restore changes the
        # post as it is now, so that is what the user must be allowed to change.
        post = self.get_object(request, object_id)
        if post is None or (
            request.method == "POST" and not self.has_change_permission(request, post)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_compare_view(self, request, object_id):
        post = self.get_object(request, object_id)
        if post is None or not self.has_view_or_change_permission(request, post):
            raise PermissionDenied
        versions = post.history.select_related("history_user")
        older = get_object_or_404(versions, history_id=request.GET.get("old", 0))
        newer = get_object_or_404(versions, history_id=request.GET.get("new", 0))
        if older.history_date > newer.history_date:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {post}",
            "opts": self.model._meta,
            "object": post,
            "older": older,
            "newer": newer,
            "differences": revisions.compare(older, newer),
        }
        return TemplateResponse(request, "admin/blog/post/history_compare.html", context)

    def delete_view(self, request, object_id, extra_context=None):
        # A live post's address answers 410 Gone once it is deleted, unless the editor picks
        # a post to send its readers to (templates/admin/blog/post/delete_confirmation.html).
        choices = Post.objects.published().exclude(pk=object_id).only("title", "slug")
        extra_context = {"redirect_choices": choices, **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        target = Post.objects.published().filter(pk=request.POST.get("redirect_to") or None)
        obj.delete(redirect_to=target[0].get_absolute_url() if target else "")

    @admin.display(description="state", ordering="published_at")
    def publication_state(self, post):
        if post.status == Post.Status.DRAFT:
            return "Draft"
        if post.is_scheduled:
            local = timezone.localtime(post.published_at)
            return format_html(
                "<strong>Scheduled for {}</strong>", local.strftime("%-d %b %Y, %H:%M")
            )
        return "Live"

    @admin.display(description="image")
    def thumbnail(self, post):
        if not post.featured_image:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-height:48px;max-width:80px;object-fit:cover">',
            post.featured_image.url,
        )

    @admin.action(description="Publish selected posts now", permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        site = SiteLinks()
        published, held_back = 0, []
        for post in queryset.filter(status=Post.Status.DRAFT):
            # A bulk action cannot ask for each post's override, so posts with errors wait.
            if not check_post(post, site).ready:
                held_back.append(post.title)
                continue
            post.status = Post.Status.RELEASED
            post.published_at = post.published_at or now
            post.save()
            review.close_published(post, request.user)
            published += 1
        self.message_user(request, f"Published {published} post(s).", messages.SUCCESS)
        if held_back:
            self.message_user(
                request,
                f"Not published, because their checklist has errors: {', '.join(held_back)}. "
                "Open each post to fix them, or to publish it anyway.",
                messages.WARNING,
            )

    @admin.action(description="Duplicate selected posts as new drafts", permissions=["add"])
    def duplicate(self, request, queryset):
        # An author's copies are theirs; an editor's keep the original writer.
        author = None if self.can_publish(request) else request.user
        copies = [post.duplicate(author=author) for post in queryset]
        if len(copies) == 1:
            link = format_html(
                '<a href="{}">{}</a>',
                reverse("admin:blog_post_change", args=[copies[0].pk]),
                copies[0].title,
            )
            self.message_user(request, format_html("Created the draft {}.", link), messages.SUCCESS)
        else:
            self.message_user(request, f"Created {len(copies)} drafts.", messages.SUCCESS)

    @admin.action(
        description="Reviewed, no change: record today’s medical review",
        permissions=["record_review"],
    )
    def reviewed_no_change(self, request, queryset):
        """
        The reviewer checked the articles and nothing needed changing: only the review date
        (today), the next due date (spread out, Post.review_due_after) and a revision with that
        reason change. No save(), so "last updated" and the words stay as they were.
        """
        today = timezone.localdate()
        posts, unreviewed = [], []
        for post in queryset.select_related(None).prefetch_related(None):
            if post.reviewed_by_id is None:
                unreviewed.append(post.title)
                continue
            post.last_reviewed = today
            post.next_review_on = post.review_due_after(today)
            posts.append(post)
        bulk_update_with_history(
            posts,
            Post,
            ["last_reviewed", "next_review_on"],
            default_user=request.user,
            default_change_reason="Reviewed, no change",
        )
        self.message_user(
            request, f"Recorded today’s review of {len(posts)} post(s).", messages.SUCCESS
        )
        if unreviewed:
            self.message_user(
                request,
                f"Not recorded, because no reviewer is named: {', '.join(unreviewed)}. Open "
                "each post to name its reviewer.",
                messages.WARNING,
            )

    @admin.action(description="Unpublish selected posts (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for post in queryset.filter(status=Post.Status.RELEASED):
            post.status = Post.Status.DRAFT
            post.save()
            count += 1
        self.message_user(request, f"Moved {count} post(s) back to draft.", messages.SUCCESS)


@admin.register(Snippet)
class SnippetAdmin(admin.ModelAdmin):
    """Texts written once and inserted by reference: [snippet key] in an article or page."""

    list_display = ["name", "shortcode", "updated_at"]
    search_fields = ["name", "slug", "body"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "body"]

    @admin.display(description="insert with")
    def shortcode(self, snippet):
        return format_html("<code>{}</code>", snippet.shortcode)

    def get_urls(self):
        choices = path(
            "choices/", self.admin_site.admin_view(self.choices_view), name="blog_snippet_choices"
        )
        return [choices, *super().get_urls()]

    def choices_view(self, request):
        """The snippets for CKEditor's "Snippet" menu (static/blog/admin/ckeditor/snippets/)."""
        if not (self.has_view_permission(request) or request.user.has_perm("blog.add_post")):
            raise PermissionDenied
        snippets = Snippet.objects.values_list("slug", "name")
        return JsonResponse({"snippets": [{"key": key, "name": name} for key, name in snippets]})
