"""Everything the search page shows for one query, in a number of queries that never grows."""

import functools
import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.flatpages.models import FlatPage
from django.core.paginator import Page, Paginator
from django.utils import timezone

from blog import directory
from blog.models import Category, Post
from pagecache import per_generation

from .engines import engine
from .models import DailySearch, Recommendation, Synonym
from .query import ParsedQuery, parse

RESULTS_PER_PAGE = 10
# With fewer results than this, a spelling suggestion and articles matching some of the words
# are looked for.
FEW_RESULTS = 3
# A corrected spelling is searched at once when the query as typed finds nothing, or when the
# correction finds this many times more.
FAR_MORE = 3
PARTIAL_RESULTS = 10
MIN_SHORTCUT_WORD = 3
# Far past any real page; offsets stay small numbers for the database.
MAX_PAGE = 100_000
INSTANT_RESULTS = 5
# What an instant result shows: its title and topic, linked.
INSTANT_FIELDS = ["pk", "title", "slug", "category_id", "published_at"]


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
    # The query as the reader typed it, when the results are for its corrected spelling.
    corrected_from: ParsedQuery | None = None
    # Articles matching some of the words, after those matching all (first page only).
    partial: list = field(default_factory=list)

    @property
    def posts(self):
        """The articles of this page of results, in the order they are shown."""
        return [*self.recommended, *(self.page or []), *self.partial]

    @property
    def shown_query(self):
        """The text of the query whose results are shown."""
        return self.query.text

    @property
    def typed_query(self):
        return self.corrected_from or self.query

    @property
    def fallback(self):
        """How the results fell back from the query as typed: "corrected", "partial" or ""."""
        if self.corrected_from:
            return DailySearch.Fallback.CORRECTED
        return DailySearch.Fallback.PARTIAL if self.partial else DailySearch.Fallback.NONE


def search_site(text, *, category_slug="", page_number=1, site_id, literal=False):
    """
    Search published posts and static pages for the reader's text, as query.clean() leaves
    it. Raises django.core.paginator.InvalidPage for a page number that is not a page of the
    results. A query that finds few articles is searched with its spelling corrected (unless
    literal) and widened by articles that match some of its words.
    """
    # Every search needs them and editors rarely change them: kept until content changes.
    synonyms = per_generation("synonyms", Synonym.objects.groups)
    query = per_generation(("parsed query", text), lambda: parse(text, synonyms))
    if query.is_empty:
        return SearchResults(query=query)
    number = _page_number(page_number)
    categories = directory.categories()
    results = _search_posts(query, category_slug, number, categories)
    if results.total < FEW_RESULTS and not literal:
        with engine(Post.objects.db).planner_hints():
            suggestion = _suggestion(query, synonyms)
        if suggestion:
            parsed = per_generation(
                ("parsed query", suggestion), lambda: parse(suggestion, synonyms)
            )
            corrected = _search_posts(parsed, category_slug, number, categories)
            if corrected.total >= max(1, results.total * FAR_MORE):
                results, corrected.corrected_from = corrected, query
            elif corrected.total > results.total:
                results.suggestion = suggestion
    if number == 1 and results.total < FEW_RESULTS and len(results.query.positive) > 1:
        results.partial = _partial_matches(results)
    results.pages = list(engine(FlatPage.objects.db).pages(results.query, site_id))
    results.shortcuts = _matching_categories(results.typed_query, categories)
    return results


@dataclass
class InstantResults:
    query: ParsedQuery
    posts: list
    # The query as the reader typed it, when the posts are for its corrected spelling.
    corrected_from: ParsedQuery | None = None


def instant_results(text):
    """
    The best few articles for what the reader has typed so far (as query.clean() leaves it),
    as the search page ranks them (editors' recommendations first), for its corrected
    spelling when the words as typed match nothing. Nothing else the page shows (counts,
    snippets, partial matches, pages) and nothing recorded: the header's search dialog asks
    at every pause in typing.
    """
    synonyms = per_generation("synonyms", Synonym.objects.groups)
    query = per_generation(("parsed query", text), lambda: parse(text, synonyms))
    results = InstantResults(query=query, posts=_best(query))
    if results.posts or query.is_empty:
        return results
    # Typing a word, the reader pauses halfway through it: "sciat" is "sciatica" begun.
    completed = _completed(query.text)
    if completed:
        parsed = per_generation(("parsed query", completed), lambda: parse(completed, synonyms))
        posts = _best(parsed)
        if posts:
            return InstantResults(query=parsed, posts=posts)
    with engine(Post.objects.db).planner_hints():
        suggestion = _suggestion(query, synonyms)
    if suggestion:
        parsed = per_generation(("parsed query", suggestion), lambda: parse(suggestion, synonyms))
        posts = _best(parsed)
        if posts:
            results = InstantResults(query=parsed, posts=posts, corrected_from=query)
    return results


def _completed(text):
    """The text with its last word completed to the word most articles use, or ""."""
    last = re.search(r"(?<![\w-])[^\W_]+$", text)
    if not last:
        return ""
    word = last.group(0).casefold()
    completion = engine().completion(word)
    if completion in (None, word):
        return ""
    return text[: last.start()] + completion


def _best(query):
    if query.is_empty:
        return []
    public = Post.objects.published()
    recommended = []
    if query.normalised in per_generation("recommended_queries", Recommendation.objects.queries):
        recommended = list(
            public.filter(recommendations__query=query.normalised)
            .only(*INSTANT_FIELDS)
            .order_by("recommendations__position")[:INSTANT_RESULTS]
        )
    candidates = public.exclude(pk__in=[post.pk for post in recommended])
    found = engine(candidates.db).best(
        candidates, query, INSTANT_FIELDS, limit=INSTANT_RESULTS - len(recommended)
    )
    topics = {category.pk: category for category in directory.categories()}
    posts = [*recommended, *found]
    for post in posts:
        post.category = topics.get(post.category_id) or post.category
    return posts


def _partial_matches(results):
    shown = [post.pk for post in results.posts]
    candidates = Post.objects.published().exclude(pk__in=shown)
    if results.category:
        candidates = candidates.filter(category=results.category)
    found = engine(candidates.db).partial_matches(candidates, results.query, PARTIAL_RESULTS)
    return [directory.attach(post) for post in found]


def _page_number(value):
    """The page number asked for, checked as far as it can be before the count is known."""
    return Paginator(range(MAX_PAGE * RESULTS_PER_PAGE), RESULTS_PER_PAGE).validate_number(value)


def _search_posts(query, category_slug, number, categories):
    results = SearchResults(query=query)
    public = Post.objects.published()
    recommended = []
    if query.normalised in per_generation("recommended_queries", Recommendation.objects.queries):
        recommended = [
            directory.attach(post)
            for post in public.filter(recommendations__query=query.normalised)
            .defer("body")
            .order_by("recommendations__position")
        ]
    candidates = public.exclude(pk__in=[post.pk for post in recommended])
    category = next((c for c in categories if c.slug == category_slug), None)
    page_of = functools.partial(
        engine(candidates.db).results_page,
        candidates,
        query,
        offset=(number - 1) * RESULTS_PER_PAGE,
        limit=RESULTS_PER_PAGE,
    )
    # One query gives the counts for the category filter, the total and the page.
    counts, posts = page_of(category_id=getattr(category, "pk", None))
    if category and category.pk not in counts:
        # Nothing matches in that topic (an old link): all topics are shown instead.
        category = None
        counts, posts = page_of(category_id=None)
    results.facets = [(c, counts[c.pk]) for c in categories if c.pk in counts]
    results.category = category
    if category:
        recommended = [post for post in recommended if post.category_id == category.pk]
    matching = counts[category.pk] if category else sum(counts.values())
    # The paginator needs only the count: the page's posts are already here.
    paginator = Paginator(range(matching), RESULTS_PER_PAGE)
    paginator.validate_number(number)
    results.page = Page([directory.attach(post) for post in posts], number, paginator)
    results.recommended = recommended if number == 1 else []
    results.total = paginator.count + len(results.recommended)
    return results


def starting_points():
    """What the search page offers before anything is typed: topics and popular searches."""
    return {
        "topics": Category.objects.with_public_posts(),
        "popular_searches": DailySearch.objects.filter(results__gt=0).top(
            since=timezone.localdate() - timedelta(days=30), limit=8
        ),
    }


def _matching_categories(query, categories):
    """The categories whose name contains a word the reader typed (a site has a handful)."""
    words = [word for word in query.typed_words if len(word) >= MIN_SHORTCUT_WORD]
    return [c for c in categories if any(word in c.name.casefold() for word in words)]


def _suggestion(query, synonyms):
    """
    The reader's query with misspelt words replaced by words articles use, or "". Words of
    synonyms are terms editors know, never corrected ("tech neck" is not "teach neck").
    """
    terms = {word for group in synonyms for phrase in group for word in phrase}
    typed = [word for word in dict.fromkeys(query.typed_words) if word not in terms]
    known = engine().known_words(typed)
    replacements = {word: known[word] for word in typed if known.get(word) not in (None, word)}
    if not replacements:
        return ""
    return re.sub(
        r"[^\W_]+",
        lambda match: replacements.get(match.group(0).casefold(), match.group(0)),
        query.text,
    )
