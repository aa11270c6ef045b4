"""
Every newsletter email passes an email-HTML check: the things that decide whether it renders in
Gmail, Outlook (Word's engine), Apple Mail and phones, light or dark.

- Layout from tables (role="presentation"), with Outlook's fixed-width ghost table; no flex,
  grid, floats or positioning, which Outlook and many webmail clients drop.
- CSS inlined: every layout element carries its own style attribute, so the email keeps its
  shape where the <style> block is dropped (Gmail in some apps, Outlook.com forwards); the
  block stays for media queries only (narrow screens, dark mode).
- Dark-mode safe: it declares color-scheme, sets its own background wherever it sets a text
  colour (no dark text left on a transparent background a dark client turns black), and uses no
  pure black text, which clients that invert colours leave unreadable.
- Alt text on every image; under Gmail's 102 KB clip.
- A text part that reads well: no tags or entities, every link as its URL, wrapped lines.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from newsletter import emails

pytestmark = pytest.mark.django_db

GMAIL_CLIP_BYTES = 102 * 1000  # Gmail clips a message's HTML past ~102 KB ("[Message clipped]").
TEXT_WIDTH = 78  # RFC 5322's recommended line length.
LAYOUT_TAGS = {"table", "td"}
FORBIDDEN_LAYOUT = re.compile(r"display:\s*(flex|grid)|float:|position:\s*(absolute|fixed)")
PURE_BLACK = re.compile(r"(?<![-\w])color:\s*(#000\b|#000000\b|black\b|rgb\(0,\s*0,\s*0\))")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []  # (tag, attrs, ancestors' styles)
        self.stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs, [a.get("style") or "" for _, a in self.stack]))
        if tag not in {"img", "meta", "br", "link", "input", "hr"}:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break


def parse(html):
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def body_of(html):
    return html.split("<body", 1)[1]


def check_email(message):
    """The email-HTML check: a list of what is wrong, empty when the email passes."""
    html = message.alternatives[0].content
    text = message.body
    problems = []
    tags = parse(html)
    body_tags = parse(body_of(html))

    # Layout
    if not any(t == "table" and a.get("role") == "presentation" for t, a, _ in body_tags):
        problems.append("no role=presentation layout table")
    if "<!--[if mso]>" not in html:
        problems.append("no fixed-width table for Outlook (<!--[if mso]>)")
    if FORBIDDEN_LAYOUT.search(html):
        problems.append(f"layout Outlook drops: {FORBIDDEN_LAYOUT.search(html).group()}")

    # Inlined CSS
    for tag, attrs, _ in body_tags:
        if tag in LAYOUT_TAGS and attrs.get("class") and not attrs.get("style"):
            problems.append(f"<{tag} class={attrs['class']!r}> has no inline style")
    if not re.search(r'<body[^>]*style="[^"]*background-color', html):
        problems.append("the body's background is not inlined")

    # Dark mode
    metas = {a.get("name"): a.get("content", "") for t, a, _ in tags if t == "meta"}
    if "light dark" not in metas.get("color-scheme", ""):
        problems.append('no <meta name="color-scheme" content="light dark">')
    if "light dark" not in metas.get("supported-color-schemes", ""):
        problems.append('no <meta name="supported-color-schemes" content="light dark">')
    if PURE_BLACK.search(html):
        problems.append("pure black text (unreadable once inverted)")
    for tag, attrs, ancestors in body_tags:
        style = attrs.get("style") or ""
        if re.search(r"(?<![-\w])color:", style) and tag not in {"a", "span", "strong"}:
            backgrounds = [style, *ancestors]
            if not any("background-color" in s for s in backgrounds):
                problems.append(f"<{tag}> sets a text colour on a transparent background")
                break

    # Images and size
    for tag, attrs, _ in body_tags:
        if tag == "img" and not (attrs.get("alt") or "").strip():
            problems.append(f"<img src={attrs.get('src')!r}> has no alt text")
    size = len(html.encode())
    if size >= GMAIL_CLIP_BYTES:
        problems.append(f"HTML is {size:,} bytes: Gmail clips it")

    # The text part
    if re.search(r"</?[a-zA-Z][^>]*>", text):
        problems.append("HTML tags in the text part")
    if re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", text, re.I):
        problems.append("HTML entities in the text part")
    links = {
        a["href"]
        for t, a, _ in body_tags
        if t == "a" and a.get("href", "").startswith(("http://", "https://"))
    }
    for href in sorted(links):
        if href.replace("&amp;", "&") not in text:
            problems.append(f"link {href} missing from the text part")
    for line in text.splitlines():
        if len(line) > TEXT_WIDTH and " " in line.strip() and "://" not in line:
            problems.append(f"unwrapped line in the text part: {line[:40]}…")
    return problems


# Each kind of email (the templates' <kind>_subject.txt) with how to build one.
def _confirm(make_subscriber, make_issue):
    return emails.confirm_message(make_subscriber(status="pending"))


def _issue(make_subscriber, make_issue):
    reader = make_subscriber(name="Sam")
    return emails.issue_message(make_issue(intro="<p>" + "A long intro sentence. " * 20), reader)


def _editor_notice(make_subscriber, make_issue):
    return emails.editor_notice_message(
        ["editor@example.com"],
        subject="Newsletter paused: This week",
        headline="A newsletter send paused by itself",
        paragraphs=["Sending stopped after 100 of 1,000 messages. " * 3, "Look, then resume."],
        action_url="https://backandneck.example/admin/newsletter/issue/1/change/",
        action_label="Review and resume",
    )


def _welcome(make_subscriber, make_issue):
    from newsletter.models import WelcomeEmail

    welcome = WelcomeEmail.load()
    welcome.posts.set(make_issue().posts.all())
    return emails.welcome_message(make_subscriber(status="confirmed"), welcome)


KINDS = {
    "confirm": _confirm,
    "issue": _issue,
    "editor_notice": _editor_notice,
    "welcome": _welcome,
}


def test_every_kind_of_newsletter_email_is_checked():
    folder = Path(settings.BASE_DIR) / "templates" / "newsletter" / "email"
    kinds = {path.name.removesuffix("_subject.txt") for path in folder.glob("*_subject.txt")}
    assert kinds <= set(KINDS), f"Add {kinds - set(KINDS)} to KINDS in this module"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_email_passes_the_email_html_check(kind, make_subscriber, make_issue):
    message = KINDS[kind](make_subscriber, make_issue)
    assert check_email(message) == []


def test_the_check_catches_what_breaks_in_mail_clients(make_subscriber, make_issue):
    message = _confirm(make_subscriber, make_issue)
    html = message.alternatives[0].content
    broken = (
        html.replace('content="light dark"', 'content="light"')
        .replace("<table", '<img src="x.png"><table', 1)
        .replace("background-color: #f3efe8", "color: #000")
    )
    message.alternatives = []
    message.attach_alternative(broken + "x" * GMAIL_CLIP_BYTES, "text/html")
    message.body = "<p>Hello &amp; " + "word " * 30 + "</p>"
    problems = " | ".join(check_email(message))
    for expected in [
        "color-scheme",
        "no alt text",
        "pure black",
        "Gmail clips it",
        "HTML tags in the text part",
        "HTML entities",
        "unwrapped line",
        "missing from the text part",
    ]:
        assert expected in problems
