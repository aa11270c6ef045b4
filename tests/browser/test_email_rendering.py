"""
Newsletter emails in a browser engine, as a phone (375 px) and a desktop mail client's reading
pane (700 px) show them, in light and dark colour schemes: nothing runs off the side, the text
is readable, and the dark scheme really is dark. Set EMAIL_SHOTS_DIR to keep the screenshots.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from newsletter import emails
from newsletter.models import Issue, IssuePost, Subscriber

pytestmark = [pytest.mark.django_db]

WIDTHS = [375, 700]
SCHEMES = ["light", "dark"]


@pytest.fixture
def messages(make_post, make_image, skip_renditions):
    posts = [
        make_post(
            title="Why a stiff neck eases faster when you keep moving",
            excerpt="Rest feels right, but gentle movement is what the evidence favours.",
            featured_image=make_image(),
            featured_image_alt="A woman turning her head slowly at a desk",
        ),
        make_post(title="Five desk habits for a happier lower back"),
    ]
    issue = Issue.objects.create(
        subject="New this week: why a stiff neck eases faster when you keep moving",
        intro="<p>This week: what to do in the first days of neck pain, and a desk check.</p>",
    )
    for n, post in enumerate(posts):
        IssuePost.objects.create(issue=issue, post=post, position=n)
    reader = Subscriber.objects.create(email="sam@example.com", name="Sam", status="confirmed")
    pending = Subscriber.objects.create(email="new@example.com")
    return {
        "issue": emails.issue_message(issue, reader),
        "confirm": emails.confirm_message(pending),
        "editor_notice": emails.editor_notice_message(
            ["editor@example.com"],
            subject="Newsletter paused",
            headline="A newsletter send paused by itself",
            paragraphs=["Sending stopped after 480 of 12,000 messages.", "Look, then resume."],
            action_url="https://backandneck.example/admin/",
            action_label="Review and resume",
        ),
    }


def _serve_media(route):
    path = Path(settings.MEDIA_ROOT) / route.request.url.split("/media/", 1)[1]
    if path.exists():
        route.fulfill(path=str(path))
    else:
        route.fulfill(status=404)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_each_email_fits_and_reads_at_phone_and_desktop_widths(browser, messages, width, scheme):
    shots = os.environ.get("EMAIL_SHOTS_DIR")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.route("**/media/**", _serve_media)
    try:
        for kind, message in messages.items():
            page.set_content(message.alternatives[0].content, wait_until="load")
            overflow = page.evaluate("document.documentElement.scrollWidth") - width
            assert overflow <= 0, f"{kind} runs {overflow}px off a {width}px screen"
            background = page.evaluate(
                "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number)"
            )
            dark = sum(background[:3]) < 150
            assert dark == (scheme == "dark"), f"{kind}: body {background} in {scheme} scheme"
            heading = page.locator("h1")
            assert heading.is_visible()
            assert heading.bounding_box()["width"] <= width
            for image in page.locator("img").all():
                assert image.bounding_box()["width"] <= width
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{kind}-{width}-{scheme}.png", full_page=True)
    finally:
        context.close()
