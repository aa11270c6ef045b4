"""search.engines.search(): the same behaviour on PostgreSQL and SQLite."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from blog.models import Post
from search.engines import search
from search.models import Synonym

pytestmark = pytest.mark.django_db


def found(q):
    return [post.title for post in search(Post.objects.published(), q)]


def listed(q):
    """The titles the search page lists, which ranks from its own index of titles and tags."""
    from search.engines import engine
    from search.query import parse

    _, page = engine(connection.alias).results_page(
        Post.objects.published(), parse(q, Synonym.objects.groups())
    )
    return [post.title for post in page]


def found_everywhere(q):
    titles = found(q)
    assert listed(q) == titles
    return titles


def test_a_title_match_ranks_above_an_excerpt_match_above_a_body_match(make_post):
    make_post(title="Gentle routines", body="<p>Walking helps sciatica a little.</p>")
    make_post(title="Morning routines", excerpt="Easing sciatica before work.")
    make_post(title="Sciatica explained")
    assert found("sciatica") == ["Sciatica explained", "Morning routines", "Gentle routines"]


def test_stemming_finds_other_forms_of_a_word(make_post):
    make_post(title="Relaxation for the upper body")
    assert found("relaxing") == ["Relaxation for the upper body"]


def test_stop_words_do_not_have_to_appear(make_post):
    make_post(title="Relieve neck pain")
    assert found("how to relieve neck pain") == ["Relieve neck pain"]


def test_an_exact_phrase_needs_its_words_together_in_order(make_post):
    make_post(title="Pain in the shoulder", body="<p>Blades of grass.</p>")
    make_post(title="Shoulder blade pain")
    assert found('"shoulder blade"') == ["Shoulder blade pain"]


def test_longer_phrases_and_phrases_with_stop_words_keep_their_order(make_post):
    make_post(title="Crick in the neck", body="<p>Sciatic nerve pain at night.</p>")
    make_post(title="Neck crick", body="<p>Pain in the sciatic nerve, a nerve pain.</p>")
    assert found('"crick in the neck"') == ["Crick in the neck"]
    assert found('"sciatic nerve pain"') == ["Crick in the neck"]


def test_a_minus_phrase_excludes_only_posts_with_the_whole_phrase(make_post):
    make_post(title="Slipped disc surgery")
    make_post(title="Disc surgery after a slip")
    assert found('surgery -"slipped disc"') == ["Disc surgery after a slip"]


def test_a_minus_word_excludes_posts_with_it(make_post):
    make_post(title="Surgery for back pain")
    make_post(title="Exercise for back pain")
    assert found("back pain -surgery") == ["Exercise for back pain"]


def test_or_finds_posts_with_either_word(make_post):
    make_post(title="Yoga basics")
    make_post(title="Pilates basics")
    make_post(title="Swimming basics")
    assert sorted(found("yoga or pilates")) == ["Pilates basics", "Yoga basics"]


def test_category_and_tag_names_are_searched(make_post, make_category):
    make_post(title="First", category=make_category(name="Posture"))
    make_post(title="Second", tags=["ergonomics"])
    assert found("posture") == ["First"]
    assert found("ergonomics") == ["Second"]


def test_shipped_synonyms_find_the_clinical_word_and_the_lay_word(make_post):
    make_post(title="Living with a herniated disc")
    make_post(title="My slipped disc story")
    make_post(title="Lumbar stretches")
    both = ["Living with a herniated disc", "My slipped disc story"]
    assert sorted(found("slipped disc")) == both
    assert sorted(found("herniated disc")) == both
    assert found("lower back stretches") == ["Lumbar stretches"]
    assert found("crick in the neck") == []


def test_synonyms_added_in_the_admin_widen_queries(make_post):
    make_post(title="Understanding spondylolisthesis")
    Synonym.objects.create(phrases="slipped vertebra\nspondylolisthesis")
    assert found("slipped vertebra") == ["Understanding spondylolisthesis"]


def test_drafts_and_scheduled_posts_are_never_found(make_post):
    make_post(title="Sciatica draft", status=Post.Status.DRAFT)
    make_post(title="Sciatica scheduled", published_at=timezone.now() + timedelta(days=1))
    make_post(title="Sciatica live")
    assert found("sciatica") == ["Sciatica live"]


def test_the_index_follows_edits_at_once(make_post):
    post = make_post(title="Old title about knees")
    post.title = "New title about hips"
    post.save()
    assert found_everywhere("knees") == []
    assert found_everywhere("hips") == ["New title about hips"]


def test_the_index_follows_tag_changes_and_renames(make_post):
    post = make_post(title="A post", tags=["mattress"])
    post.tags.set(["pillow"])
    assert found_everywhere("mattress") == []
    assert found_everywhere("pillow") == ["A post"]
    Tag.objects.filter(name="pillow").update(name="cushion")
    tag = Tag.objects.get(name="cushion")
    tag.name = "bolster"
    tag.save()
    assert found_everywhere("bolster") == ["A post"]
    post.tags.clear()
    assert found_everywhere("bolster") == []


def test_the_index_follows_category_renames(make_post, make_category):
    category = make_category(name="Office life")
    make_post(title="A post", category=category)
    category.name = "Workplace"
    category.save()
    assert found_everywhere("workplace") == ["A post"]
    assert found_everywhere("office") == []


def test_deleted_posts_disappear_from_the_index_at_once(make_post):
    post = make_post(title="Temporary article on sciatica")
    post.delete()
    assert found_everywhere("sciatica") == []


def test_unpublishing_removes_a_post_from_results(make_post):
    post = make_post(title="Sciatica")
    post.status = Post.Status.DRAFT
    post.save()
    assert found("sciatica") == []


def test_search_works_as_a_subquery(make_post):
    make_post(title="Sciatica")
    make_post(title="Other")
    matching = search(Post.objects.all(), "sciatica").values("pk")
    assert [post.title for post in Post.objects.filter(pk__in=matching)] == ["Sciatica"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's word pairs")
def test_phrases_by_word_pairs_match_what_phrase_positions_match(make_post):
    body = "<p>Sitting all day with a slipped disc: pain in the neck, or a crick in the neck.</p>"
    post = make_post(title="Disc slipped", body=body)
    phrases = [
        "slipped disc", "disc slipped", "sitting all day", "sitting day", "pain in the neck",
        "crick in the neck", "pain neck", "disc pain", "slipped disc pain", "the", "neck",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for phrase in phrases:
            cursor.execute(
                "SELECT search_document @@ search_phrase(%s),"
                " search_document @@ websearch_to_tsquery('english', %s)"
                " FROM blog_post WHERE id = %s",
                [f'"{phrase}"', f'"{phrase}"', post.pk],
            )
            by_pairs, by_positions = cursor.fetchone()
            assert by_pairs == by_positions, phrase


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's shortlist")
def test_pages_past_the_shortlist_show_every_match_once_head_matches_first(make_post, monkeypatch):
    from search.engines import postgres
    from search.query import parse

    monkeypatch.setattr(postgres, "SHORTLIST", 3)
    for n in range(5):
        make_post(title=f"Sciatica {'sciatica ' * n}guide {n}")
    for n in range(2):
        make_post(title=f"Other {n}", body="<p>Sciatica is mentioned here.</p>")
    public, query = Post.objects.published(), parse("sciatica")
    pages = [postgres.results_page(public, query, offset=n, limit=2)[1] for n in range(0, 8, 2)]
    titles = [post.title for page in pages for post in page]
    assert len(titles) == len(set(titles)) == 7
    assert [title.startswith("Sciatica") for title in titles] == [True] * 5 + [False] * 2


def test_a_results_page_counts_every_category_and_lists_one(make_post, make_category):
    from search.engines import engine
    from search.query import parse

    neck, back = make_category(name="Neck", slug="neck"), make_category(name="Back", slug="back")
    for n in range(3):
        make_post(title=f"Neck stretch {n}", category=neck, body="<p>One stretch a day.</p>")
    make_post(title="Back stretch", category=back)
    make_post(title="Neck stretch draft", category=neck, status="draft")
    results_page = engine(connection.alias).results_page
    public, query = Post.objects.published(), parse("stretch")

    counts, page = results_page(public, query, category_id=neck.pk, offset=1, limit=5)
    assert counts == {neck.pk: 3, back.pk: 1}
    assert len(page) == 2 and all(post.category_id == neck.pk for post in page)
    assert all("<mark>stretch</mark>" in post.snippet.lower() for post in page)
    assert results_page(public, query, offset=10, limit=5) == (counts, [])
    assert results_page(public, parse("nothingmatches"), offset=0, limit=5) == ({}, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.django_db(transaction=True)
def test_searches_work_on_a_new_database_session(make_post):
    from search.engines import postgres
    from search.query import parse

    make_post(title="Sciatica guide")
    page = lambda: postgres.results_page(Post.objects.published(), parse("sciatica"))[1]  # noqa: E731
    assert [post.title for post in page()] == ["Sciatica guide"]
    # A new session has none of the old one's prepared statements.
    connection.close()
    assert [post.title for post in page()] == ["Sciatica guide"]
    # The search's planner settings end with its statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('plan_cache_mode')"
        )
        assert cursor.fetchone() == ("on", "auto")


def test_static_pages_are_found_by_what_they_say_now(make_post):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    from search.engines import engine
    from search.query import parse

    def found(q):
        return [page.url for page in engine(connection.alias).pages(parse(q), site_id=1)]

    page = FlatPage.objects.create(url="/about/", title="About us", content="<p>Our posture</p>")
    page.sites.add(1)
    other_site = Site.objects.create(domain="other.example", name="Other")
    FlatPage.objects.create(url="/other/", title="Posture", content="").sites.add(other_site)
    assert found("posture") == ["/about/"]
    page.content = "<p>Our <b>ergonomics</b> team</p>"
    page.save()
    assert (found("posture"), found("ergonomics")) == ([], ["/about/"])
    page.title = "Contact"
    page.save()
    assert found("contact") == ["/about/"]
    page.delete()
    assert found("ergonomics") == []


def test_a_results_page_lists_only_what_it_counts(make_post):
    from search.engines import engine
    from search.query import parse

    make_post(title="Neck care", body="<p>Less pain by evening.</p>")
    make_post(title="Neck posture", body="<p>Sit tall.</p>")
    results_page = engine(connection.alias).results_page
    counts, page = results_page(Post.objects.published(), parse("neck -pain"))
    assert (sum(counts.values()), [post.title for post in page]) == (1, ["Neck posture"])
    assert results_page(Post.objects.published(), parse("the")) == ({}, [])
    assert results_page(Post.objects.none(), parse("neck")) == ({}, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
@pytest.mark.parametrize(
    "change",
    [
        "DEALLOCATE ALL",  # A pooler reset the session.
        # A deploy's migration (the test's pending foreign key checks would block it).
        "SET CONSTRAINTS ALL IMMEDIATE; ALTER TABLE blog_post ALTER COLUMN title TYPE text",
    ],
)
def test_a_search_recovers_when_its_prepared_statement_is_gone_or_outdated(make_post, change):
    from search.engines import postgres
    from search.query import parse

    make_post(title="Sciatica guide")

    def search():
        return [
            post.title
            for post in postgres.results_page(Post.objects.published(), parse("sciatica"))[1]
        ]

    assert search() == ["Sciatica guide"]
    assert postgres.pages(parse("sciatica"), site_id=1) == []
    with connection.cursor() as cursor:
        cursor.execute(change)
    assert search() == ["Sciatica guide"]
    assert postgres.pages(parse("sciatica"), site_id=1) == []  # Its statement was lost too.
    # Inside a transaction too, the search's planner settings end with it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('plan_cache_mode')"
        )
        assert cursor.fetchone() == ("on", "auto")


def test_reading_posts_never_fetches_the_search_index(make_post):
    from django.test.utils import CaptureQueriesContext

    post = make_post(title="Sciatica", body="<p>" + "sciatica leg pain " * 500 + "</p>")
    reads = [
        lambda: Post.objects.get(pk=post.pk),
        lambda: list(Post.objects.values()),
        lambda: list(post.recommendations.select_related("post")),
        lambda: list(search(Post.objects.published(), "sciatica")),
    ]
    for read in reads:
        with CaptureQueriesContext(connection) as context:
            read()
        for query in context.captured_queries:
            # Ranking uses the head in SQL; no column of the index is read out.
            select = query["sql"].split(" FROM ", 1)[0]
            assert '."search_document"' not in select and '."search_head"' not in select


def test_an_edited_post_is_found_by_its_new_words(make_post):
    post = Post.objects.get(pk=make_post(title="Sciatica").pk)
    post.title = "Whiplash"
    post.save()
    assert found("whiplash") == ["Whiplash"]
    assert found("sciatica") == []
