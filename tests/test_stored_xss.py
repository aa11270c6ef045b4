"""
Hostile text in every field an editor fills in never comes out as live markup: not in pages, not
in feeds (whose descriptions feed readers render as HTML), not in JSON-LD, not in mail.

Pages are parsed, not searched for substrings: what counts is what a browser would build.
"""

import io
import json
from datetime import date, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from blog.emails import review_reminder
from blog.media_library import LibraryImage
from blog.models import ArticleDay, CareCard, CheckedLink, Feedback, Post, Reference, Tag
from newsletter.emails import (
    confirm_message,
    editor_notice_message,
    issue_message,
    render_issue,
    welcome_message,
)
from newsletter.models import Issue, IssuePost, LinkClick, Subscriber, WelcomeEmail
from search.models import DailySearch, Recommendation, Synonym
from siteconfig.models import SiteSettings, SocialLink

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("x1")</script>',
    "<img src=x onerror=alert(2)>",
    '</script><script src="/media/uploads/note.js"></script>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '"><svg onload=alert(3)>',
    "'><iframe src=javascript:alert(4)></iframe>",
    '<a href="javascript:alert(5)">click</a>',
]
HOSTILE = " ".join(PAYLOADS)
# The media library's editor-typed fields, and a tiny image to give them.
LIBRARY_TEXT_FIELDS = ("title", "alt", "caption", "credit", "licence")


def small_png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 100, 50)).save(buffer, format="PNG")
    return SimpleUploadedFile("x.png", buffer.getvalue())


class Markup(HTMLParser):
    """Collects what a browser would make live out of a document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.json_ld = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if (value or "").strip().lower().startswith(("javascript:", "data:text")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            kind = attributes.get("type", "")
            self._in_script = kind
            src = attributes.get("src") or ""
            if kind not in ("application/ld+json", "application/json") and not (
                src.startswith("/static/")
            ):
                self.problems.append(f"<script src={src!r} type={kind!r}>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv={attributes['http-equiv']!r}>")
        if tag in {"iframe", "object", "embed", "base"}:
            self.problems.append(f"<{tag}>")

    def handle_data(self, data):
        if self._in_script == "application/ld+json":
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None


def live_markup(html):
    """What in `html` would run or redirect, and whether every JSON-LD block is whole JSON."""
    parser = Markup()
    parser.feed(html)
    parser.close()
    for block in parser.json_ld:
        try:
            json.loads(block)
        except ValueError:
            parser.problems.append(f"a JSON-LD block was cut short: {block[:80]!r}")
    return parser.problems


def test_the_checker_sees_each_payload_as_live_markup():
    for payload in PAYLOADS:
        assert live_markup(f"<p>{payload}</p>"), payload
    assert live_markup(
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>'
    )
    assert not live_markup('<p>&lt;script&gt;</p><script src="/static/js/site.js"></script>')


@pytest.fixture
def hostile_site(make_user, make_category, make_post, make_author_profile, make_reviewer):
    """Every editor-typed field holds the payloads."""
    site = SiteSettings.load()
    site.site_name = f"Back {HOSTILE}"[:100]
    site.tagline = f"Tagline {HOSTILE}"[:200]
    site.medical_disclaimer = f"Disclaimer {HOSTILE}"
    site.postal_address = f"Address {HOSTILE}"
    for name in ("care_non_urgent_heading", "care_urgent_heading", "care_emergency_heading"):
        setattr(site, name, f"If {HOSTILE}"[: SiteSettings._meta.get_field(name).max_length])
    for name in ("care_urgent_phone", "care_emergency_phone"):
        setattr(
            site,
            name,
            '1"><script>alert(7)</script>'[: SiteSettings._meta.get_field(name).max_length],
        )
    site.save()
    SocialLink.objects.create(site_settings=site, network="x", url="https://x.com/backandneck")
    user = make_user(
        role="Author", first_name="Ann <script>alert(6)</script>", last_name=HOSTILE[:150]
    )
    profile = make_author_profile(user=user, slug="ann", credentials=HOSTILE[:100], bio=HOSTILE)
    reviewer = make_reviewer(
        name=f"Dr {HOSTILE}"[:100], slug="rev", credentials=HOSTILE[:100], bio=HOSTILE
    )
    category = make_category(name=f"Topic {HOSTILE}"[:100], slug="topic", description=HOSTILE)
    post = make_post(
        title=f"Hostile {HOSTILE}"[:200],
        slug="hostile",
        excerpt=f"Excerpt {HOSTILE}",
        body=f"<p>Body {HOSTILE}</p>",
        seo_title=f"SEO {HOSTILE}"[:70],
        meta_description=f"Meta {HOSTILE}"[:160],
        featured_image_alt=f"Alt {HOSTILE}"[:200],
        author=user,
        category=category,
        reviewed_by=reviewer,
        last_reviewed=date.today() - timedelta(days=800),
        is_featured=True,
    )
    # What the health features show: key points, "when to get help" cards, reader comments.
    Post.objects.filter(pk=post.pk).update(key_points="\n".join(p[:140] for p in PAYLOADS[:6]))
    post.refresh_from_db()
    for level in CareCard.Level:
        CareCard.objects.create(
            post=post,
            level=level,
            heading=f"If {HOSTILE}"[: CareCard._meta.get_field("heading").max_length],
            items="\n".join(PAYLOADS),
        )
    Feedback.objects.create(post=post, helpful=False, comment=HOSTILE[:500])
    image = LibraryImage(file=small_png(), **dict.fromkeys(LIBRARY_TEXT_FIELDS, HOSTILE[:200]))
    image.save()  # Shown in the body with its alt text, caption and credit; featured too.
    Post.objects.filter(pk=post.pk).update(
        body=f'{post.body}<p><img src="{image.url}"></p>', featured_image=image.file.name
    )
    tag = Tag.objects.create(name=f"tag {HOSTILE}"[:100], slug="hostile-tag")
    post.tags.add(tag)
    # The article says where else it is listed; category pages and feeds include it.
    also = make_category(name=f"Also {HOSTILE}"[:100], slug="also", description=HOSTILE)
    post.other_categories.add(also)
    Reference.objects.create(
        post=post,
        title=HOSTILE[:300],
        publisher=HOSTILE[:200],
        authors=HOSTILE[:500],
        url="https://x.org/",
        pmid="29573870",
    )
    # What the weekly link check stored, and a sent issue's link clicks: addresses from editors.
    link = CheckedLink.objects.create(
        url=f"https://x.org/?{HOSTILE}"[:2000], problem=HOSTILE[:300], checked_at=timezone.now()
    )
    link.posts.add(post)
    ArticleDay.objects.create(post=post, day=date.today(), views=3, sign_ups=1)
    page = FlatPage.objects.create(url="/about/", title=f"About {HOSTILE}"[:200], content=HOSTILE)
    page.sites.add(1)
    Synonym.objects.create(phrases=f"hostile\n{HOSTILE}")
    # Readers type searches; staff see the top ones in the admin.
    DailySearch.objects.create(query=HOSTILE[:200], day=date.today(), searches=9)
    Recommendation.objects.create(query=f"hostile {HOSTILE}"[:200], post=post)
    issue = Issue.objects.create(
        subject=f"Issue {HOSTILE}"[:150], preheader=f"Pre {HOSTILE}"[:150], intro=HOSTILE
    )
    IssuePost.objects.create(issue=issue, post=post, position=1)
    LinkClick.objects.create(issue=issue, url=f"https://x.org/?{HOSTILE}"[:2000], clicks=2)
    Issue.objects.filter(pk=issue.pk).update(
        status=Issue.Status.SENT,
        sent_at=timezone.now(),
        sent_count=10,
        complaint_count=1,
        pause_reason=HOSTILE[:300],
    )
    # Names come from CSV imports: whatever the old list held.
    reader = Subscriber.objects.create(email="reader@example.com", name=HOSTILE[:100])
    paused = Issue.objects.create(subject=f"Paused {HOSTILE}"[:150])
    Issue.objects.filter(pk=paused.pk).update(status="paused", pause_reason=HOSTILE[:300])
    welcome = WelcomeEmail.load()
    welcome.subject = f"Welcome {HOSTILE}"[:150]
    welcome.body = HOSTILE
    welcome.save()
    # Stored without the admin's sanitiser too: the email must still carry no markup.
    WelcomeEmail.objects.filter(pk=welcome.pk).update(body=f"<p>Raw {HOSTILE}</p>")
    welcome.posts.add(post)
    return {
        "post": post,
        "profile": profile,
        "reviewer": reviewer,
        "page": page,
        "issue": issue,
        "image": image,
        "paused": paused,
        "reader": reader,
    }


PAGES = [
    "/",
    "/hostile/",
    "/articles/",
    "/category/topic/",
    "/category/also/",
    "/tag/hostile-tag/",
    "/author/ann/",
    "/reviewer/rev/",
    "/about/",
    "/search/?q=hostile",
    "/search/?q=topic",
    "/search/?q=about",
    "/newsletter/archive/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_text_is_never_live_markup_on_public_pages(client, hostile_site, url):
    response = client.get(url)
    assert response.status_code == (404 if "no-such" in url else 200)
    html = response.content.decode()
    assert "x1" in html or "alert" in html  # The payload is there, shown as text.
    assert live_markup(html) == []


def test_hostile_text_is_never_live_markup_in_the_issue_archive(client, hostile_site):
    response = client.get(hostile_site["issue"].get_absolute_url())
    assert response.status_code == 200
    assert live_markup(response.content.decode()) == []


def test_a_flat_page_title_is_text_not_markup(client, hostile_site):
    html = client.get("/about/").content.decode()
    assert "&lt;script&gt;alert(&quot;x1&quot;)&lt;/script&gt;" in html
    assert '<meta http-equiv="refresh"' not in html


def test_flat_page_content_stored_without_the_admin_is_sanitised_when_shown(client, db):
    page = FlatPage.objects.create(
        url="/raw/", title="Raw", content='<p>Hi</p><script src="/media/note.js"></script>'
    )
    page.sites.add(1)
    html = client.get("/raw/").content.decode()
    assert "<p>Hi</p>" in html
    assert live_markup(html) == []


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/category/topic/feed/", "/category/also/feed/"]
)
def test_feeds_carry_hostile_text_as_text(client, hostile_site, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    texts = 0
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        text = element.text or ""
        # Descriptions and summaries are HTML to a feed reader: parse them as a reader would.
        if name in {"description", "summary", "content"} or element.get("type") == "html":
            assert live_markup(text) == [], (name, text)
            texts += "alert" in text
    assert texts


def test_the_opensearch_description_is_well_formed_with_a_hostile_site_name(client, hostile_site):
    response = client.get("/opensearch.xml")
    root = ElementTree.fromstring(response.content)
    assert any("alert" in (element.text or "") for element in root.iter())


def test_the_sitemap_is_well_formed_with_hostile_titles(client, hostile_site):
    for section in ("", "-home", "-posts", "-categories", "-pages", "-people"):
        response = client.get(f"/sitemap{section}.xml")
        assert response.status_code == 200
        ElementTree.fromstring(response.content)
        assert b"<script" not in response.content


def test_json_ld_cannot_be_closed_by_a_title(client, hostile_site):
    html = client.get("/hostile/").content.decode()
    parser = Markup()
    parser.feed(html)
    assert parser.json_ld
    data = json.loads(parser.json_ld[0])
    headlines = [node.get("headline") for node in data["@graph"]]
    assert f"Hostile {HOSTILE}"[:200] in headlines  # Kept exactly, as data.


def test_mail_never_carries_live_markup(hostile_site, editor, settings):
    issue_mail = issue_message(hostile_site["issue"], hostile_site["reader"])
    reminder = review_reminder([hostile_site["post"]], editor)
    confirm = confirm_message(Subscriber(email="reader@example.com"))
    notice = editor_notice_message(
        ["editor@example.com"],
        subject=f"Newsletter paused: {hostile_site['paused'].subject}",
        headline="A newsletter send paused by itself",
        paragraphs=[f"Sending “{hostile_site['paused'].subject}” stopped: {HOSTILE}"],
        action_url="https://backandneck.example/admin/",
        action_label="Review and resume",
    )
    wire = render_issue(hostile_site["issue"]).smtp_copy_for(hostile_site["reader"])
    assert wire is None  # Such a name is built by message_for(), escaped, never swapped raw.
    welcome = welcome_message(Subscriber(pk=1, email="reader@example.com"), WelcomeEmail.load())
    assert "Raw" in welcome.body and "Excerpt" in welcome.body
    for message in [issue_mail, reminder, confirm, notice, welcome]:
        html = message.alternatives[0][0] if message.alternatives else ""
        assert html
        assert live_markup(html) == [], message.subject
        assert "\n" not in message.subject


ADMIN_PAGES = [
    "/admin/",
    "/admin/search/dailysearch/",
    "/admin/blog/post/",
    "/admin/blog/post/{post}/change/",
    "/admin/flatpages/flatpage/{page}/change/",
    "/admin/people/reviewer/{reviewer}/change/",
    "/admin/blog/category/",
    "/admin/flatpages/flatpage/",
    "/admin/search/synonym/",
    "/admin/search/recommendation/",
    "/admin/people/reviewer/",
    "/admin/newsletter/issue/",
    "/admin/blog/libraryimage/",
    "/admin/blog/libraryimage/?attention=any",
    "/admin/blog/libraryimage/{image}/change/",
    "/admin/blog/libraryimage/{image}/delete/",
    "/ckeditor/browse/",
    "/admin/newsletter/issue/{issue}/change/",
    "/admin/newsletter/issue/{paused}/change/",
    "/admin/newsletter/issue/{paused}/send-now/",
    "/admin/newsletter/subscriber/",
    "/admin/newsletter/sendingsettings/1/change/",
    "/admin/blog/checkedlink/",
    "/admin/",
    "/admin/newsletter/welcomeemail/1/change/",
    "/admin/newsletter/welcomeemail/preview/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_see_hostile_text_as_text_in_the_admin(client, hostile_site, url, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    response = client.get(url.format(**{key: obj.pk for key, obj in hostile_site.items()}))
    assert response.status_code == 200
    problems = [
        problem
        for problem in live_markup(response.content.decode())
        # The admin's own scripts: its JavaScript catalogue, served by Django.
        if "jsi18n" not in problem
    ]
    assert problems == []


@pytest.mark.parametrize(
    "model, field",
    [(SocialLink, "url"), (Reference, "url"), ("people.Reviewer", "profile_url")],
)
def test_links_editors_type_must_be_web_addresses(model, field):
    from django.apps import apps

    if isinstance(model, str):
        model = apps.get_model(model)
    form_field = model._meta.get_field(field).formfield(assume_scheme="https")
    for hostile in ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"]:
        with pytest.raises(ValidationError):
            form_field.clean(hostile)


@pytest.fixture
def hostile_editorial(hostile_site, make_post):
    """The editors' tools' typed fields hold the payloads: snippets, reviews, reviewer notes."""
    from blog.models import PreviewLink, ReviewerNote, ReviewRequest, Snippet

    snippet = Snippet.objects.create(name=f"Snip {HOSTILE}"[:100], slug="hostile", body=HOSTILE)
    post = hostile_site["post"]
    post.body = f"<p>Body {HOSTILE}</p><p>[snippet hostile]</p>"
    post.save()
    draft = make_post(
        title=f"Draft {HOSTILE}"[:200],
        status=Post.Status.DRAFT,
        body=f"<p>Para {HOSTILE}</p><p>[snippet hostile]</p>",
        author=post.author,
    )
    link = PreviewLink.objects.create(post=draft, shared_with=f"Dr {HOSTILE}"[:200])
    ReviewerNote.objects.create(
        post=draft, preview_link=link, paragraph=1, quote=HOSTILE, text=HOSTILE
    )
    review = ReviewRequest.objects.create(
        post=draft, submitted_by=post.author, message=HOSTILE[:2000]
    )
    return {"snippet": snippet, "draft": draft, "link": link, "review": review}


def test_snippets_and_reviewer_notes_are_never_live_markup_on_public_pages(
    client, hostile_editorial
):
    for url in ["/hostile/", hostile_editorial["link"].get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "alert" in html
        assert live_markup(html) == [], url


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/blog/post/{draft}/change/",
        "/admin/blog/post/?step=awaiting",
        "/admin/blog/snippet/",
        "/admin/blog/snippet/{snippet}/change/",
    ],
)
def test_staff_see_the_editors_tools_hostile_text_as_text(
    client, hostile_editorial, url, django_user_model
):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw")
    client.force_login(admin)
    ids = {key: obj.pk for key, obj in hostile_editorial.items()}
    response = client.get(url.format(**ids))
    assert response.status_code == 200
    problems = [p for p in live_markup(response.content.decode()) if "jsi18n" not in p]
    assert problems == []


def test_review_mail_never_carries_live_markup(hostile_editorial, editor):
    from blog import emails

    review = hostile_editorial["review"]
    review.decided_by, review.decision_note = editor, HOSTILE
    messages = [
        emails.review_submitted(review, ["chief@example.com"]),
        emails.review_sent_back(review),
        emails.preview_link(hostile_editorial["link"], "dr@example.org", editor),
    ]
    for message in messages:
        assert live_markup(message.alternatives[0][0]) == [], message.subject
        assert "\n" not in message.subject
