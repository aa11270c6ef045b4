from ckeditor.widgets import CKEditorWidget
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html

from blog.checklist import SiteLinks
from blog.checklist_html import checklist_html, summary_html
from siteconfig.models import SiteSettings

from . import compose, deliverability, emails, subscriber_csv, tasks

# Importing admin_sending also registers the sending settings' page.
from .admin_sending import complaint_badge, deliverability_html, failure_badge
from .checklist import SAMPLE_READER, check_issue
from .models import Delivery, Issue, IssuePost, LinkClick, Subscriber, WeeklyRun, WelcomeEmail


class SubscriberStatusFilter(admin.SimpleListFilter):
    """Status, with how many subscribers each has."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        counts = Subscriber.objects.status_counts()
        return [
            (value, f"{label} ({counts.get(value, 0):,})")
            for value, label in Subscriber.Status.choices
        ]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="One address per row, in a column headed “email” or the first."
    )
    consent = forms.BooleanField(
        label="Everyone on this list agreed to get our newsletter, and we can show when and how.",
        help_text="Importing people who never agreed is spam, and unlawful in many countries.",
    )


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "name",
        "status",
        "created_at",
        "confirmed_at",
        "source_url",
        "imported",
    ]
    list_filter = [SubscriberStatusFilter, "imported"]
    search_fields = ["email", "name"]
    date_hierarchy = "created_at"
    actions = ["export_csv", "erase"]
    readonly_fields = [
        "email",
        "status",
        "created_at",
        "confirmed_at",
        "welcomed_at",
        "unsubscribed_at",
        "bounced_at",
        "source_url",
        "imported",
    ]
    change_list_template = "admin/newsletter/subscriber/change_list.html"

    def has_add_permission(self, request):
        return False  # People sign up themselves (consent), or come in through the CSV import.

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # "Erase" replaces it and leaves no trace.
        return actions

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="newsletter_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="newsletter_export"),
            *super().get_urls(),
        ]

    @admin.action(description="Export selected as CSV (with consent evidence)")
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    @admin.action(description="Erase selected entirely (GDPR)", permissions=["delete"])
    def erase(self, request, queryset):
        count = 0
        for subscriber in queryset:
            subscriber.erase()
            count += 1
        self._log_erasure(request, count)
        self.message_user(request, f"Erased {count} subscriber(s) and their history.")

    def delete_model(self, request, obj):
        obj.erase()

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            subscriber.erase()

    def log_deletions(self, request, queryset):
        # The default entry would keep the address (str(obj)) in the admin history.
        self._log_erasure(request, len(queryset))

    def _log_erasure(self, request, count):
        LogEntry.objects.create(
            user_id=request.user.pk,
            content_type=ContentType.objects.get_for_model(Subscriber),
            object_repr=f"{count} subscriber(s) erased",
            action_flag=DELETION,
        )

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(Subscriber.objects.all())

    def _csv_response(self, queryset):
        filename = f"subscribers-{timezone.localdate():%Y-%m-%d}.csv"
        return StreamingHttpResponse(
            subscriber_csv.export_rows(queryset),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            source = f"Imported from {upload.name} by {request.user} on {timezone.localdate()}"
            report = subscriber_csv.import_csv(upload.file, source)
            self.message_user(
                request,
                f"Imported {report.added} new subscriber(s); {report.existing} already known "
                f"(left as they were); {report.invalid} invalid row(s) skipped.",
            )
            return redirect("admin:newsletter_subscriber_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import subscribers",
        }
        return render(request, "admin/newsletter/subscriber/import.html", context)


class IssueForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "preheader", "intro"]
        widgets = {"intro": CKEditorWidget()}


class IssuePostInline(admin.TabularInline):
    model = IssuePost
    extra = 1
    autocomplete_fields = ["post"]
    fields = ["post", "position"]
    verbose_name = "featured post"
    verbose_name_plural = "featured posts (in this order; only published posts are shown)"

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.status == Issue.Status.DRAFT) and super().has_change_permission(
            request, obj
        )

    has_add_permission = has_delete_permission = has_change_permission


class LinkClickInline(admin.TabularInline):
    """Clicks per link of a sent issue, counted without knowing who clicked (link_tracking.py)."""

    model = LinkClick
    fields = ["url", "clicks", "first_click_at"]
    readonly_fields = fields
    extra = max_num = 0
    can_delete = False
    verbose_name = "link click"
    verbose_name_plural = "link clicks (anonymous: a count per link, not per reader)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue")  # Each row names it.

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueForm
    inlines = [IssuePostInline, LinkClickInline]
    list_display = [
        "subject",
        "status",
        "rates",
        "sent_at",
        "recipients_count",
        "sent_count",
        "failed_count",
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    date_hierarchy = "created_at"
    change_form_template = "admin/newsletter/issue/change_form.html"
    change_list_template = "admin/newsletter/issue/change_list.html"

    class Media:
        css = {"all": ["blog/admin/checklist.css", "newsletter/admin/deliverability.css"]}

    @admin.display(description="complaints · permanent failures")
    def rates(self, issue):
        if issue.status == Issue.Status.DRAFT:
            return None
        return format_html(
            '<span class="band-pair">{} {}</span>', complaint_badge(issue), failure_badge(issue)
        )

    @admin.display(description="deliverability")
    def deliverability(self, issue):
        return deliverability_html(issue)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        # Clicks exist only once an issue has gone out.
        if obj is None or obj.status == Issue.Status.DRAFT:
            inlines = [i for i in inlines if not isinstance(i, LinkClickInline)]
        return inlines

    def get_queryset(self, request):
        # The "ready?" column renders each draft's email from its prefetched posts.
        return super().get_queryset(request).with_featured_posts()

    def get_list_display(self, request):
        # Shared by every row, so the column costs the same queries for 5 issues or 500.
        links, site_settings = SiteLinks(), SimpleLazyObject(SiteSettings.load)

        @admin.display(description="ready?")
        def ready(issue):
            if issue.status != Issue.Status.DRAFT:
                return None  # Sent or sending: the checklist was for before that.
            return summary_html(check_issue(issue, links=links, site_settings=site_settings))

        columns = list(super().get_list_display(request))
        columns.insert(columns.index("status") + 1, ready)
        return columns

    def get_readonly_fields(self, request, obj=None):
        state = ["status", "scheduled_for", "held", "queue", "deliverability"]
        state += ["send_started_at", "sent_at"]
        if obj and obj.status != Issue.Status.DRAFT:
            return ["subject", "preheader", "intro", *state]  # What went out is history.
        return ["checklist", *state] if obj else []

    def get_fieldsets(self, request, obj=None):
        fields = ["subject", "preheader", "intro"]
        if obj is None:
            return [(None, {"fields": fields})]
        state = ["status", "scheduled_for", "held", "queue", "send_started_at", "sent_at"]
        fieldsets = [(None, {"fields": [*fields, *state]})]
        if obj.status != Issue.Status.DRAFT:
            fieldsets.append(("What the mail servers said", {"fields": ["deliverability"]}))
        if obj.status == Issue.Status.DRAFT:
            description = (
                "Checked on the email as a reader would get it, from the saved issue. "
                "Save to check your latest changes."
            )
            checklist = ("Ready to send?", {"fields": ["checklist"], "description": description})
            fieldsets.insert(0, checklist)
        return fieldsets

    @admin.display(description="checklist")
    def checklist(self, issue):
        return checklist_html(check_issue(issue))

    @admin.display(description="queue")
    def queue(self, obj):
        counts = obj.deliveries.status_counts()
        if not counts:
            return "Not sent yet."
        failures = reverse("admin:newsletter_delivery_changelist") + (
            f"?issue__id__exact={obj.pk}&status__exact=failed"
        )
        return format_html(
            "{} pending · {} sent · {} failed (<a href='{}'>see why</a>) · {} skipped"
            " · {} being sent",
            counts.get("pending", 0),
            counts.get("sent", 0),
            counts.get("failed", 0),
            failures,
            counts.get("skipped", 0),
            counts.get("sending", 0),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "last_run": WeeklyRun.objects.first()}
        warn_without_worker(request)
        warn_paused(request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            warn_without_worker(request)
            warn_paused(request)
            if Issue.objects.filter(pk=object_id, status=Issue.Status.DRAFT).exists():
                for warning in deliverability.band_warnings_of_last_issue():
                    messages.warning(request, f"Before you send this one: {warning}")
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_html), name="newsletter_issue_preview"),
            path(
                "<int:pk>/preview.txt",
                view(self.preview_text),
                name="newsletter_issue_preview_text",
            ),
            path("<int:pk>/send-test/", view(self.send_test), name="newsletter_issue_send_test"),
            path("<int:pk>/send-now/", view(self.send_now), name="newsletter_issue_send_now"),
            path("<int:pk>/hold/", view(self.hold), name="newsletter_issue_hold"),
            *super().get_urls(),
        ]

    def _issue(self, request, pk, permission="view"):
        issue = get_object_or_404(Issue, pk=pk)
        allowed = {
            "view": self.has_view_permission(request, issue),
            "send": request.user.has_perm("newsletter.send_issue"),
        }[permission]
        if not allowed:
            raise PermissionDenied
        return issue

    def _sample_message(self, request, issue):
        # The reader's copy exactly as sent, addressed to the editor looking at it.
        reader = Subscriber(email=request.user.email or "reader@example.com")
        return emails.issue_message(issue, reader)

    def preview_html(self, request, pk):
        message = self._sample_message(request, self._issue(request, pk))
        return HttpResponse(message.alternatives[0].content)

    def preview_text(self, request, pk):
        message = self._sample_message(request, self._issue(request, pk))
        return HttpResponse(message.body, content_type="text/plain; charset=utf-8")

    def send_test(self, request, pk):
        issue = self._issue(request, pk)
        if request.method != "POST":
            return redirect("admin:newsletter_issue_change", pk)
        if not request.user.email:
            self.message_user(
                request, "Add an email address to your account first.", messages.ERROR
            )
        else:
            try:
                emails.render_issue(issue).test_message_for(request.user.email).send()
            except OSError as error:
                self.message_user(request, f"Could not send the test: {error}", messages.ERROR)
            else:
                self.message_user(request, f"Sent a test to {request.user.email}.")
        return redirect("admin:newsletter_issue_change", pk)

    def hold(self, request, pk):
        """Hold a scheduled draft (it won't go by itself), or release it."""
        issue = self._issue(request, pk, "send")
        if request.method == "POST" and issue.status == Issue.Status.DRAFT:
            if request.POST.get("hold") == "1":
                compose.hold(issue)
                self.log_change(request, issue, "Held: not sent at its scheduled time.")
                self.message_user(request, "Held: it won’t go until someone releases it.")
            else:
                compose.release(issue)
                self.log_change(request, issue, "Released for its scheduled time.")
                self.message_user(request, "Released: it goes at its scheduled time.")
                if issue.scheduled_for and issue.scheduled_for <= timezone.now():
                    tasks.queue_schedule()  # Its time has passed: the schedule sends it now.
        return redirect("admin:newsletter_issue_change", pk)

    def send_now(self, request, pk):
        issue = self._issue(request, pk, "send")
        if issue.status == Issue.Status.PAUSED and request.method == "POST":
            deliverability.resume(issue)
            tasks.send_issue.enqueue(issue.pk)
            self.log_change(request, issue, "Resumed the paused send.")
            self.message_user(
                request, "Resumed: the send goes on from where it stopped; nobody gets it twice."
            )
            return redirect("admin:newsletter_issue_change", issue.pk)
        # A partly sent issue has gone past this gate already; resuming only finishes the job.
        checklist = check_issue(issue) if issue.status == Issue.Status.DRAFT else None
        blocked = checklist is not None and not checklist.ready
        if request.method == "POST":
            override = blocked and request.POST.get("send_anyway") == "on"
            if not blocked or override:
                return self._start_sending(request, issue, checklist if override else None)
            self.message_user(
                request,
                "Not sent: the checklist found problems readers would see. Fix them, or tick "
                "“Send anyway” to send the issue as it is.",
                messages.ERROR,
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": issue,
            "title": "Send this issue now?",
            "recipients": Subscriber.objects.confirmed().count(),
            "posts": issue.featured_posts(),
            "checklist": checklist_html(checklist) if checklist else None,
            "blocked": blocked,
            "warnings": deliverability.warnings_before_next_send(),
        }
        return render(request, "admin/newsletter/issue/send_now.html", context)

    def _start_sending(self, request, issue, overridden=None):
        issue.start_sending()
        tasks.send_issue.enqueue(issue.pk)
        issue.refresh_from_db()
        self.message_user(
            request,
            f"Sending to {issue.recipients_count:,} subscribers in the background. "
            "Reload this page to follow the queue.",
        )
        if overridden:
            errors = " ".join(check.message for check in overridden.errors)
            self.log_change(request, issue, f"Sent despite the checklist's errors: {errors}")
            self.message_user(
                request,
                "Sending despite the checklist's errors, as you confirmed.",
                messages.WARNING,
            )
        return redirect("admin:newsletter_issue_change", issue.pk)


def warn_paused(request):
    for issue in Issue.objects.filter(status=Issue.Status.PAUSED).only("subject", "pause_reason"):
        messages.error(
            request,
            f"“{issue.subject}” paused by itself: {issue.pause_reason}. Look at its failed "
            "deliveries, then resume it from its page.",
        )


def warn_without_worker(request):
    if waiting := tasks.waiting_without_worker():
        messages.warning(
            request,
            f"{waiting} background task{pluralize(waiting)} (“Send now”, retries) "
            f"{pluralize(waiting, 'has,have')} waited over two minutes: no task worker seems to "
            "be running. Start one with “manage.py db_worker” (make run starts it; in "
            "production, deploy/backandneck-worker.service).",
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "subscriber",
        "issue",
        "status",
        "attempts",
        "sent_at",
        "next_attempt_at",
        "claimed_by",
        "error",
    ]
    list_filter = ["status", "issue"]
    list_select_related = ["subscriber", "issue"]
    search_fields = ["subscriber__email"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WeeklyRun)
class WeeklyRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "finished_at",
        "composed_issue",
        "sent",
        "failed",
        "summary",
        "error",
    ]
    readonly_fields = [field.name for field in WeeklyRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WelcomeEmailForm(forms.ModelForm):
    class Meta:
        model = WelcomeEmail
        fields = ["enabled", "subject", "body", "posts"]
        widgets = {"body": CKEditorWidget()}

    def clean_posts(self):
        posts = self.cleaned_data["posts"]
        if len(posts) > WelcomeEmail.MAX_POSTS:
            raise forms.ValidationError(
                f"Choose at most {WelcomeEmail.MAX_POSTS} articles: a welcome is a short email."
            )
        return posts


@admin.register(WelcomeEmail)
class WelcomeEmailAdmin(admin.ModelAdmin):
    """One row (WelcomeEmail.load()): the list goes straight to it; no adding or deleting."""

    form = WelcomeEmailForm
    autocomplete_fields = ["posts"]
    change_form_template = "admin/newsletter/welcomeemail/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        WelcomeEmail.load()
        return redirect("admin:newsletter_welcomeemail_change", 1)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("preview/", preview, name="newsletter_welcomeemail_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request):
        """The saved welcome email's HTML, as a new reader would get it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        reader = Subscriber(pk=0, email=request.user.email or SAMPLE_READER)
        message = emails.welcome_message(reader, WelcomeEmail.load())
        return HttpResponse(message.alternatives[0].content)
