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
from django.db.models import BooleanField, FloatField

from blog.html import plain_text

from ..highlight import START, STOP, highlighted
from ..query import ParsedQuery
from ..spelling import closest
from .expressions import TableSQL

FTS = "search_post_fts"
# bm25 weights for title, excerpt, category and tag names, body.
WEIGHTS = "10.0, 4.0, 2.0, 1.0"
# The same posts' title, excerpt and category and tag names alone (migration 0011).
HEAD = "search_post_head"
HEAD_WEIGHTS = "10.0, 4.0, 2.0"


def register_functions(dbapi_connection):
    dbapi_connection.create_function("search_plain_text", 1, plain_text, deterministic=True)


def match_expression(query):
    """
    An FTS5 MATCH expression for the parsed query. Every phrase is a double-quoted string,
    so whatever the reader typed is only ever text to FTS5, never its syntax.
    """

    expression = " AND ".join(map(_clause, query.positive))
    if query.negative:
        expression = f"({expression}) NOT ({' OR '.join(map(_clause, query.negative))})"
    return expression


def _phrase(phrase):
    return '"' + " ".join(phrase.words).replace('"', '""') + '"'


def _clause(clause):
    return "(" + " OR ".join(map(_phrase, clause.alternatives)) + ")"


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
# title, excerpt or tags hold the reader's words. Matches are therefore ranked in two tiers:
# first those whose head (title, excerpt and tags) holds every word of the query, by bm25;
# then the rest, by bm25, the best RERANKED of them ordered by how many of the query's
# clauses their head holds. For a word most of the archive uses, the first tier is a small
# part of the matches and usually fills the page: bm25 is then computed for it alone, not for
# every match (at 20,000 posts, "neck pain": 3,400 rows instead of 19,000).
RERANKED = 50
HEAD_COLUMNS = "{title excerpt taxonomy}"
# Ranked without the queryset's filters first, and checked against them after: drafts and
# scheduled posts are few, so this many more almost always leave a page.
SPARE = 20


def results_page(posts, query, *, category_id=None, offset=0, limit=10):
    if query.is_empty or posts.query.is_empty():
        return {}, []
    counts = category_counts(posts, query)
    if category_id is not None:
        posts = posts.filter(category_id=category_id)
    ids = ranked_ids(posts, query, offset, limit)
    # The ids are the queryset's already: fetched by primary key alone.
    rows = posts.model._base_manager.using(posts.db).defer("body").in_bulk(ids)
    page = [rows[pk] for pk in ids if pk in rows]
    found = snippets(ids, query, using=posts.db)
    for post in page:
        post.snippet = found.get(post.pk, "")
    return counts, page


def best(posts, query, fields, limit=5):
    """The first few of results_page's order, with only the given fields: no counts, no snippets."""
    if query.is_empty or posts.query.is_empty():
        return []
    ids = ranked_ids(posts, query, 0, limit)
    rows = posts.model._base_manager.using(posts.db).only(*fields).in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def category_counts(posts, query):
    """{category id: how many of posts match}, read from an index of public posts' categories."""
    matching = posts.filter(
        TableSQL(
            f"+{{table}}.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)",
            [match_expression(query)],
            BooleanField(),
        )
    )
    sql, params = matching.order_by().values_list("category_id").query.sql_with_params()
    # "+": grouped by the category's own index, SQLite would read every post's row to filter
    # it; the index on (status, published_at, category_id) answers without reading a row.
    with connections[posts.db].cursor() as cursor:
        cursor.execute(f"SELECT category_id, count(*) FROM ({sql}) GROUP BY +category_id", params)
        return dict(cursor.fetchall())


def ranked_ids(posts, query, offset, limit):
    """The ids of posts matching query, in results_page's order, from offset for limit."""
    if query.is_empty or limit <= 0 or posts.query.is_empty():
        return []
    positive = positive_expression(query)
    excluded = _negative_expression(query)
    first = _ranked(posts, HEAD, positive, 0, offset + limit, excluded)
    if len(first) == offset + limit:
        return first[offset:]
    rest_offset = max(0, offset - len(first))
    wanted = offset + limit - max(offset, len(first))
    rest = f"({match_expression(query)}) NOT ({HEAD_COLUMNS} : ({positive}))"
    if rest_offset + wanted <= RERANKED:
        candidates = _ranked(posts, FTS, rest, 0, RERANKED)
        hits = head_hits(candidates, query, using=posts.db)
        candidates.sort(key=lambda pk: -hits.get(pk, 0))  # Stable: bm25 breaks ties.
        second = candidates[rest_offset : rest_offset + wanted]
    else:
        second = _ranked(posts, FTS, rest, rest_offset, wanted)
    return first[offset:] + second


def _ranked(posts, table, expression, offset, limit, excluded=""):
    """
    Ids of posts matching the FTS5 expression in table (and not the excluded one anywhere),
    best bm25 first, newest first among equals.
    """
    rank = f"bm25({table}, {HEAD_WEIGHTS if table == HEAD else WEIGHTS})"
    where, params = f"{table} MATCH %s", [expression]
    if excluded:
        # "+": the excluded posts are a set built once, not a lookup of each id in FTS5.
        where += f" AND +{table}.rowid NOT IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)"
        params.append(excluded)
    with connections[posts.db].cursor() as cursor:
        if offset == 0:
            window = limit + SPARE
            cursor.execute(
                f"SELECT rowid, {rank} FROM {table} WHERE {where} ORDER BY 2 LIMIT %s",
                [*params, window],
            )
            candidates = dict(cursor.fetchall())
            dates = dict(posts.filter(pk__in=candidates).values_list("pk", "published_at"))
            ranked = sorted(dates, key=lambda pk: (candidates[pk], -_timestamp(dates[pk]), -pk))
            complete = len(candidates) < window
            # Exact unless posts outside the window tie with the last one shown.
            if complete or (
                len(ranked) >= limit and candidates[ranked[limit - 1]] < max(candidates.values())
            ):
                return ranked[:limit]
        sql, post_params = posts.order_by().values("pk").query.sql_with_params()
        cursor.execute(
            f"SELECT {table}.rowid FROM {table} JOIN blog_post post ON post.id = {table}.rowid"
            f" WHERE {where} AND +{table}.rowid IN ({sql})"
            f" ORDER BY {rank}, post.published_at DESC, post.id DESC LIMIT %s OFFSET %s",
            [*params, *post_params, limit, offset],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _timestamp(moment):
    return moment.timestamp() if moment else 0


def positive_expression(query):
    return match_expression(ParsedQuery(query.text, tuple(query.positive)))


def _negative_expression(query):
    return " OR ".join(map(_clause, query.negative))


def head_hits(post_ids, query, using="default"):
    """{post id: how many of the query's positive clauses match its title, excerpt or tags}."""
    return {pk: len(clauses) for pk, clauses in clause_hits(post_ids, query, HEAD, using).items()}


def clause_hits(post_ids, query, table=FTS, using="default"):
    """{post id: the numbers of the query's positive clauses it matches in table's columns}."""
    if not post_ids or query.is_empty:
        return {}
    # Each clause's matches are read once, within the ids' range, and only then compared with
    # the ids ("+rowid" keeps the list from FTS5, which would otherwise look up each id on its
    # own, reading the clause's index again every time: five times slower for 50 ids).
    selects, params = [], []
    for n, clause in enumerate(query.positive):
        selects.append(
            f"SELECT rowid, {n} AS clause FROM {table}"
            f" WHERE {table} MATCH %s AND rowid BETWEEN %s AND %s"
        )
        params += [match_expression(query.only(clause)), min(post_ids), max(post_ids)]
    ids = ", ".join(["%s"] * len(post_ids))
    found = {}
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, clause FROM ({' UNION ALL '.join(selects)}) WHERE +rowid IN ({ids})",
            [*params, *post_ids],
        )
        for pk, clause in cursor.fetchall():
            found.setdefault(pk, set()).add(clause)
    return found


def partial_matches(posts, query, limit=10):
    """
    Posts matching some of the query's positive clauses (none of its exclusions), those
    matching most first, then in results_page's order; each with `missing`, the clauses it
    lacks. The best RERANKED matches of any clause are compared (as results_page reranks).
    """
    ids = ranked_ids(posts, query.any_of(), 0, RERANKED)
    matched = clause_hits(ids, query, using=posts.db)
    ids = sorted(ids, key=lambda pk: -len(matched.get(pk, ())))[:limit]  # Stable.
    rows = posts.model._base_manager.using(posts.db).defer("body").in_bulk(ids)
    found = [rows[pk] for pk in ids if pk in rows]
    for post in found:
        post.missing = [
            str(c) for n, c in enumerate(query.positive) if n not in matched.get(post.pk, ())
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
        # One pass over the matches in the ids' range ("+rowid", as in clause_hits): FTS5
        # would otherwise set up the whole query again for each id.
        cursor.execute(
            "SELECT rowid, snippet(search_post_fts, 3, %s, %s, ' … ', 30) FROM search_post_fts"
            " WHERE search_post_fts MATCH %s AND rowid BETWEEN %s AND %s"
            f" AND +rowid IN ({placeholders})",
            [START, STOP, match_expression(query), min(post_ids), max(post_ids), *post_ids],
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
