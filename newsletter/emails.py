"""
The one place that builds the newsletter's emails.

Templates come in threes per kind (newsletter/email/<kind>_subject.txt, <kind>.txt,
<kind>.html). HTML gets its CSS inlined here, because Gmail and Outlook ignore or mangle
much of a <style> block; the block stays for media queries (narrow screens, dark mode).
"""

import html as html_lib
import re
import textwrap
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import make_msgid
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, strip_tags

from blog.html import sanitize_html
from blog.snippets import expand_snippets
from siteconfig.models import SiteSettings

from . import schedule, tokens

# Remote stylesheets are never fetched: rendering must not depend on the network.
_inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)

# The per-reader parts of an issue. The issue is rendered once per send with these markers,
# then each reader's copy is a string replacement: no template rendering or CSS inlining per
# message, which is what keeps a 100,000-reader send fast.
_UNSUBSCRIBE_MARK = "@@unsubscribe-url@@"
_ONE_CLICK_MARK = "@@one-click-url@@"
_EMAIL_MARK = "@@email@@"
_ADDRESS_MARK = "reader@marker.invalid"
# The name in "Hello Sam," in the text part and the HTML (escaped) one. Mid-line, after
# "Hello", so no marker starts a line (see _wire_template's dot-stuffing).
_GREETING_MARK = "@@greeting-name@@"
_GREETING_HTML_MARK = "@@greeting-name-html@@"
_GREETING_BYTES, _GREETING_HTML_BYTES = _GREETING_MARK.encode(), _GREETING_HTML_MARK.encode()
# Names whose greeting is the same bytes in the text part, the HTML and on the wire; any other
# reader's copy is built by message_for() (see smtp_copy_for()).
_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z' .-]{0,59}")
TEST_PREFIX = "[TEST] "
# Where a reader's unsubscribe token goes in the URLs, which are reversed once per send. Signed
# tokens only hold characters reverse() leaves as they are (base64url and ":").
_TOKEN_MARK = "@@token@@"
# Addresses that read the same in a header, in text and in HTML, so a byte swap is exact.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,189}")
# Room left on a line holding a marker, so filling it in never breaks SMTP's 998-byte limit.
_MAX_MARKED_LINE = 500

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


def greeting_name(name):
    """ " Sam" from "Sam Jones", for "Hello Sam,"; nothing (a plain "Hello,") without a name."""
    first = (name or "").split()
    return f" {first[0]}" if first else ""


def editor_notice_message(addresses, *, subject, headline, paragraphs, action_url, action_label):
    """A note to the editors (a send paused, an issue ready for review)."""
    context = _common_context("") | {
        "notice_subject": subject,
        "headline": headline,
        "paragraphs": paragraphs,
        "action_url": action_url,
        "action_label": action_label,
    }
    subject, text, html = _render("editor_notice", context)
    message = build_message(to=addresses[0], subject=subject, text=text, html=html)
    message.to = list(addresses)
    return message


def unsubscribe_headers(one_click_url):
    """RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders."""
    return {
        "List-Unsubscribe": f"<{one_click_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


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

    def message_for(self, subscriber, unsubscribe_urls=None):
        """One reader's copy: what previews show, and what non-SMTP backends send. Pass the
        reader's unsubscribe_urls() to know the exact ones in it (their tokens carry the time)."""
        unsubscribe_url, one_click_url = unsubscribe_urls or self.unsubscribe_urls(subscriber)
        hello = greeting_name(getattr(subscriber, "name", ""))
        text = (
            self.text.replace(_UNSUBSCRIBE_MARK, unsubscribe_url)
            .replace(_EMAIL_MARK, subscriber.email)
            .replace(_GREETING_MARK, hello)
        )
        html = (
            self.html.replace(_UNSUBSCRIBE_MARK, escape(unsubscribe_url))
            .replace(_EMAIL_MARK, escape(subscriber.email))
            .replace(_GREETING_HTML_MARK, escape(hello))
        )
        return self._message(subscriber.email, text, html, one_click_url)

    def test_message_for(self, email):
        """A test send's copy: [TEST] in the subject, and links that unsubscribe nobody."""
        message = self.message_for(tokens.TestReader(email))
        message.subject = TEST_PREFIX + self.subject
        return message

    def smtp_copy_for(self, subscriber):
        """
        The same copy as message_for(), serialised and framed for SMTP (an SMTPCopy), made by
        swapping the reader's details into bytes serialised and framed once per send: building
        and encoding a MIME message per reader cost more than sending it. Returns None when
        that isn't exact for this reader (an address that needs encoding); the caller then
        uses message_for().
        """
        values = self._wire_values(subscriber)
        if values is None:
            return None
        template = self._wire_template
        data = template.fill(values)
        return SMTPCopy(subscriber.email, data, len(data) - template.framing_adds)

    def _wire_values(self, subscriber):
        template = self._wire_template
        if template is None or not _PLAIN_ADDRESS.fullmatch(subscriber.email):
            return None
        name = subscriber.name
        if name and not _PLAIN_NAME.fullmatch(name):
            return None
        unsubscribe_url, one_click_url = self.unsubscribe_urls(subscriber)
        email = subscriber.email.encode()
        hello = greeting_name(name).encode() if name else b""
        return {
            _GREETING_BYTES: hello,
            # A plain name's one character HTML escapes (escape() would do the same, slower).
            _GREETING_HTML_BYTES: hello.replace(b"'", b"&#x27;"),
            template.message_id: make_msgid(domain=DNS_NAME).encode(),
            _UNSUBSCRIBE_MARK.encode(): unsubscribe_url.encode(),
            _ONE_CLICK_MARK.encode(): one_click_url.encode(),
            _EMAIL_MARK.encode(): email,
            _ADDRESS_MARK.encode(): email,
        }

    @cached_property
    def _wire_template(self):
        message = self._message(_ADDRESS_MARK, self.text, self.html, _ONE_CLICK_MARK).message()
        data = message.as_bytes(linesep="\r\n")
        marks = [_UNSUBSCRIBE_MARK, _ONE_CLICK_MARK, _EMAIL_MARK, _ADDRESS_MARK]
        marks += [_GREETING_MARK, _GREETING_HTML_MARK]
        expected = self.text + self.html + _ONE_CLICK_MARK + _ADDRESS_MARK
        intact = all(data.count(m.encode()) == expected.count(m) for m in marks)
        roomy = all(
            len(line) <= _MAX_MARKED_LINE
            for line in data.split(b"\r\n")
            if any(m.encode() in line for m in marks)
        )
        if not (intact and roomy):  # Quoted-printable or base64 would scatter the markers.
            return None
        message_id = message["Message-ID"].encode()
        markers = [m.encode() for m in marks] + [message_id]
        # Literal bytes at even positions, markers at odd ones.
        pieces = re.split(b"(" + b"|".join(map(re.escape, markers)) + b")", data)
        # Dot-stuffed once for the whole send, which saves a pass over every message. Exact
        # while no marker starts a line: then no value begins a line, and as values hold no
        # line breaks, every literal after a marker starts mid-line. (A template where one
        # does is sent the general way, like an address that needs encoding.)
        if not pieces[0] or any(pieces[n - 1].endswith(b"\n") for n in range(1, len(pieces), 2)):
            return None
        framed = [_dot_stuffed(pieces[0])]
        framed += [piece.replace(b"\n.", b"\n..") for piece in pieces[1:]]
        framed[-1] += (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n"
        framing_adds = sum(map(len, framed)) - sum(map(len, pieces))
        return _WireTemplate(pieces=framed, message_id=message_id, framing_adds=framing_adds)

    def unsubscribe_urls(self, subscriber):
        """The reader's unsubscribe page and RFC 8058 one-click address."""
        token = tokens.make_unsubscribe_token(subscriber)
        return tuple(url.replace(_TOKEN_MARK, token) for url in self._unsubscribe_url_patterns)

    @cached_property
    def _unsubscribe_url_patterns(self):
        return (
            absolute_url(reverse("newsletter:unsubscribe", args=[_TOKEN_MARK])),
            absolute_url(reverse("newsletter:unsubscribe_one_click", args=[_TOKEN_MARK])),
        )

    def _message(self, to, text, html, one_click_url):
        return build_message(
            to=to,
            subject=self.subject,
            text=text,
            html=html,
            headers=unsubscribe_headers(one_click_url),
        )


class SMTPCopy(NamedTuple):
    """
    A reader's copy as SMTP carries it. `recipient` is a plain address, ready for RCPT TO;
    `data` is what follows DATA: the message dot-stuffed (RFC 5321 4.5.2) and ended with the
    line holding only "."; `size` is the message's own size, for the SIZE extension (RFC 1870).
    """

    recipient: str
    data: bytes
    size: int


@dataclass(frozen=True)
class _WireTemplate:
    # The message serialised and framed for SMTP's DATA (see SMTPCopy), split at its markers:
    # literal, marker, literal, …
    pieces: list
    message_id: bytes
    framing_adds: int  # How many bytes the framing adds to every message.

    def fill(self, values):
        """The message with each marker replaced by its value, in one pass."""
        pieces = self.pieces.copy()
        pieces[1::2] = [values[marker] for marker in pieces[1::2]]
        return b"".join(pieces)


def _dot_stuffed(data):
    """RFC 5321 4.5.2, as smtplib does it: a dot that starts a line is doubled."""
    data = data.replace(b"\n.", b"\n..")
    return b"." + data if data.startswith(b".") else data


def render_issue(issue, site_settings=None):
    """The issue rendered once for a whole send; pass `site_settings` to reuse loaded ones."""
    posts = [_post_context(post) for post in issue.featured_posts()]
    context = _common_context(_EMAIL_MARK, site_settings) | {
        "issue": issue,
        # Editors write links as /path/; a mail client has no site to resolve them against.
        # Sanitised on save too; again here, so an intro that reached the row another way
        # cannot put markup in thousands of inboxes.
        # Reusable snippets (blog/snippets.py) are inserted as in the archive page.
        "intro_html": _RELATIVE_URL.sub(
            rf'\1="{settings.SITE_URL}/', expand_snippets(sanitize_html(issue.intro))
        ),
        "intro_text": _plain_text(expand_snippets(sanitize_html(issue.intro))),
        "posts": posts,
        "preheader": issue.preheader or ", ".join(p["title"] for p in posts[:3]),
        "unsubscribe_url": _UNSUBSCRIBE_MARK,
        "greeting": _GREETING_MARK,
        "greeting_html": _GREETING_HTML_MARK,
        "web_url": absolute_url(issue.get_absolute_url()),
    }
    subject, text, html = _render("issue", context)
    return RenderedIssue(subject=subject, text=text, html=html)


def _post_context(post):
    return {
        "title": post.title,
        "excerpt": post.excerpt or post.description,
        # An article's key points, when it has them, are its teaser.
        "key_points": post.key_point_list,
        "url": absolute_url(post.get_absolute_url()),
        "category": post.category.name,
        "image_url": absolute_url(post.featured_image.url) if post.featured_image else "",
        "image_alt": post.featured_image_alt,
        "minutes": post.reading_minutes,
    }


def welcome_message(subscriber, welcome):
    """The welcome email (newsletter/welcome.py), with the same unsubscribe headers as an issue."""
    token = tokens.make_unsubscribe_token(subscriber)
    context = _common_context(subscriber.email) | {
        "welcome_subject": welcome.subject,
        "body_html": _RELATIVE_URL.sub(rf'\1="{settings.SITE_URL}/', sanitize_html(welcome.body)),
        "body_text": _plain_text(welcome.body),
        "posts": [_post_context(post) for post in welcome.recommended_posts()],
        "send_day": schedule.weekly_send_day(),
        "archive_url": absolute_url(reverse("newsletter:issue_list")),
        "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[token])),
    }
    subject, text, html = _render("welcome", context)
    one_click_url = absolute_url(reverse("newsletter:unsubscribe_one_click", args=[token]))
    return build_message(
        to=subscriber.email,
        subject=subject,
        text=text,
        html=html,
        headers=unsubscribe_headers(one_click_url),
    )


def issue_message(issue, subscriber):
    """One reader's copy of an issue (for previews and tests; sending reuses a RenderedIssue)."""
    return render_issue(issue).message_for(subscriber)


def _common_context(email, site=None):
    site = site or SiteSettings.load()
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
    text = wrap_text(render_to_string(f"newsletter/email/{kind}.txt", context).strip()) + "\n"
    html = _inliner.inline(render_to_string(f"newsletter/email/{kind}.html", context))
    return subject, text, html


def wrap_text(text, width=76):
    """
    Wrap a text part's long lines for mail clients that show it as it is, never breaking a
    URL or a word; list items keep their indent.
    """
    lines = []
    for line in text.splitlines():
        if len(line) <= width:
            lines.append(line)
            continue
        indent = "  " if line.startswith("- ") else ""
        lines.extend(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(lines)


def _plain_text(html):
    """Rich text as readable plain text: one paragraph per line, no tags, no entities."""
    text = html_lib.unescape(strip_tags(_BLOCK_END.sub("\n", html or "")))
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
