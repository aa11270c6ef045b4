"""
The two full-text engines behind search(posts, query): PostgreSQL's and SQLite's FTS5.

Both offer the same functions, chosen by the database a queryset uses:

- search(posts, query): the posts matching, annotated with search_rank (higher is better)
- results_page(posts, query, category_id=, offset=, limit=): ({category id: matches}, one page
  of the matches, of one category if given, best first, each with a snippet: safe HTML of the
  text around the match, words marked)
- best(posts, query, fields, limit=): the first few of results_page's order, with only those
  fields and neither counts nor snippets (instant results)
- planner_hints(): a context for the queries of a search
- pages(query, site_id): public static pages that match, best first
- partial_matches(posts, query, limit=): posts matching some of the query's words, most
  first, each with `missing` (the clauses it lacks)
- completion(prefix): the word of published content starting with prefix that most posts use
- known_words(words): {word: the closest word in published content, or None}

Each engine's index is kept in step by database triggers (see this app's migrations), so
every way of changing content, including tag and category edits, updates it at once.
"""

from django.db import connections

from ..models import Synonym
from ..query import ParsedQuery, clean, parse
from . import postgres, sqlite


def engine(using="default"):
    return postgres if connections[using].vendor == "postgresql" else sqlite


def search(posts, query):
    """
    The posts (a Post queryset) matching a reader's query (text in web-search syntax, or a
    parsed query), with a search_rank annotation, most relevant first. Pass
    Post.objects.published() for readers.
    """
    if not isinstance(query, ParsedQuery):
        query = parse(clean(query), Synonym.objects.using(posts.db).groups())
    return engine(posts.db).search(posts, query).order_by("-search_rank", "-published_at", "-pk")
