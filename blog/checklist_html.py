"""
How a checklist looks in the admin: on a change page, and as a list's "ready?" column.
An admin that shows one adds blog/admin/checklist.css to its Media.
"""

from django.templatetags.static import static
from django.utils.html import format_html, format_html_join

from .checklist import Level

ICONS = {
    Level.ERROR: ("admin/img/icon-no.svg", "Error"),
    Level.WARNING: ("admin/img/icon-alert.svg", "Warning"),
    Level.INFO: ("admin/img/icon-unknown.svg", "Information"),
    Level.PASS: ("admin/img/icon-yes.svg", "Passed"),
}


def checklist_html(checklist):
    """The summary, then every check with its icon."""
    items = format_html_join(
        "",
        '<li class="checklist__item checklist__item--{}">'
        '<img src="{}" alt="{}" width="14" height="14"> {}</li>',
        (
            (check.level, static(ICONS[check.level][0]), ICONS[check.level][1], check.message)
            for check in checklist.checks
        ),
    )
    return format_html(
        '<div class="checklist"><p class="checklist__summary">{}</p><ul>{}</ul></div>',
        summary_html(checklist),
        items,
    )


def summary_html(checklist):
    """ "Ready", or how many errors and warnings, marked with the worst one's icon."""
    level = Level.ERROR if checklist.errors else Level.WARNING if checklist.warnings else Level.PASS
    icon, alt = ICONS[level]
    return format_html(
        '<span class="checklist-summary checklist-summary--{}">'
        '<img src="{}" alt="{}" width="14" height="14"> {}</span>',
        level,
        static(icon),
        alt,
        checklist.summary,
    )
