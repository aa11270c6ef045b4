"""Everything the search page shows for one query, in a number of queries that never grows."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.utils import timezone

from backandneck.caching import site_wide
from blog import directory
from blog.models import Category, Post

from .engines import engine
from .models import DailySearch, Recommendation, Synonym
from .query import ParsedQuery, parse

RESULTS_PER_PAGE = 10
# With fewer results than this, a spelling suggestion is looked for.
FEW_RESULTS = 3
MIN_SHORTCUT_WORD = 3


@dataclass
class SearchResults:
    query: ParsedQuery
    category: Category | None = None
    page: Page | None = None
    total: int = 0
    facets: list = field(default_factory=list)
    shortcuts: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    recommended: list = field(default_factory=list)
    suggestion: str = ""


def search_site(text, *, category_slug="", page_number=1, site_id):
    """
    Search published posts and static pages. Raises django.core.paginator.InvalidPage for a
    page number that is not a page of the results.
    """
    # Every search needs them and editors rarely change them: kept until content changes.
    synonyms = site_wide("synonyms", Synonym.objects.groups)
    query = parse(text, synonyms)
    if query.is_empty:
        return SearchResults(query=query)
    categories = directory.categories()
    search_engine = engine(Post.objects.db)
    with search_engine.planner_hints():
        results = _search_posts(query, category_slug, page_number, search_engine, categories)
        if results.total < FEW_RESULTS:
            results.suggestion = _suggestion(query, results.total, synonyms)
    results.pages = list(search_engine.pages(query, site_id))
    results.shortcuts = _matching_categories(query, categories)
    return results


def _search_posts(query, category_slug, page_number, search_engine, categories):
    results = SearchResults(query=query)
    public = Post.objects.published()
    recommended = []
    if query.normalised in site_wide("recommended_queries", Recommendation.objects.queries):
        recommended = list(
            public.filter(recommendations__query=query.normalised)
            .select_related("category")
            .defer("body")
            .order_by("recommendations__position")
        )
    candidates = public.exclude(pk__in=[post.pk for post in recommended])
    # One grouped query gives both the category filter's counts and the total.
    counts = dict(
        candidates.search(query).order_by().values_list("category").annotate(n=Count("pk"))
    )
    results.facets = [(c, counts[c.pk]) for c in categories if c.pk in counts]
    results.category = next((c for c, _ in results.facets if c.slug == category_slug), None)
    if results.category:
        candidates = candidates.filter(category=results.category)
        recommended = [post for post in recommended if post.category_id == results.category.pk]
    ranked = search_engine.ranked(candidates.select_related("category").defer("body"), query)
    paginator = Paginator(ranked, RESULTS_PER_PAGE)
    # The count is known from the grouped query; Paginator would otherwise match again.
    paginator.count = counts.get(getattr(results.category, "pk", None), sum(counts.values()))
    results.page = paginator.page(page_number)
    results.recommended = recommended if results.page.number == 1 else []
    results.total = paginator.count + len(results.recommended)
    snippets = search_engine.snippets([post.pk for post in results.page], query)
    for post in results.page:
        post.snippet = snippets.get(post.pk, "")
    return results


def starting_points():
    """What the search page offers before anything is typed: topics and popular searches."""
    return {
        "topics": Category.objects.filter(posts__in=Post.objects.published()).annotate(
            post_count=Count("posts")
        ),
        "popular_searches": DailySearch.objects.filter(results__gt=0).top(
            since=timezone.localdate() - timedelta(days=30), limit=8
        ),
    }


def _matching_categories(query, categories):
    """The categories whose name contains a word the reader typed (a site has a handful)."""
    words = [word for word in query.typed_words if len(word) >= MIN_SHORTCUT_WORD]
    return [c for c in categories if any(word in c.name.casefold() for word in words)]


def _suggestion(query, total, synonyms):
    """The reader's query with misspelt words replaced by words articles use, if it finds more."""
    typed = list(dict.fromkeys(query.typed_words))
    known = engine().known_words(typed)
    replacements = {word: known[word] for word in typed if known.get(word) not in (None, word)}
    if not replacements:
        return ""
    suggestion = re.sub(
        r"[^\W_]+",
        lambda match: replacements.get(match.group(0).casefold(), match.group(0)),
        query.text,
    )
    better = Post.objects.published().search(parse(suggestion, synonyms)).count()
    return suggestion if better > total else ""
