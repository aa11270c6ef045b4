"""The admin's deliverability panel and band badges, and the sending-settings page."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import deliverability, schedule, tasks
from .models import SendingSettings


def _percent(rate):
    return "–" if rate is None else f"{rate:.2f} %"


def band_html(band, rate):
    name = "none" if rate is None else band
    label = "no data yet" if rate is None else band
    return format_html('<span class="band band--{}">{} · {}</span>', name, _percent(rate), label)


def complaint_badge(issue):
    return band_html(deliverability.complaint_band(issue), deliverability.complaint_rate(issue))


def failure_badge(issue):
    return band_html(
        deliverability.failure_band(issue), deliverability.permanent_failure_rate(issue)
    )


def deliverability_html(issue):
    """What the mail servers said about the issue, with its rates in the industry's bands."""
    rows = [
        ("Accepted (2xx)", issue.sent_count),
        ("Deferred (4xx, retried later)", issue.deferred_count),
        ("Hard bounces (5xx or reported)", issue.hard_bounce_count),
        ("Soft bounces (kept deferring)", issue.soft_bounce_count),
        ("Spam complaints", issue.complaint_count),
    ]
    rows = [(label, f"{count:,}") for label, count in rows]
    counts = format_html_join("", '<tr><th>{}</th><td class="number">{}</td></tr>', rows)
    pause = ""
    if issue.status == issue.Status.PAUSED:
        pause = format_html(
            "<p><strong>Paused {}:</strong> {}</p>",
            date_format(timezone.localtime(issue.paused_at), "j M H:i"),
            issue.pause_reason,
        )
    return format_html(
        '{}<table class="deliverability">{}'
        "<tr><th>Complaint rate</th><td>{}</td></tr>"
        "<tr><th>Permanent-failure rate</th><td>{}</td></tr></table>"
        '<p class="deliverability-bands">Complaints: under {} % good, over {} % dangerous. '
        "Permanent failures: under {} % good, over {} % problematic.</p>",
        pause,
        counts,
        complaint_badge(issue),
        failure_badge(issue),
        f"{deliverability.COMPLAINTS_GOOD:g}",
        f"{deliverability.COMPLAINTS_DANGEROUS:g}",
        f"{deliverability.FAILURES_GOOD:g}",
        f"{deliverability.FAILURES_PROBLEMATIC:g}",
    )


@admin.register(SendingSettings)
class SendingSettingsAdmin(admin.ModelAdmin):
    readonly_fields = ["next_send"]
    fieldsets = [
        (
            "The weekly send",
            {"fields": ["weekday", "send_time", "lead_hours", "window_hours", "next_send"]},
        ),
        (
            "Rate and warm-up",
            {"fields": ["per_second", "per_hour", "warmup_started_on", "warmup_daily_caps"]},
        ),
        ("Brake", {"fields": ["pause_error_percent", "pause_sample"]}),
    ]

    @admin.display(description="next weekly send")
    def next_send(self, obj):
        moment = schedule.next_weekly_send(sending_settings=obj)
        return format_html(
            "{} ({}), composed for review {} h before",
            date_format(timezone.localtime(moment), "l j F Y, H:i"),
            timezone.get_current_timezone_name(),
            obj.lead_hours,
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_object(self, request, object_id, from_field=None):
        # The one row, with its defaults until first saved.
        return SendingSettings.load() if object_id == "1" else None

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:newsletter_sendingsettings_change", 1)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        tasks.queue_schedule()  # Run the schedule now, and from there on its new times.
