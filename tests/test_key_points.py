"""Key points: a few plain lines an editor writes, shown first on the article, and used where
an article is summed up (the meta description, the newsletter)."""

import re

import pytest

from blog import checklist as checks
from blog.models import Post
from tests.admin_forms import post_form_data

pytestmark = pytest.mark.django_db

POINTS = (
    "Most sciatica settles within 6 weeks\nKeep moving gently.\n"
    "Numbness between the legs is an emergency"
)


def meta_description(response):
    return re.search(r'<meta name="description" content="([^"]*)"', response.content.decode())[1]


def test_key_points_come_first_in_the_article_before_the_text(client, make_post):
    post = make_post(key_points=POINTS, body="<p>The sciatic nerve runs down the leg.</p>")
    html = client.get(post.get_absolute_url()).content.decode()
    box = html[html.index('<section class="key-points"') :]
    assert (
        html.index('<h1 class="article__title">')
        < html.index("Key points")
        < html.index("The sciatic nerve")
    )
    assert (
        "<li>Most sciatica settles within 6 weeks</li><li>Keep moving gently.</li>"
        "<li>Numbness between the legs is an emergency</li>"
    ) in box


def test_key_points_are_shown_as_text_never_as_html(client, make_post):
    post = make_post(key_points='<img src=x onerror="alert(1)">\n<b>Two</b>\nThree & four')
    html = client.get(post.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "<b>Two</b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<li>Three &amp; four</li>" in html


def test_an_article_without_key_points_has_no_box(client, make_post):
    assert b"Key points" not in client.get(make_post().get_absolute_url()).content


@pytest.mark.parametrize(
    ("key_points", "problem"),
    [
        ("One\nTwo", "Write 3 to 6 key points, one per line; there are 2."),
        ("\n".join(["A point"] * 7), "Write 3 to 6 key points, one per line; there are 7."),
        (
            "One\nTwo\n" + "x" * 141,
            f"Keep each key point to 140 characters; “{'x' * 39}…” has 141.",
        ),
    ],
)
def test_the_admin_asks_for_three_to_six_short_key_points(
    client, editor, category, key_points, problem
):
    client.force_login(editor)
    data = post_form_data(category, author=editor.pk, status="draft", key_points=key_points)
    response = client.post("/admin/blog/post/add/", data)
    assert response.status_code == 200
    assert problem in response.content.decode().replace("&quot;", '"')
    assert not Post.objects.exists()


def test_an_editor_saves_key_points_one_per_line(client, editor, category):
    client.force_login(editor)
    data = post_form_data(
        category,
        author=editor.pk,
        status="draft",
        key_points="• One\r\n• Two\r\n\r\n• " + "x" * 140,
    )
    assert client.post("/admin/blog/post/add/", data).status_code == 302
    assert Post.objects.get().key_point_list == ["One", "Two", "x" * 140]


def test_key_points_are_the_meta_description_when_none_is_written(client, make_post):
    post = make_post(key_points=POINTS, excerpt="A short summary.")
    assert meta_description(client.get(post.get_absolute_url())) == (
        "Most sciatica settles within 6 weeks. Keep moving gently. Numbness between the legs "
        "is an emergency."
    )
    post.meta_description = "Sciatica: what helps, and when to get help."
    post.save()
    assert meta_description(client.get(post.get_absolute_url())) == post.meta_description


def test_a_meta_description_from_key_points_has_as_many_whole_points_as_fit(make_post):
    first, second, third = "A" * 100, "B" * 50, "C" * 20
    post = make_post(key_points=f"{first}\n{second}\n{third}")
    assert post.description == f"{first}. {second}."
    assert len(post.description) <= 160


def test_the_checklist_asks_a_long_article_for_key_points(make_post):
    long_article = make_post(body="<p>" + "word " * 601 + "</p>")
    assert (
        checks.Level.WARNING,
        "The article has 601 words but no key points: sum it up in 3 to 6 short lines for "
        "readers in a hurry.",
    ) in [(c.level, c.message) for c in checks.check_post(long_article).checks]
    assert "key points" not in str(checks.check_post(make_post(body="<p>Short.</p>")).checks)
    long_article.key_points = POINTS
    long_article.save()
    assert checks.Check(checks.Level.PASS, "3 key points open the article.") in (
        checks.check_post(long_article).checks
    )


def test_the_checklist_counts_key_points_as_the_search_description(make_post):
    post = make_post(excerpt="", key_points=POINTS)
    assert "No meta description" not in str(checks.check_post(post).checks)
