"""
The one place that builds the newsletter's emails.

Templates come in threes per kind (newsletter/email/<kind>_subject.txt, <kind>.txt,
<kind>.html). HTML gets its CSS inlined here, because Gmail and Outlook ignore or mangle
much of a <style> block; the block stays for media queries (narrow screens, dark mode).
"""

import html as html_lib
import re
from dataclasses import dataclass

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, strip_tags

from backandneck.models import SiteSettings

from . import tokens

# Remote stylesheets are never fetched: rendering must not depend on the network.
_inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)

# The per-reader parts of an issue. The issue is rendered once per send with these markers,
# then each reader's copy is a string replacement: no template rendering or CSS inlining per
# message, which is what keeps a 100,000-reader send fast.
_UNSUBSCRIBE_MARK = "@@unsubscribe-url@@"
_EMAIL_MARK = "@@email@@"

_RELATIVE_URL = re.compile(r'(href|src)="/(?!/)')
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|div)>|<br\s*/?>", re.IGNORECASE)


def absolute_url(path):
    return settings.SITE_URL + path


def build_message(*, to, subject, text, html, headers=None):
    """Every newsletter email: a plain-text part and an HTML alternative."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def confirm_message(subscriber):
    context = _common_context(subscriber.email) | {
        "confirm_url": absolute_url(
            reverse("newsletter:confirm", args=[tokens.make_confirm_token(subscriber)])
        ),
        "days": tokens.CONFIRM_MAX_AGE.days,
    }
    subject, text, html = _render("confirm", context)
    return build_message(to=subscriber.email, subject=subject, text=text, html=html)


@dataclass(frozen=True)
class RenderedIssue:
    """An issue rendered once, with markers where each reader's own details go."""

    subject: str
    text: str
    html: str

    def message_for(self, subscriber):
        token = tokens.make_unsubscribe_token(subscriber)
        unsubscribe_url = absolute_url(reverse("newsletter:unsubscribe", args=[token]))
        one_click_url = absolute_url(reverse("newsletter:unsubscribe_one_click", args=[token]))
        text = self.text.replace(_UNSUBSCRIBE_MARK, unsubscribe_url).replace(
            _EMAIL_MARK, subscriber.email
        )
        html = self.html.replace(_UNSUBSCRIBE_MARK, escape(unsubscribe_url)).replace(
            _EMAIL_MARK, escape(subscriber.email)
        )
        return build_message(
            to=subscriber.email,
            subject=self.subject,
            text=text,
            html=html,
            headers={
                # RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders.
                "List-Unsubscribe": f"<{one_click_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def render_issue(issue):
    posts = [
        {
            "title": post.title,
            "excerpt": post.excerpt or post.description,
            "url": absolute_url(post.get_absolute_url()),
            "category": post.category.name,
            "image_url": absolute_url(post.featured_image.url) if post.featured_image else "",
            "image_alt": post.featured_image_alt,
            "minutes": post.reading_minutes,
        }
        for post in issue.featured_posts()
    ]
    context = _common_context(_EMAIL_MARK) | {
        "issue": issue,
        # Editors write links as /path/; a mail client has no site to resolve them against.
        "intro_html": _RELATIVE_URL.sub(rf'\1="{settings.SITE_URL}/', issue.intro),
        "intro_text": _plain_text(issue.intro),
        "posts": posts,
        "preheader": issue.preheader or ", ".join(p["title"] for p in posts[:3]),
        "unsubscribe_url": _UNSUBSCRIBE_MARK,
        "web_url": absolute_url(issue.get_absolute_url()),
    }
    subject, text, html = _render("issue", context)
    return RenderedIssue(subject=subject, text=text, html=html)


def issue_message(issue, subscriber):
    """One reader's copy of an issue (for previews and tests; sending reuses a RenderedIssue)."""
    return render_issue(issue).message_for(subscriber)


def _common_context(email):
    site = SiteSettings.load()
    return {
        "site_name": site.site_name,
        "site_url": settings.SITE_URL,
        "postal_address": site.postal_address,
        "contact_email": site.contact_email,
        "email": email,
        "privacy_url": absolute_url("/privacy-policy/"),
    }


def _render(kind, context):
    subject = render_to_string(f"newsletter/email/{kind}_subject.txt", context)
    # A subject is one line: template whitespace (or a sneaky newline) must not break the header.
    subject = " ".join(subject.split())
    context = context | {"subject": subject}
    text = render_to_string(f"newsletter/email/{kind}.txt", context).strip() + "\n"
    html = _inliner.inline(render_to_string(f"newsletter/email/{kind}.html", context))
    return subject, text, html


def _plain_text(html):
    """Rich text as readable plain text: one paragraph per line, no tags, no entities."""
    text = html_lib.unescape(strip_tags(_BLOCK_END.sub("\n", html or "")))
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
