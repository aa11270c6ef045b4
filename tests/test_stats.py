"""Privacy-first statistics: views per article and day, sign-ups per article, newsletter clicks."""

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from blog import stats
from blog.models import ArticleDay, Post
from newsletter import link_tracking
from newsletter.models import Issue, LinkClick, Subscriber
from newsletter.tokens import make_confirm_token

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
READER = {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_FETCH_SITE": "same-origin"}


def views_of(post):
    return sum(ArticleDay.objects.filter(post=post).values_list("views", flat=True))


def beacon(client, post, **headers):
    return client.post(f"/{post.slug}/view/", **{**READER, **headers})


def test_an_article_page_loads_the_counting_script_from_our_own_static_files(client, make_post):
    page = client.get(make_post(slug="sitting").get_absolute_url()).content.decode()
    assert '<script src="/static/blog/js/beacon.js" defer data-count-url="/sitting/view/">' in page
    assert "sendBeacon" in Path("blog/static/blog/js/beacon.js").read_text()


def test_the_script_is_left_out_when_statistics_are_off(client, make_post, settings):
    settings.STATS_ENABLED = False
    assert "beacon.js" not in client.get(make_post().get_absolute_url()).content.decode()


def test_a_readers_view_is_counted_for_the_article_and_the_day(client, make_post):
    post, other = make_post(), make_post()
    for _ in range(3):
        answer = beacon(client, post)
        assert answer.status_code == 204
        assert "no-cache" in answer["Cache-Control"]
    beacon(client, other)
    today = ArticleDay.objects.get(post=post)
    assert (today.day, today.views) == (timezone.localdate(), 3)
    assert views_of(other) == 1


def test_views_are_written_in_batches(client, make_post, settings, django_assert_num_queries):
    settings.STATS_FLUSH_SECONDS = 3600
    stats.pending_views.write()
    post, other = make_post(), make_post()
    with django_assert_num_queries(0):
        for _ in range(3):
            beacon(client, post)
        beacon(client, other)
    assert views_of(post) == 0
    with django_assert_num_queries(2):  # One upsert per article.
        stats.pending_views.write()
    assert (views_of(post), views_of(other)) == (3, 1)


def test_days_are_counted_separately(make_post):
    post = make_post()
    stats.add_to_day(post.pk, views=2, day=date(2026, 3, 1))
    stats.add_to_day(post.pk, views=1, day=date(2026, 3, 2))
    stats.add_to_day(post.pk, views=1, day=date(2026, 3, 1))
    assert dict(ArticleDay.objects.values_list("day", "views")) == {
        date(2026, 3, 1): 3,
        date(2026, 3, 2): 1,
    }


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (Macintosh) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "python-requests/2.32.3",
        "curl/8.5.0",
        "",
    ],
)
def test_bots_are_not_counted(client, make_post, user_agent):
    post = make_post()
    assert beacon(client, post, HTTP_USER_AGENT=user_agent).status_code == 204
    assert views_of(post) == 0


@pytest.mark.parametrize(
    "header, value",
    [
        ("HTTP_SEC_PURPOSE", "prefetch"),
        ("HTTP_SEC_PURPOSE", "prefetch;prerender"),
        ("HTTP_PURPOSE", "prefetch"),
        ("HTTP_X_MOZ", "prefetch"),
    ],
)
def test_prefetches_are_not_counted(client, make_post, header, value):
    post = make_post()
    beacon(client, post, **{header: value})
    client.get(post.get_absolute_url(), **{header: value})
    assert views_of(post) == 0


def test_only_public_articles_are_counted(client, make_post):
    draft = make_post(status=Post.Status.DRAFT)
    scheduled = make_post(published_at=timezone.now() + timedelta(days=1))
    for post in [draft, scheduled]:
        assert beacon(client, post).status_code == 204
    assert client.post("/no-such-article/view/", **READER).status_code == 204
    assert not ArticleDay.objects.exists()


def test_staff_reading_their_own_site_are_not_counted(client, make_post, editor):
    post = make_post()
    client.force_login(editor)
    beacon(client, post)
    assert views_of(post) == 0


def test_posts_from_other_sites_are_refused(client, make_post):
    post = make_post()
    assert beacon(client, post, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert views_of(post) == 0


def test_reading_the_count_address_counts_nothing(client, make_post):
    post = make_post()
    assert client.get(f"/{post.slug}/view/", **READER).status_code == 405
    assert views_of(post) == 0


def test_one_client_cannot_inflate_the_count_without_limit(client, make_post, monkeypatch):
    monkeypatch.setattr(stats, "VIEWS_PER_CLIENT_PER_HOUR", 3)
    post = make_post()
    for _ in range(5):
        beacon(client, post)
    assert views_of(post) == 3


def test_no_address_user_agent_or_cookie_is_kept(client, make_post):
    post = make_post()
    answer = client.post(
        f"/{post.slug}/view/", REMOTE_ADDR="203.0.113.77", **READER | {"HTTP_USER_AGENT": BROWSER}
    )
    assert not answer.cookies
    assert {f.name for f in ArticleDay._meta.get_fields()} == {
        "id",
        "post",
        "day",
        "views",
        "sign_ups",
    }
    everything = StringIO()
    call_command("dumpdata", "blog", "newsletter", "sessions", "siteconfig", stdout=everything)
    assert views_of(post) == 1
    assert "203.0.113.77" not in everything.getvalue()
    assert "Chrome/131" not in everything.getvalue()


def test_counting_never_touches_the_page_cache(make_post, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 600
    post = make_post()
    reader = Client(**READER)
    first = reader.get(post.get_absolute_url())
    beacon(reader, post)
    # Still served from the cache, unchanged: counting is no content change.
    with django_assert_num_queries(0):
        second = reader.get(post.get_absolute_url())
    assert second.content == first.content
    assert views_of(post) == 1


def confirm(client, subscriber):
    return client.post(f"/newsletter/confirm/{make_confirm_token(subscriber)}/")


def test_a_confirmed_sign_up_counts_for_the_article_it_came_from(client, make_post):
    post = make_post(slug="sciatica")
    subscriber = Subscriber.objects.create(email="reader@example.org", source_url="/sciatica/")
    assert confirm(client, subscriber).status_code == 200
    confirm(client, subscriber)  # Opening the link again is no new sign-up.
    assert ArticleDay.objects.get(post=post).sign_ups == 1
    # Only a count: nothing in it points at the subscriber.
    assert {f.name for f in ArticleDay._meta.get_fields()}.isdisjoint({"subscriber", "email"})


def test_sign_ups_from_other_pages_or_unconfirmed_count_nowhere(client, make_post):
    make_post(slug="sciatica")
    Subscriber.objects.create(email="pending@example.org", source_url="/sciatica/")
    confirm(client, Subscriber.objects.create(email="home@example.org", source_url="/"))
    confirm(client, Subscriber.objects.create(email="odd@example.org", source_url="/x/../y/"))
    assert not ArticleDay.objects.exists()


def test_the_sign_up_form_carries_the_article_it_was_sent_from(client, make_post):
    post = make_post()
    assert (
        f'name="source" value="{post.get_absolute_url()}"'
        in client.get(post.get_absolute_url()).content.decode()
    )


@pytest.fixture
def issue():
    return Issue.objects.create(subject="This week", status=Issue.Status.SENT)


def click(client, issue, url, **headers):
    return client.get(link_tracking.tracked_url(issue.pk, url), **{**READER, **headers})


def test_issue_links_go_through_the_counting_redirect(issue):
    html = (
        '<a href="https://example.org/a?x=1&amp;y=2">A</a> '
        '<a href="http://127.0.0.1:8000/sciatica/">B</a> <a href="@@unsubscribe-url@@">U</a> '
        '<a href="mailto:hello@example.org">M</a>'
    )
    tracked = link_tracking.track_links(issue, html, lambda path: "https://site.example" + path)
    assert tracked.count('href="https://site.example/newsletter/l/') == 2
    assert '<a href="@@unsubscribe-url@@">' in tracked and "mailto:hello@example.org" in tracked
    token = tracked.split("/newsletter/l/")[1].split("/")[0]
    assert link_tracking.read_token(token) == (issue.pk, "https://example.org/a?x=1&y=2")


def test_a_click_is_counted_per_issue_and_link_and_redirects(client, issue):
    other = Issue.objects.create(subject="Last week", status=Issue.Status.SENT)
    for _ in range(2):
        answer = click(client, issue, "https://example.org/a")
        assert answer.status_code == 302 and answer["Location"] == "https://example.org/a"
    click(client, issue, "https://example.org/b")
    click(client, other, "https://example.org/a")
    assert dict(issue.link_clicks.values_list("url", "clicks")) == {
        "https://example.org/a": 2,
        "https://example.org/b": 1,
    }
    assert other.link_clicks.get().clicks == 1
    assert {f.name for f in LinkClick._meta.get_fields()}.isdisjoint({"subscriber", "email"})


def test_mail_scanners_bots_and_head_requests_are_redirected_but_not_counted(client, issue):
    assert (
        click(client, issue, "https://example.org/a", HTTP_USER_AGENT="curl/8").status_code == 302
    )
    assert (
        client.head(link_tracking.tracked_url(issue.pk, "https://example.org/a")).status_code == 302
    )
    assert not LinkClick.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        # Signed with another purpose's salt, or by another key.
        signing.dumps([1, "https://evil.example/"], salt="newsletter.other"),
        signing.dumps([1, "https://evil.example/"], salt=link_tracking.SALT, key="x" * 50),
        # Signed, but not a web address.
        signing.dumps([1, "javascript:alert(1)"], salt=link_tracking.SALT),
    ],
)
def test_the_redirect_refuses_tokens_it_did_not_sign(client, issue, token):
    answer = client.get(f"/newsletter/l/{token}/", **READER)
    assert answer.status_code == 400
    assert "Location" not in answer
    assert not LinkClick.objects.exists()


def test_a_tampered_link_is_refused(client, issue):
    url = link_tracking.tracked_url(issue.pk, "https://example.org/a")
    genuine = signing.loads(url.split("/")[3], salt=link_tracking.SALT)
    forged = signing.dumps([genuine[0], "https://evil.example/"], compress=True)
    payload, signature = url.split("/")[3].rsplit(":", 1)
    for token in [forged, forged.rsplit(":", 1)[0] + ":" + signature]:
        answer = client.get(f"/newsletter/l/{token}/", **READER)
        assert answer.status_code == 400
    assert not LinkClick.objects.exists()


def test_a_sent_issue_carries_tracked_links(issue, make_post, mailoutbox):
    from newsletter import sending

    draft = Issue.objects.create(subject="Sent now")
    post = make_post(title="Sitting well")
    draft.posts.add(post)
    Subscriber.objects.create(
        email="reader@example.org", status=Subscriber.Status.CONFIRMED, confirmed_at=timezone.now()
    )
    sending.start_and_send(draft)
    html = mailoutbox[0].alternatives[0][0]
    assert "/newsletter/l/" in html
    assert "/newsletter/unsubscribe/" in html  # Left as it is: it is the reader's own.


def test_the_post_admin_shows_a_chart_of_the_last_30_days(client, editor, make_post):
    post = make_post()
    today = timezone.localdate()
    stats.add_to_day(post.pk, views=7, day=today)
    stats.add_to_day(post.pk, views=3, sign_ups=1, day=today - timedelta(days=2))
    stats.add_to_day(post.pk, views=99, day=today - timedelta(days=40))  # Outside the chart.
    client.force_login(editor)
    page = client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
    assert (
        "<strong>10</strong> views and <strong>1</strong> newsletter sign-up in the last 30" in page
    )
    assert page.count('<rect x="') == 30
    assert f"{today:%a} {today.day} {today:%b}: 7 views</title>" in page
    assert "<script" not in page.split('class="stats-chart"')[1].split("</figure>")[0]


def test_the_dashboard_shows_the_weeks_most_read_articles(client, editor, make_post):
    today = timezone.localdate()
    popular, quiet, old = (
        make_post(title="Popular"),
        make_post(title="Quiet"),
        make_post(title="Old"),
    )
    stats.add_to_day(popular.pk, views=50, day=today - timedelta(days=6))
    stats.add_to_day(quiet.pk, views=5, day=today)
    stats.add_to_day(old.pk, views=500, day=today - timedelta(days=7))
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    panel = page.split("Most read this week")[1].split("</section>")[0]
    assert panel.index("Popular") < panel.index("Quiet")
    assert "50 views in 7 days" in panel and "Old" not in panel


def test_a_sent_issue_shows_its_link_clicks_in_the_admin(client, editor, issue):
    LinkClick.objects.create(issue=issue, url="https://example.org/popular", clicks=12)
    LinkClick.objects.create(issue=issue, url="https://example.org/<b>quiet</b>", clicks=2)
    client.force_login(editor)
    page = client.get(f"/admin/newsletter/issue/{issue.pk}/change/").content.decode()
    assert "link clicks (anonymous" in page.lower()
    assert "https://example.org/popular" in page and ">12<" in page.replace(" ", "")
    assert "<b>quiet</b>" not in page
