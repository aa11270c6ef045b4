"""
PostgreSQL full-text search.

blog_post.search_document is a stored tsvector (title A, excerpt B, category and tag names C,
body D, plus its word pairs for phrases) kept by a trigger and indexed with GIN; search_word_count
holds every word of published articles for pg_trgm spelling suggestions (folded counts plus
pending changes, migration 0060). Both are created in migration 0003, the pairs in 0006.
"""

import functools
import re
from contextlib import contextmanager
from functools import lru_cache

from django.contrib.flatpages.models import FlatPage
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import BooleanField, FloatField, IntegerField
from django.db.models.expressions import RawSQL

import prepared_statements

from ..highlight import START, STOP, highlighted
from ..spelling import closest
from .expressions import TableSQL

HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, ShortWord=3, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
# Tags, and reusable snippets' shortcodes (blog/html.py SNIPPET_SHORTCODE): not words of a post.
TAGS = r"'<[^>]*>|\[snippet[[:space:]]+[-[:alnum:]_]+[[:space:]]*\]'"


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


def best(posts, query, fields, limit=5):
    """
    The first few of results_page's order, with only the given fields: no counts and no
    snippets, for instant results. Head matches are found with the head's own GIN index, so
    posts matching only in the body are never ranked, and are read (newest first) only when
    fewer than `limit` heads match.
    """
    if query.is_empty:
        return []
    sql, params = tsquery(query, using=posts.db)
    head = TableSQL(f"{{table}}.search_head @@ {sql}", params, output_field=BooleanField())
    # The document is matched as a set of ids from its index: matched row by row, each
    # head match's whole document was read (decompressed), 30 ms for "neck pain".
    document_sql, document_params = tsquery(query, document=True, using=posts.db)
    in_document = TableSQL(
        f"{{table}}.id IN (SELECT id FROM blog_post WHERE search_document @@ {document_sql})",
        document_params,
        output_field=BooleanField(),
    )
    shortlist = (
        posts.filter(head)
        .filter(in_document)
        .annotate(
            search_frequency=TableSQL(
                f"ts_rank({{table}}.search_head, {sql}, 1)", params, output_field=FloatField()
            )
        )
        .order_by("-search_frequency", "-published_at", "-pk")
        .values("pk")[:SHORTLIST]
    )
    ranked = (
        posts.model.objects.filter(pk__in=shortlist)
        .annotate(
            search_rank=TableSQL(
                f"1 + ts_rank_cd({{table}}.search_head, {sql}, 1)", params, FloatField()
            )
        )
        .only(*fields)
        .order_by("-search_rank", "-published_at", "-pk")
    )
    with planner_hints(posts.db):
        found = list(ranked[:limit])
        if len(found) < limit:
            body = _matching(posts, query).exclude(head).only(*fields)
            found += body.order_by("-published_at", "-pk")[: limit - len(found)]
    return found


# Steers the planner to the GIN indexes. For a common word it otherwise prefers reading the
# whole table, which means decompressing every post's document to match it, where the index
# scan needs no document at all: 150 ms instead of 15 ms with 20,000 posts.
PLANNER_HINTS = "SET LOCAL enable_seqscan = off"


@contextmanager
def planner_hints(using="default"):
    """PLANNER_HINTS for the queries run inside."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(PLANNER_HINTS)
        yield


def results_page(posts, query, *, category_id=None, offset=0, limit=10):
    """
    How many of the posts match in each category, and one page of them, best first (of one
    category if given), each with search_rank and snippet; see RESULTS_PAGE.
    """
    if query.is_empty:
        return {}, []
    using = posts.db
    sql, params = tsquery(query, using=using)
    head = TableSQL(
        f"CASE WHEN {{table}}.search_head @@ {sql} THEN {{table}}.search_head END",
        params,
        SearchVectorField(),
    )
    matches = _matching(posts, query).order_by().values_list("pk", "category", "published_at", head)
    try:
        matches_sql, matches_params = matches.query.get_compiler(using).as_sql()
    except EmptyResultSet:  # posts.none()
        return {}, []
    template, attnames = _results_page_template(posts.model, using)
    statement, values = _bound(
        template,
        matches=(matches_sql, matches_params),
        query=(sql, params),
        category=category_id,
        last_place=SHORTLIST - 1,
        offset=offset,
        limit=limit,
        headline_options=HEADLINE_OPTIONS,
        mark=START,
    )
    rows = _fetch_prepared(using, statement, values, hints=True)
    categories, numbers = rows[0][:2]
    page = []
    for _, _, rank, from_body, snippet, *values in rows:
        if rank is None:
            continue  # The page is empty: the one row holds only the counts.
        post = posts.model.from_db(using, attnames, values)
        post.search_rank = rank
        post.snippet = highlighted(snippet, decode_entities=from_body)
        page.append(post)
    return dict(zip(categories or [], numbers or [], strict=True)), page


@functools.cache
def _results_page_template(model, using):
    """RESULTS_PAGE with the model's columns but the body and the search index's, and their
    attribute names."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if field.name != "body" and not isinstance(field, SearchVectorField)
    ]
    columns = [connections[using].ops.quote_name(field.column) for field in fields]
    template = RESULTS_PAGE.format(
        tags=TAGS,
        columns=", ".join(f"post.{column}" for column in columns),
        shown_columns=", ".join(f"shown.{column}" for column in columns),
    )
    return template, [field.attname for field in fields]


# Head matches are shortlisted by ts_rank (cheap: term frequencies) and only the shortlist is
# ordered by ts_rank_cd (cover density: rewards the query's words close together, ~15 times
# the cost per match). Matches past the shortlist keep ts_rank's order.
SHORTLIST = 200

# One statement for the whole search page, so that each match is read once and the page costs
# one round trip. The matches are posts matching the whole document; those matching in their
# head (title, excerpt, tags) come first: the best SHORTLIST of them by ts_rank ordered by
# ts_rank_cd, then the other head matches by ts_rank; then posts matching only in the body,
# newest first. The snippet is the excerpt with the matched words marked when it has any of
# them, else the passage of the body around the match: ts_headline reads the whole body, so it
# runs only where needed. The first row always carries the counts; an empty page is that row
# alone. It runs with a generic plan, which guesses a handful of matches: no join here may
# depend on that guess (joining head matches to the shortlist became a 150 ms nested loop).
RESULTS_PAGE = """
WITH matches (id, category_id, published_at, head) AS MATERIALIZED (%(matches)s),
counts AS (SELECT category_id, count(*) AS n FROM matches GROUP BY category_id),
in_head AS (
    SELECT id, published_at, head, 1 + ts_rank(head, %(query)s, 1) AS frequency
    FROM matches
    WHERE head IS NOT NULL AND (%(category)s::bigint IS NULL OR category_id = %(category)s)
),
-- The last head match to make the shortlist; none when every head match does.
last_shortlisted AS (
    SELECT frequency, published_at, id FROM in_head
    ORDER BY frequency DESC, published_at DESC, id DESC OFFSET %(last_place)s LIMIT 1
),
ranked AS (
    SELECT id, published_at, tier,
        CASE tier WHEN 0 THEN 1 + ts_rank_cd(head, %(query)s, 1) ELSE frequency END AS rank
    FROM (
        SELECT *, CASE WHEN coalesce((frequency, published_at, id) >= (
            (SELECT frequency FROM last_shortlisted),
            (SELECT published_at FROM last_shortlisted),
            (SELECT id FROM last_shortlisted)
        ), true) THEN 0 ELSE 1 END AS tier
        FROM in_head
    ) AS tiered
    UNION ALL
    SELECT id, published_at, 2, 0
    FROM matches
    WHERE head IS NULL AND (%(category)s::bigint IS NULL OR category_id = %(category)s)
    ORDER BY tier, rank DESC, published_at DESC, id DESC
    OFFSET %(offset)s LIMIT %(limit)s
),
shown AS MATERIALIZED (
    SELECT ranked.tier, ranked.rank, post.body, {columns},
        ts_headline('english', post.excerpt, %(query)s, %(headline_options)s) AS lead
    FROM ranked JOIN blog_post AS post ON post.id = ranked.id
)
SELECT counts.categories, counts.numbers, shown.rank, strpos(shown.lead, %(mark)s) = 0,
    CASE WHEN strpos(shown.lead, %(mark)s) > 0 THEN shown.lead ELSE ts_headline(
        'english', regexp_replace(shown.body, {tags}, ' ', 'g'), %(query)s, %(headline_options)s
    ) END,
    {shown_columns}
FROM (SELECT array_agg(category_id), array_agg(n) FROM counts) AS counts (categories, numbers)
LEFT JOIN shown ON true
ORDER BY shown.tier, shown.rank DESC, shown.published_at DESC, shown.id DESC
"""


def _bound(template, **values):
    """
    The template with %s for each %(name)s, and the values in that order: a (sql, params)
    value puts its SQL in place and its parameters among the values.
    """
    bound = []

    def bind(match):
        value = values[match[1]]
        if isinstance(value, tuple):
            sql, params = value
            bound.extend(params)
            return sql
        bound.append(value)
        return "%s"

    return re.sub(r"%\((\w+)\)s", bind, template), bound


def _fetch_prepared(using, sql, params, *, hints=False):
    """
    The rows of the query, run as a prepared statement. With hints, it runs with
    PLANNER_HINTS and always with its generic plan: planning the search page's statement cost
    PostgreSQL more than a third of running it.
    """
    settings = f"{PLANNER_HINTS}; SET LOCAL plan_cache_mode = force_generic_plan; " if hints else ""
    with connections[using].cursor() as cursor:
        return prepared_statements.execute(
            cursor, sql, params, reads_only=True, local_settings=settings
        ).fetchall()


def _matching(posts, query):
    sql, params = tsquery(query, document=True, using=posts.db)
    return posts.filter(
        TableSQL(f"{{table}}.search_document @@ {sql}", params, output_field=BooleanField())
    )


def partial_matches(posts, query, limit=10):
    """
    Posts matching some of the query's positive clauses (none of its exclusions), those
    matching most first, then by rank; each with `missing`, the clauses it lacks.
    """
    # Each clause is looked up in the GIN index once, as a set of ids: testing it on each
    # matching row would decompress the row's whole document, once per clause.
    flags = {}
    for n, clause in enumerate(query.positive):
        sql, params = tsquery(query.only(clause), document=True, using=posts.db)
        flags[f"search_has_{n}"] = TableSQL(
            f"{{table}}.id IN (SELECT id FROM blog_post WHERE search_document @@ {sql})",
            params,
            BooleanField(),
        )
    matched = TableSQL(
        " + ".join(f"({flag.sql})::int" for flag in flags.values()),
        [param for flag in flags.values() for param in flag.params],
        IntegerField(),
    )
    matches = (
        search(posts, query.any_of())
        .annotate(search_matched=matched, **flags)
        .defer("body")
        .order_by("-search_matched", "-search_rank", "-published_at", "-pk")[:limit]
    )
    with planner_hints(posts.db):
        found = list(matches)
    for post in found:
        post.missing = [
            str(c) for n, c in enumerate(query.positive) if not getattr(post, f"search_has_{n}")
        ]
        post.snippet = ""
    return found


def pages(query, site_id, limit=5):
    if query.is_empty:
        return []
    using = FlatPage.objects.db
    sql, params = tsquery(query, using=using)
    statement, values = _bound(PAGES, site=site_id, query=(sql, params), limit=limit)
    rows = _fetch_prepared(using, statement, values)
    return [FlatPage.from_db(using, ["id", "url", "title"], row) for row in rows]


# The site's public static pages that match, best first. Their vectors are kept in search_page
# (migration 0007).
PAGES = """
SELECT page.id, page.url, page.title
FROM django_flatpage AS page
JOIN django_flatpage_sites AS page_site ON page_site.flatpage_id = page.id
JOIN search_page ON search_page.flatpage_id = page.id
WHERE page_site.site_id = %(site)s AND NOT page.registration_required
    AND search_page.document @@ %(query)s
ORDER BY ts_rank_cd(search_page.document, %(query)s) DESC, page.title
LIMIT %(limit)s
"""


def known_words(words, using="default"):
    """
    The closest words published articles use (search.spelling), from the words of published
    posts that share a typed word's first letter and are about as long. One query, reading a
    range of the primary key per letter (a filter on left(word, 1) read the whole table: 30 ms
    at 20,000 posts).
    """
    if not words:
        return {}
    letters = sorted({word[0] for word in words})
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT word, documents
            FROM unnest(%s::text[], %s::text[]) AS letter (first, next),
            LATERAL (
                SELECT word, documents FROM search_word_count
                WHERE word >= letter.first AND word < letter.next
            ) AS known
            WHERE documents > 0 AND length(word) BETWEEN %s AND %s
            """,
            [
                letters,
                [chr(ord(letter) + 1) for letter in letters],
                min(len(word) for word in words) - 2,
                max(len(word) for word in words) + 2,
            ],
        )
        vocabulary = dict(cursor.fetchall())
    return {
        word: closest(word, {t: n for t, n in vocabulary.items() if t[0] == word[0]})
        for word in words
    }


def completion(prefix, using="default"):
    """The word of published posts that starts with prefix and most of them use, or None."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word_count WHERE word >= %s AND word < %s AND documents > 0"
            " ORDER BY documents DESC, word LIMIT 1",
            [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)],
        )
        row = cursor.fetchone()
    return row[0] if row else None
