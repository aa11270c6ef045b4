from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.utils import timezone

from pagecache import ContentQuerySet

from .query import clean, words


class SynonymQuerySet(ContentQuerySet):
    def groups(self):
        """Every group as a tuple of phrases, each phrase a tuple of lower-case words."""
        return [synonym.phrase_words for synonym in self]


class Synonym(models.Model):
    """Words or phrases that mean the same to a reader; a search for one finds all."""

    phrases = models.TextField(
        help_text=(
            "Words or phrases that mean the same, one per line, for example “slipped disc” and "
            "“herniated disc”. A search for any of them also finds articles using the others."
        )
    )

    objects = SynonymQuerySet.as_manager()

    class Meta:
        ordering = ["phrases"]

    def __str__(self):
        return " = ".join(" ".join(words) for words in self.phrase_words)

    @property
    def phrase_words(self):
        return tuple(phrase for line in self.phrases.splitlines() if (phrase := words(line)))


class DailySearchQuerySet(models.QuerySet):
    def record(self, query, result_count, fallback=""):
        """
        Count one search for its normalised text today, with how its results fell back (the
        last time); nothing about the reader is kept.
        """
        day = timezone.localdate()
        text = query.normalised
        if not text:
            return
        counted = self.filter(query=text, day=day).update(
            searches=F("searches") + 1, results=result_count, fallback=fallback
        )
        if not counted:
            try:
                with transaction.atomic():
                    self.create(
                        query=text, day=day, searches=1, results=result_count, fallback=fallback
                    )
            except IntegrityError:  # Another request created today's row first.
                self.filter(query=text, day=day).update(searches=F("searches") + 1)

    def top(self, since, limit=20):
        return (
            self.filter(day__gte=since)
            .values("query")
            .annotate(total=Sum("searches"))
            .order_by("-total", "query")[:limit]
        )

    def top_without_results(self, since, limit=20):
        """What readers looked for and did not find: the articles to write next."""
        return self.filter(results=0).top(since, limit)

    def top_fallbacks(self, since, limit=20):
        """
        Searches answered only by a corrected spelling or by articles with some of the words:
        the synonyms to add, or the articles to write.
        """
        return (
            self.filter(results__gt=0)
            .exclude(fallback="")
            .filter(day__gte=since)
            .values("query", "fallback")
            .annotate(total=Sum("searches"))
            .order_by("-total", "query")[:limit]
        )


class DailySearch(models.Model):
    """How often a query was searched on a day, and how many results it had (the last time)."""

    class Fallback(models.TextChoices):
        NONE = "", "none"
        CORRECTED = "corrected", "spelling corrected"
        PARTIAL = "partial", "some words missing"

    query = models.CharField(max_length=200)
    day = models.DateField()
    searches = models.PositiveIntegerField(default=0)
    results = models.PositiveIntegerField(default=0)
    fallback = models.CharField(
        max_length=10,
        choices=Fallback,
        blank=True,
        default="",
        help_text="How the results fell back from the query as typed, the last time.",
    )

    objects = DailySearchQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-searches"]
        verbose_name_plural = "daily searches"
        constraints = [
            models.UniqueConstraint(fields=["query", "day"], name="daily_search_query_day_unique")
        ]

    def __str__(self):
        return f"{self.query} ({self.day})"


class RecommendationQuerySet(ContentQuerySet):
    def queries(self):
        """The (normalised) searches that have a recommended article."""
        return frozenset(self.values_list("query", flat=True))


class Recommendation(models.Model):
    """An article editors pin to the top of the results for one query."""

    query = models.CharField(
        max_length=200,
        help_text="The search, as readers type it; capitals and extra spaces do not matter.",
    )
    post = models.ForeignKey(
        "blog.Post",
        on_delete=models.CASCADE,
        related_name="recommendations",
        help_text="Shown first, labelled “Recommended”, while it is published.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="With several recommendations, lower numbers come first."
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["query", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["query", "post"], name="recommendation_unique")
        ]

    def __str__(self):
        return f"{self.query} → {self.post}"

    def save(self, *args, **kwargs):
        self.query = " ".join(clean(self.query).casefold().split())
        super().save(*args, **kwargs)


class PostIndexEntry(models.Model):
    """
    A row of the SQLite engine's FTS5 table (migration 0004), so that posts can be joined to
    it and ranked in one pass. There is no such table on PostgreSQL; nothing uses it there.
    """

    post = models.OneToOneField(
        "blog.Post",
        primary_key=True,
        db_column="post_id",
        on_delete=models.DO_NOTHING,
        related_name="sqlite_index_entry",
    )

    class Meta:
        managed = False
        db_table = "search_post_fts"

    def __str__(self):
        return f"Search index entry for post {self.pk}"
