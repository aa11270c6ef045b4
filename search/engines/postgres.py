"""
PostgreSQL full-text search.

blog_post.search_document is a stored tsvector (title A, excerpt B, category and tag names C,
body D) kept by a trigger and indexed with GIN; search_word holds every word of published
articles for pg_trgm spelling suggestions. Both are created in migration 0003.
"""

from django.contrib.flatpages.models import FlatPage
from django.db import connections
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from ..highlight import START, STOP, highlighted
from .expressions import TableSQL

HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, ShortWord=3, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
TAGS = r"'<[^>]*>'"


def tsquery(query):
    """SQL and parameters for the query's tsquery; each phrase goes through websearch_to_tsquery."""
    parts, params = [], []
    for clause in query.clauses:
        alternatives = " || ".join(
            ["websearch_to_tsquery('english', %s)"] * len(clause.alternatives)
        )
        parts.append(f"{'!!' if clause.negated else ''}({alternatives})")
        params += [str(phrase) for phrase in clause.alternatives]
    return "(" + " && ".join(parts) + ")", params


def search(posts, query):
    if query.is_empty:
        return posts.none().annotate(search_rank=RawSQL("0", [], output_field=FloatField()))
    sql, params = tsquery(query)
    # Normalisation 1 divides by the log of the length, so long articles don't win by size.
    return posts.filter(
        TableSQL(f"{{table}}.search_document @@ {sql}", params, output_field=BooleanField())
    ).annotate(
        search_rank=TableSQL(
            f"ts_rank_cd({{table}}.search_document, {sql}, 1)", params, output_field=FloatField()
        )
    )


def snippets(post_ids, query, using="default"):
    if not post_ids or query.is_empty:
        return {}
    sql, params = tsquery(query)
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT id, ts_headline('english', regexp_replace(body, {TAGS}, ' ', 'g'), {sql}, %s)"
            " FROM blog_post WHERE id = ANY(%s)",
            [*params, HEADLINE_OPTIONS, list(post_ids)],
        )
        return {pk: highlighted(text, decode_entities=True) for pk, text in cursor.fetchall()}


def pages(query, site_id, limit=5):
    if query.is_empty:
        return FlatPage.objects.none()
    sql, params = tsquery(query)
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
