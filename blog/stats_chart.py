"""
An article's last 30 days of views as a small bar chart for the post admin: SVG drawn here on the
server (no chart script, nothing from another site), with a sentence and a table for screen
readers and for exact figures.
"""

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import stats

WIDTH, HEIGHT, GAP = 600, 120, 2


def views_chart_html(post, today=None):
    days = stats.daily_views(post, today=today)
    total_views = sum(views for _, views, _ in days)
    total_sign_ups = sum(sign_ups for _, _, sign_ups in days)
    summary = format_html(
        "<p><strong>{}</strong> view{} and <strong>{}</strong> newsletter sign-up{} in the last "
        "{} days (readers’ browsers only: no bots, no prefetches, no cookies).</p>",
        total_views,
        "" if total_views == 1 else "s",
        total_sign_ups,
        "" if total_sign_ups == 1 else "s",
        len(days),
    )
    if not total_views and not total_sign_ups:
        return summary
    return format_html(
        '{}<figure class="stats-chart">{}<figcaption>{} – {}; tallest bar {} views; darker bars: '
        "days with newsletter sign-ups</figcaption>"
        "</figure><details><summary>Views per day</summary>"
        '<table class="stats-table"><thead><tr><th scope="col">Day</th><th scope="col">Views</th>'
        '<th scope="col">Sign-ups</th></tr></thead><tbody>{}</tbody></table></details>',
        summary,
        _bars_svg(days),
        date_format(days[0][0], "j M"),
        date_format(days[-1][0], "j M"),
        max(views for _, views, _ in days),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((date_format(day, "D j M"), views, sign_ups) for day, views, sign_ups in days[::-1]),
        ),
    )


def _bars_svg(days):
    tallest = max(views for _, views, _ in days) or 1
    bar_width = WIDTH / len(days)
    bars = []
    for n, (day, views, sign_ups) in enumerate(days):
        height = round(views / tallest * (HEIGHT - 4), 1)
        label = f"{date_format(day, 'D j M')}: {views} view{'s' * (views != 1)}"
        if sign_ups:
            label += f", {sign_ups} sign-up{'s' * (sign_ups != 1)}"
        bars.append(
            (
                round(n * bar_width, 1),
                round(HEIGHT - height, 1),
                round(bar_width - GAP, 1),
                height,
                "stats-chart__bar--signup" if sign_ups else "stats-chart__bar",
                label,
            )
        )
    return format_html(
        '<svg viewBox="0 0 {} {}" width="100%" height="{}" role="img" aria-label="{}" '
        'preserveAspectRatio="none">{}</svg>',
        WIDTH,
        HEIGHT,
        HEIGHT,
        "Views per day over the last 30 days",
        format_html_join(
            "",
            '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title></rect>',
            bars,
        ),
    )
