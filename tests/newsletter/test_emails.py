import base64
import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from newsletter import emails, link_tracking, sending
from newsletter.models import Subscriber
from siteconfig.models import SiteSettings

pytestmark = pytest.mark.django_db

# A 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://backandneck.example"
    site = SiteSettings.load()
    site.postal_address = "12 Spine Street, Springfield 12345, USA"
    site.save()
    return site


@pytest.fixture
def sent_message(site, smtp_sink, make_subscriber, make_issue, make_post):
    make_subscriber(email="reader@example.com")
    post = make_post(
        title="Five stretches for a stiff neck",
        excerpt="Gentle moves you can do at your desk.",
        featured_image=SimpleUploadedFile("neck.gif", PIXEL, content_type="image/gif"),
        featured_image_alt="A woman stretching her neck",
    )
    issue = make_issue(
        posts=[post],
        preheader="Plus: why your pillow matters",
        intro='<p>Hello! See <a href="/about/">who we are</a>.</p><script>alert(1)</script>',
    )
    sending.start_and_send(issue)
    [message] = smtp_sink.messages
    return message


def parts(message):
    """Each part's text, with the HTML's click-counting links (link_tracking.py) shown as the
    addresses they lead to."""
    return {
        part.get_content_type(): _followed(part.get_payload(decode=True).decode())
        for part in message.walk()
        if not part.is_multipart()
    }


def _followed(body):
    def target(match):
        return html_lib.escape(link_tracking.read_token(match.group(1))[1])

    return re.sub(r"https://backandneck\.example/newsletter/l/([^/\"]+)/", target, body)


def test_an_issue_email_has_a_text_and_an_html_part(sent_message):
    assert sent_message.get_content_type() == "multipart/alternative"
    assert set(parts(sent_message)) == {"text/plain", "text/html"}


def test_an_issue_email_has_the_one_click_unsubscribe_headers(sent_message):
    assert re.fullmatch(
        r"<https://backandneck\.example/newsletter/unsubscribe/[^/>]+/one-click/>",
        sent_message["List-Unsubscribe"].strip(),
    )
    assert sent_message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_header_unsubscribe_url_unsubscribes_with_a_bare_post(sent_message):
    path = (
        sent_message["List-Unsubscribe"]
        .strip()
        .strip("<>")
        .removeprefix("https://backandneck.example")
    )
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_both_parts_show_the_posts_the_address_the_reason_and_a_visible_unsubscribe_link(
    sent_message,
):
    for body in parts(sent_message).values():
        assert "Five stretches for a stiff neck" in body
        assert "Gentle moves you can do at your desk." in body
        assert "https://backandneck.example/five-stretches-for-a-stiff-neck/" in body
        assert "12 Spine Street, Springfield 12345, USA" in body
        assert "reader@example.com" in body
        assert "subscribed to the weekly" in body
        assert "https://backandneck.example/newsletter/unsubscribe/" in body


def test_the_html_part_is_inlined_responsive_and_tracking_free(sent_message):
    html = parts(sent_message)["text/html"]
    assert 'style="' in html  # CSS inlined
    assert "@media (max-width: 620px)" in html
    assert "prefers-color-scheme: dark" in html
    assert "Plus: why your pillow matters" in html  # preheader
    # Stored under a name taken from the image's content (blog/images.py).
    assert re.search(r'<img[^>]+src="https://backandneck\.example/media/posts/[^"]+\.gif"', html)
    assert 'alt="A woman stretching her neck"' in html
    assert 'href="https://backandneck.example/about/"' in html  # intro links made absolute
    assert "<script" not in html
    # No tracking: every image and link points at the site itself.
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("https://backandneck.example/"), url


def test_the_confirmation_email_has_both_parts_and_a_link(site, make_subscriber):
    subscriber = make_subscriber(status="pending", email="new@example.com")
    message = emails.confirm_message(subscriber)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    for body in (message.body, html):
        assert "https://backandneck.example/newsletter/confirm/" in body
        assert "12 Spine Street" in body
    assert message.subject == "Please confirm your subscription to Back & Neck"


def test_the_bytes_sent_over_smtp_are_the_message_previews_show(
    smtp_sink, make_subscriber, make_issue, monkeypatch
):
    from email import message_from_bytes, policy

    # Tokens carry the time: two made a second apart differ, which is not what this compares.
    monkeypatch.setattr(emails.tokens, "make_unsubscribe_token", lambda subscriber: "token")
    reader = make_subscriber(email="reader@example.com")
    issue = make_issue(intro="<p>Hello</p>")
    assert sending.start_and_send(issue).sent == 1
    [wire] = smtp_sink.messages
    built = message_from_bytes(
        link_tracking.tracked_issue(issue, emails.render_issue(issue))
        .message_for(reader)
        .message()
        .as_bytes(linesep="\r\n"),
        policy=policy.default,
    )
    assert wire["Message-ID"] != built["Message-ID"]
    for header in ["From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post"]:
        assert wire[header].strip() == built[header].strip()  # Folding may differ.
    assert parts(wire) == parts(built)


def unframed(copy):
    """The message an SMTP server takes from a copy's DATA (RFC 5321 4.5.2)."""
    assert copy.data.endswith(b"\r\n.\r\n")  # A line holding only "." ends the data.
    message = copy.data.removesuffix(b".\r\n")
    assert not re.search(rb"(?m)^\.(?!\.)", message)  # A dot that starts a line is doubled.
    return re.sub(rb"(?m)^\.", b"", message)


def test_the_smtp_copy_is_the_preview_dot_stuffed_and_ended(
    site, make_subscriber, make_issue, monkeypatch
):
    from email import message_from_bytes, policy

    monkeypatch.setattr(emails.tokens, "make_unsubscribe_token", lambda subscriber: "token")
    reader = make_subscriber(email="reader@example.com")
    rendered = emails.render_issue(make_issue(intro="<p>.</p><p>..two dots</p><p>.NET</p>"))

    copy = rendered.smtp_copy_for(reader)

    wire = unframed(copy)
    assert (copy.recipient, copy.size) == ("reader@example.com", len(wire))
    assert b"\r\n..\r\n" in copy.data and b"\r\n...two dots" in copy.data
    built = rendered.message_for(reader).message().as_bytes(linesep="\r\n")
    wire, built = (message_from_bytes(b, policy=policy.default) for b in (wire, built))
    assert parts(wire) == parts(built)


def test_lines_starting_with_dots_arrive_as_written(smtp_sink, make_subscriber, make_issue):
    make_subscriber(email="reader@example.com")
    issue = make_issue(intro="<p>.</p><p>..two dots</p><p>.NET is not a back exercise</p>")
    assert sending.start_and_send(issue).sent == 1
    [message] = smtp_sink.messages
    text = message.get_body(("plain",)).get_content().splitlines()
    assert {".", "..two dots", ".NET is not a back exercise"} <= set(text)


def test_an_address_that_needs_encoding_is_built_the_slow_way_and_still_arrives(
    smtp_sink, make_subscriber, make_issue
):
    reader = make_subscriber(email="jörg@example.com")
    assert emails.render_issue(make_issue()).smtp_copy_for(reader) is None
    assert sending.start_and_send(make_issue(subject="Second")).sent == 1
    assert smtp_sink.received


def test_the_welcome_email_arrives_with_both_parts_one_click_and_no_tracking(
    site, smtp_sink, make_subscriber, make_post
):
    from newsletter import welcome
    from newsletter.models import WelcomeEmail

    guide = make_post(title="Start here: a calmer back", excerpt="The basics in five minutes.")
    settings_row = WelcomeEmail.load()
    settings_row.body = '<p>Hello! See <a href="/about/">who we are</a>.</p>'
    settings_row.save()
    settings_row.posts.set([guide])
    subscriber = make_subscriber(email="reader@example.com")
    assert welcome.send_welcome.call(subscriber.pk) is True
    [message] = smtp_sink.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https://backandneck\.example/\S+/one-click/>", message["List-Unsubscribe"].strip()
    )
    body = parts(message)
    for part in (body["text/plain"], body["text/html"]):
        assert "Start here: a calmer back" in part
        assert "12 Spine Street" in part
        assert "https://backandneck.example/newsletter/unsubscribe/" in part
    html = body["text/html"]
    assert 'style="' in html  # CSS inlined
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("https://backandneck.example/"), url


def test_an_issue_with_counted_links_is_still_rendered_once_for_every_reader(
    site, make_subscriber, make_issue, make_post, monkeypatch
):
    from email import message_from_bytes, policy

    monkeypatch.setattr(emails.tokens, "make_unsubscribe_token", lambda subscriber: "token")
    reader = make_subscriber(email="reader@example.com", name="Sam")
    posts = [
        make_post(
            title=f"Gentle stretches for a stiff neck, part {n}",
            excerpt="Simple moves you can do at your desk to loosen tight neck muscles.",
        )
        for n in range(1, 4)
    ]
    issue = make_issue(posts=posts)
    rendered = link_tracking.tracked_issue(issue, emails.render_issue(issue))
    # Long counted addresses beside a reader's details would push the sender onto building
    # every message afresh (half the speed in bench/newsletter.py).
    copy = rendered.smtp_copy_for(reader)
    assert copy is not None
    wire = unframed(copy)
    built = rendered.message_for(reader).message().as_bytes(linesep="\r\n")
    wire, built = (message_from_bytes(b, policy=policy.default) for b in (wire, built))
    assert parts(wire) == parts(built)
    assert "/newsletter/l/" in wire.get_body(("html",)).get_content()
