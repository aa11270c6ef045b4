"""
SQLite full-text search with FTS5.

search_post_fts (title, excerpt, taxonomy, body; porter stemming) indexes every post, and
search_post_words (plain words of published posts) feeds spelling suggestions through its
fts5vocab table; search_page_fts indexes static pages. Triggers keep them in step; they are
created in migration 0004.
"""

from contextlib import nullcontext

from django.contrib.flatpages.models import FlatPage
from django.db import connections
from django.db.models import BooleanField, Count, FloatField, IntegerField

from blog.html import plain_text

from ..highlight import START, STOP, highlighted
from ..spelling import closest
from .expressions import TableSQL

FTS = "search_post_fts"
# bm25 weights for title, excerpt, category and tag names, body.
WEIGHTS = "10.0, 4.0, 2.0, 1.0"


def register_functions(dbapi_connection):
    dbapi_connection.create_function("search_plain_text", 1, plain_text, deterministic=True)


def match_expression(query):
    """
    An FTS5 MATCH expression for the parsed query. Every phrase is a double-quoted string,
    so whatever the reader typed is only ever text to FTS5, never its syntax.
    """

    def phrase(p):
        return '"' + " ".join(p.words).replace('"', '""') + '"'

    def clause(c):
        return "(" + " OR ".join(map(phrase, c.alternatives)) + ")"

    expression = " AND ".join(map(clause, query.positive))
    if query.negative:
        expression = f"({expression}) NOT ({' OR '.join(map(clause, query.negative))})"
    return expression


def search(posts, query):
    if query.is_empty:
        return posts.none().annotate(search_rank=TableSQL("0", [], output_field=FloatField()))
    # Joined to the FTS5 table rather than matched in a subquery, so bm25() is computed once
    # per matching row by FTS5 itself. It is smaller for better matches, hence negated.
    fts = "{table}.search_post_fts"
    return (
        posts.filter(sqlite_index_entry__isnull=False)
        .filter(TableSQL(f"{fts} MATCH %s", [match_expression(query)], BooleanField(), FTS))
        .annotate(search_rank=TableSQL(f"-bm25({fts}, {WEIGHTS})", [], FloatField(), FTS))
    )


# bm25's inverse document frequency is close to nothing for a word most articles use, so on a
# small site (and for common words anywhere) the title's weight cannot lift the article whose
# title, excerpt or tags hold the reader's words. The best RERANKED by bm25 are therefore
# ordered by how many of the query's clauses match there first (as PostgreSQL ranks matches in
# the head first), then by bm25; pages past them keep bm25's order. One small query: it reads
# only these rows.
RERANKED = 50
HEAD_COLUMNS = "{title excerpt taxonomy}"


def results_page(posts, query, *, category_id=None, offset=0, limit=10):
    matching = search(posts, query)
    counts = dict(matching.order_by().values_list("category").annotate(n=Count("pk")))
    if category_id is not None:
        matching = matching.filter(category_id=category_id)
    ordered = matching.defer("body").order_by("-search_rank", "-published_at", "-pk")
    if offset + limit <= RERANKED:
        best = list(ordered[:RERANKED])
        hits = head_hits([post.pk for post in best], query, using=posts.db)
        best.sort(key=lambda post: -hits.get(post.pk, 0))  # Stable: bm25 breaks ties.
        page = best[offset : offset + limit]
    else:
        page = list(ordered[offset : offset + limit])
    found = snippets([post.pk for post in page], query, using=posts.db)
    for post in page:
        post.snippet = found.get(post.pk, "")
    return counts, page


def best(posts, query, fields, limit=5):
    """The first few of results_page's order, with only the given fields: no counts, no snippets."""
    if query.is_empty:
        return []
    ordered = search(posts, query).only(*fields).order_by("-search_rank", "-published_at", "-pk")
    found = list(ordered[:RERANKED])
    hits = head_hits([post.pk for post in found], query, using=posts.db)
    found.sort(key=lambda post: -hits.get(post.pk, 0))
    return found[:limit]


def head_hits(post_ids, query, using="default"):
    """{post id: how many of the query's positive clauses match its title, excerpt or tags}."""
    if not post_ids or query.is_empty:
        return {}
    # Each clause's matches are read once, within the ids' range, and only then compared with
    # the ids ("+rowid" keeps the list from FTS5, which would otherwise look up each id on its
    # own, reading the clause's index again every time: five times slower for 50 ids).
    selects, params = [], []
    for clause in query.positive:
        expression = f"{HEAD_COLUMNS} : ({match_expression(query.only(clause))})"
        selects.append(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s AND rowid BETWEEN %s AND %s")
        params += [expression, min(post_ids), max(post_ids)]
    ids = ", ".join(["%s"] * len(post_ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, count(*) FROM ({' UNION ALL '.join(selects)})"
            f" WHERE +rowid IN ({ids}) GROUP BY rowid",
            [*params, *post_ids],
        )
        return dict(cursor.fetchall())


def partial_matches(posts, query, limit=10):
    """
    Posts matching some of the query's positive clauses (none of its exclusions), those
    matching most first, then by bm25; each with `missing`, the clauses it lacks.
    """
    flags = {
        f"search_has_{n}": TableSQL(
            "{table}.id IN (SELECT rowid FROM search_post_fts WHERE search_post_fts MATCH %s)",
            [match_expression(query.only(clause))],
            BooleanField(),
        )
        for n, clause in enumerate(query.positive)
    }
    matched = TableSQL(
        " + ".join(f"({flag.sql})" for flag in flags.values()),
        [param for flag in flags.values() for param in flag.params],
        IntegerField(),
    )
    found = list(
        search(posts, query.any_of())
        .annotate(search_matched=matched, **flags)
        .defer("body")
        .order_by("-search_matched", "-search_rank", "-published_at", "-pk")[:limit]
    )
    for post in found:
        post.missing = [
            str(c) for n, c in enumerate(query.positive) if not getattr(post, f"search_has_{n}")
        ]
        post.snippet = ""
    return found


def planner_hints(using="default"):
    return nullcontext()


def snippets(post_ids, query, using="default"):
    if not post_ids or query.is_empty:
        return {}
    placeholders = ", ".join(["%s"] * len(post_ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT rowid, snippet(search_post_fts, 3, %s, %s, ' … ', 30) FROM search_post_fts"
            f" WHERE search_post_fts MATCH %s AND rowid IN ({placeholders})",
            [START, STOP, match_expression(query), *post_ids],
        )
        return {pk: highlighted(text) for pk, text in cursor.fetchall()}


def pages(query, site_id, limit=5):
    if query.is_empty:
        return FlatPage.objects.none()
    match = match_expression(query)
    return (
        FlatPage.objects.filter(sites=site_id, registration_required=False)
        .filter(
            TableSQL(
                "{table}.id IN (SELECT rowid FROM search_page_fts WHERE search_page_fts MATCH %s)",
                [match],
                output_field=BooleanField(),
            )
        )
        .annotate(
            search_rank=TableSQL(
                "(SELECT -bm25(search_page_fts, 5.0, 1.0) FROM search_page_fts"
                " WHERE search_page_fts MATCH %s AND rowid = {table}.id)",
                [match],
                output_field=FloatField(),
            )
        )
        .order_by("-search_rank", "title")[:limit]
    )


def known_words(words, using="default"):
    """
    The closest words published articles use (search.spelling). Candidates share the typed
    word's first letter: fts5vocab reads a range of terms fast, but not an arbitrary filter.
    """
    if not words:
        return {}
    vocabularies = {}
    with connections[using].cursor() as cursor:
        for letter in sorted({word[0] for word in words}):
            cursor.execute(
                "SELECT term, doc FROM search_post_words_vocab WHERE term >= %s AND term < %s",
                [letter, chr(ord(letter) + 1)],
            )
            vocabularies[letter] = dict(cursor.fetchall())
    return {word: closest(word, vocabularies[word[0]]) for word in words}


def completion(prefix, using="default"):
    """The word of published posts that starts with prefix and most of them use, or None."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT term FROM search_post_words_vocab WHERE term >= %s AND term < %s"
            " ORDER BY doc DESC, term LIMIT 1",
            [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)],
        )
        row = cursor.fetchone()
    return row[0] if row else None
