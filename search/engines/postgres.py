"""
PostgreSQL full-text search.

blog_post.search_document is a stored tsvector (title A, excerpt B, category and tag names C,
body D, plus its word pairs for phrases) kept by a trigger and indexed with GIN; search_word
holds every word of published articles for pg_trgm spelling suggestions. Both are created in
migration 0003, the pairs in 0006.
"""

from contextlib import contextmanager
from functools import lru_cache

from django.contrib.flatpages.models import FlatPage
from django.db import connections, transaction
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from ..highlight import START, STOP, highlighted
from .expressions import TableSQL

HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, ShortWord=3, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
TAGS = r"'<[^>]*>'"


def tsquery(query, *, document=False, using="default"):
    """
    SQL and parameters for the query's tsquery; each phrase goes through websearch_to_tsquery,
    or for search_document (document=True) through search_phrase(), which matches the same
    posts using the document's indexed word pairs (migration 0006). The tsquery is computed
    once and passed as a value: written out in full, each query of a search page parsed it again
    while planning, once for every place it appears.
    """
    function = "search_phrase(%s)" if document else "websearch_to_tsquery('english', %s)"
    parts, params = [], []
    for clause in query.clauses:
        alternatives = " || ".join([function] * len(clause.alternatives))
        parts.append(f"{'!!' if clause.negated else ''}({alternatives})")
        params += [str(phrase) for phrase in clause.alternatives]
    return "%s::tsquery", [_computed_tsquery("(" + " && ".join(parts) + ")", tuple(params), using)]


# The functions are immutable (the same text always gives the same tsquery), so a query read
# again, by this reader or another, needs no round trip.
@lru_cache(maxsize=2048)
def _computed_tsquery(expression, params, using):
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT ({expression})::text", params)
        return cursor.fetchone()[0]


def search(posts, query):
    """
    Matches by the whole document; relevance is ts_rank_cd over title, excerpt and tag names
    (search_head) for posts that match there, above posts that match only in the body.
    Ranking by the small head vector keeps thousands of matches cheap to order.
    """
    if query.is_empty:
        return posts.none().annotate(search_rank=RawSQL("0", [], output_field=FloatField()))
    sql, params = tsquery(query, using=posts.db)
    return _matching(posts, query).annotate(
        search_rank=TableSQL(
            f"CASE WHEN {{table}}.search_head @@ {sql}"
            f" THEN 1 + ts_rank_cd({{table}}.search_head, {sql}, 1) ELSE 0 END",
            [*params, *params],
            output_field=FloatField(),
        )
    )


def ranked(posts, query):
    """search(posts, query) in the same order, as a sequence that is quick to slice."""
    return RankedMatches(posts, query)


@contextmanager
def planner_hints(using="default"):
    """
    Steer the planner to the GIN indexes. For a common word it otherwise prefers reading the
    whole table, which means decompressing every post's document to match it, where the
    index scan needs no document at all: 150 ms instead of 15 ms with 20,000 posts.
    """
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield


# Head matches are shortlisted by ts_rank (cheap: term frequencies) and only the shortlist is
# ordered by ts_rank_cd (cover density: rewards the query's words close together, ~15 times
# the cost per match). Matches past the shortlist keep ts_rank's order.
SHORTLIST = 200


class RankedMatches:
    """
    The matches in search() order, fetched in two steps so that no query ranks them all with
    ts_rank_cd: posts matching in their head (title, excerpt, tags; found with the head's GIN
    index), the best SHORTLIST of them by ts_rank ordered by ts_rank_cd, then the other head
    matches by ts_rank; then posts matching only in the body, newest first.
    """

    def __init__(self, posts, query):
        sql, params = tsquery(query, using=posts.db)
        self.posts = posts
        matches_head = TableSQL(f"{{table}}.search_head @@ {sql}", params, BooleanField())
        in_head = posts.filter(matches_head)
        self.cover_density = TableSQL(
            f"1 + ts_rank_cd({{table}}.search_head, {sql}, 1)", params, FloatField()
        )
        self.frequency = TableSQL(
            f"1 + ts_rank({{table}}.search_head, {sql}, 1)", params, FloatField()
        )
        self.head = _ranked(in_head, self.cover_density)
        self.head_by_frequency = _ranked(in_head, self.frequency)
        self.shortlist = self.head.filter(pk__in=self.head_by_frequency.values("pk")[:SHORTLIST])
        self.body_only = (
            _matching(posts, query)
            .exclude(matches_head)
            .annotate(search_rank=RawSQL("0", [], output_field=FloatField()))
            .order_by("-published_at", "-pk")
        )
        self._head_count = None

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        found = []
        if start < SHORTLIST:
            found += self._rows(self.shortlist, self.cover_density, start, min(stop, SHORTLIST))
        if stop > SHORTLIST and len(found) == max(0, min(stop, SHORTLIST) - start):
            found += self._rows(self.head_by_frequency, self.frequency, max(start, SHORTLIST), stop)
        if len(found) == stop - start:
            return found
        if found or start == 0:
            self._head_count = start + len(found)
        elif self._head_count is None:
            self._head_count = self.head.count()
        offset = max(0, start - self._head_count)
        return found + list(self.body_only[offset : offset + stop - start - len(found)])

    def _rows(self, ranked, rank, start, stop):
        # Ranked by id alone, then the page's rows fetched by id: carrying every column (and
        # the category) of thousands of matches into the sort took a fifth of the query's time.
        return list(_ranked(self.posts.filter(pk__in=ranked.values("pk")[start:stop]), rank))


def _ranked(posts, rank):
    return posts.annotate(search_rank=rank).order_by("-search_rank", "-published_at", "-pk")


def _matching(posts, query):
    sql, params = tsquery(query, document=True, using=posts.db)
    return posts.filter(
        TableSQL(f"{{table}}.search_document @@ {sql}", params, output_field=BooleanField())
    )


def snippets(post_ids, query, using="default"):
    """
    The excerpt with the matched words marked when it has any of them, else the passage of the
    body around the match: ts_headline reads the whole body, so it runs only where needed.
    """
    if not post_ids or query.is_empty:
        return {}
    sql, params = tsquery(query, using=using)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"""
            WITH shown AS MATERIALIZED (
                SELECT id, body, ts_headline('english', excerpt, {sql}, %s) AS lead
                FROM blog_post WHERE id = ANY(%s)
            )
            SELECT id, strpos(lead, %s) = 0, CASE WHEN strpos(lead, %s) > 0 THEN lead
                ELSE ts_headline('english', regexp_replace(body, {TAGS}, ' ', 'g'), {sql}, %s)
            END FROM shown
            """,
            [*params, HEADLINE_OPTIONS, list(post_ids), START, START, *params, HEADLINE_OPTIONS],
        )
        return {
            pk: highlighted(text, decode_entities=from_body)
            for pk, from_body, text in cursor.fetchall()
        }


def pages(query, site_id, limit=5):
    if query.is_empty:
        return FlatPage.objects.none()
    sql, params = tsquery(query, using=FlatPage.objects.db)
    # A handful of pages: their vectors are computed on the fly rather than stored.
    document = (
        "setweight(to_tsvector('english', {table}.title), 'A') || "
        f"to_tsvector('english', regexp_replace({{table}}.content, {TAGS}, ' ', 'g'))"
    )
    return (
        FlatPage.objects.filter(sites=site_id, registration_required=False)
        .filter(TableSQL(f"{document} @@ {sql}", params, output_field=BooleanField()))
        .annotate(
            search_rank=TableSQL(
                f"ts_rank_cd({document}, {sql})", params, output_field=FloatField()
            )
        )
        .order_by("-search_rank", "title")[:limit]
    )


def known_words(words, using="default"):
    if not words:
        return {}
    with connections[using].cursor() as cursor:
        # The exact word if articles use it, else the most similar one by trigrams (pg_trgm's
        # % operator uses the GIN index), more frequent words winning ties.
        cursor.execute(
            """
            SELECT typed.word, coalesce(
                (SELECT word FROM search_word WHERE word = typed.word),
                (SELECT word FROM search_word WHERE word %% typed.word
                 ORDER BY similarity(word, typed.word) DESC, documents DESC, word LIMIT 1)
            )
            FROM unnest(%s::text[]) AS typed(word)
            """,
            [list(words)],
        )
        return dict(cursor.fetchall())
