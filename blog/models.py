import calendar
import math
import re
from datetime import datetime, time, timedelta

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Count, Exists, F, Max, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from pagecache import ContentQuerySet
from pagecache.reversing import reverse_cached

from . import media_library, redirects, renditions
from .body_images import describe_library_images
from .html import plain_text, sanitize_html
from .images import clean_image
from .media_library import FEATURED_MIN_WIDTH, LibraryImage

WORDS_PER_MINUTE = 230
DESCRIPTION_LENGTH = 160
# What an article page shows of the posts published just before and after it.
NEIGHBOUR_FIELDS = ("title", "slug")
# How long before a review falls due editors start seeing it in their to-do list and reminders.
REVIEW_NOTICE = timedelta(days=30)
# "Reviewed, no change" brings due dates forward by up to this many weeks (see review_due_after).
REVIEW_SPREAD_WEEKS = 12

# Top-level paths that a post slug may not take, because post URLs are /<slug>/.
RESERVED_SLUGS = frozenset(
    {
        "admin", "articles", "category", "tag", "feed", "search", "newsletter", "media",
        "static", "sitemap.xml", "robots.txt", "ckeditor", "preview", "about", "contact",
        "privacy-policy", "medical-disclaimer", "author", "reviewer", "page", "wp-admin",
        "wp-content",
    }
)  # fmt: skip


def validate_post_slug(value):
    if value in RESERVED_SLUGS or value == settings.ADMIN_URL.split("/")[0]:
        raise ValidationError(f"“{value}” is used by another part of the site; choose another.")


def lines_of(text):
    """The non-empty lines of text an editor typed one item per line, without list bullets."""
    lines = (re.sub(r"^\s*(?:[-*•–](?:\s+|$))?", "", line).strip() for line in text.splitlines())
    return [line for line in lines if line]


KEY_POINTS_MIN, KEY_POINTS_MAX, KEY_POINT_LENGTH = 3, 6, 140


def validate_key_points(value):
    points = lines_of(value)
    if points and not KEY_POINTS_MIN <= len(points) <= KEY_POINTS_MAX:
        raise ValidationError(
            f"Write {KEY_POINTS_MIN} to {KEY_POINTS_MAX} key points, one per line; "
            f"there are {len(points)}."
        )
    long = [point for point in points if len(point) > KEY_POINT_LENGTH]
    if long:
        start = Truncator(long[0]).chars(40)
        raise ValidationError(
            f"Keep each key point to {KEY_POINT_LENGTH} characters; “{start}” has {len(long[0])}."
        )


def is_public(through=""):
    """
    The published() rule as a Q object, for filtering across a relation: is_public("posts__")
    keeps only a category's public posts.
    """
    return Q(
        **{
            f"{through}status": Post.Status.RELEASED,
            f"{through}published_at__lte": timezone.now(),
        }
    )


class CategoryQuerySet(ContentQuerySet):
    def with_public_posts(self):
        """Categories that have public posts, with their number and latest change, in the
        site's order (which Django leaves out of a grouped query)."""
        # One subquery per relation and category: joining both relations multiplied each
        # category's main posts by its other posts before counting.
        main = Post.objects.published().filter(category=OuterRef("pk")).values("category")
        other = Post.objects.published().filter(other_categories=OuterRef("pk"))
        other = other.values("other_categories")

        def per_category(posts, aggregate):
            return Subquery(posts.order_by().annotate(value=aggregate).values("value"))

        newest_main = per_category(main, Max("updated_at"))
        newest_other = per_category(other, Max("updated_at"))
        return (
            self.annotate(
                post_count=Coalesce(per_category(main, Count("pk")), 0)
                + Coalesce(per_category(other, Count("pk")), 0),
                lastmod=Greatest(
                    Coalesce(newest_main, newest_other), Coalesce(newest_other, newest_main)
                ),
            )
            .filter(post_count__gt=0)
            .order_by(*Category._meta.ordering)
        )


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        help_text="Used in the address, e.g. /category/neck-pain/. Letters, numbers and hyphens.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="Optional: the broader category this one belongs to.",
    )
    description = models.TextField(
        blank=True, help_text="A sentence or two shown on the category page and in search results."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the navigation."
    )
    needs_care_advice = models.BooleanField(
        "condition or symptom category",
        default=False,
        help_text="Tick for categories about a condition or symptom (sciatica, neck pain): the "
        "checklist then asks every article in it for a “When to get help” card.",
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        loaded_slug = getattr(self, "_loaded_slug", None)
        if loaded_slug and loaded_slug != self.slug:
            # The category page and its feed both keep their old addresses.
            for name in ("blog:category_detail", "blog:category_feed"):
                redirects.record_move(
                    reverse(name, args=[loaded_slug]), reverse(name, args=[self.slug])
                )
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        return reverse_cached("blog:category_detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        category = super().from_db(db, field_names, values)
        category._loaded_slug = category.__dict__.get("slug")
        return category


class SearchIndexField(SearchVectorField):
    """
    A column of the search index (a tsvector on PostgreSQL, always empty on SQLite, whose
    index is a table of its own), kept by the search app's database triggers. Python never
    reads one, the engines use it in SQL: a SELECT leaves it out (NULL in its place), however
    the post is read (querysets, select_related, related objects, values()), because it is by
    far the largest part of the row; a save writes NULL, which the triggers replace.
    """

    def __init__(self, **kwargs):
        kwargs.update(null=True, editable=False, serialize=False)
        super().__init__(**kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "editable", "serialize"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def select_format(self, compiler, sql, params):
        return "NULL", []


class PostQuerySet(ContentQuerySet):
    def published(self):
        """What the public may see: published posts whose publication time has come."""
        return self.filter(is_public())

    def scheduled(self):
        return self.filter(status=Post.Status.RELEASED, published_at__gt=timezone.now())

    def next_change(self):
        """
        When public pages next change without any save (None: nothing is ahead): the next
        scheduled post goes live, or a public article's review date passes and its page says
        the review is due (at the start of the day after that date). Two small queries, each
        read from an index: one aggregate with both filters read every row.
        """
        publication = self.scheduled().aggregate(next=Min("published_at"))["next"]
        review_due = self.filter(is_public(), next_review_on__gte=timezone.localdate()).aggregate(
            next=Min("next_review_on")
        )["next"]
        times = [publication]
        if review_due is not None:
            day_after = datetime.combine(review_due + timedelta(days=1), time.min)
            times.append(timezone.make_aware(day_after))
        return min(filter(None, times), default=None)

    def drafts(self):
        return self.filter(status=Post.Status.DRAFT)

    def awaiting_review(self):
        """Drafts an author submitted for review that no editor has decided on yet."""
        return self.filter(review_requests__state="awaiting")

    def in_category(self, category):
        """The posts the category lists: those it is the main category of, and those it is
        one of the other categories of."""
        listed_also = Post.other_categories.through.objects.filter(category=category)
        return self.filter(Q(category=category) | Q(pk__in=listed_also.values("post_id")))

    def tagged(self, tag):
        """The posts with the tag. EXISTS lets the database walk the newest posts and stop at
        a page's worth: filtering through the join made PostgreSQL read every post and every
        tagging to sort them (350 ms for a page of a tag on 7,700 of 100,000 posts; 7 ms)."""
        taggings = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Post), object_id=OuterRef("pk"), tag=tag
        )
        return self.filter(Exists(taggings))

    def for_cards(self):
        """Everything a list of post cards shows, in one query: not the body, not the tags."""
        return self.select_related("author", "category").defer("body")

    def home_page(self, latest):
        """
        The home page's posts: (the newest featured post, else the newest post; the `latest`
        newest after it). Two queries that each read a few rows: the featured post through its
        partial index (filtering the newest posts for a featured one read every row when none
        was), then the newest ones in publication order.
        """
        featured = self.filter(is_featured=True).first()
        newest = list(self[: latest + 1])
        if featured is None:
            return (newest[0] if newest else None), newest[1:]
        return featured, [post for post in newest if post.pk != featured.pk][:latest]

    def last_changed(self):
        """When a public post last changed (None without any), read from the newest end of an
        index of changes rather than by aggregating every post."""
        latest = self.published().order_by("-updated_at").values_list("updated_at", flat=True)
        return latest.first()

    def delete(self):
        """Delete post by post, so each cleans up its images (see Post.delete)."""
        deleted = 0
        for post in self:
            deleted += post.delete()[0]
        return deleted, {Post._meta.label: deleted}

    def related_ids(self, post, tags=None, limit=3):
        """
        The ids of up to `limit` public posts related to the post, best first: those sharing
        most of its tags, newest first, topped up from its category when too few share a tag.
        Pass the post's tags if you have them, to save a query.
        """
        tags = post.tags.all() if tags is None else tags
        public = self.published().exclude(pk=post.pk).order_by()
        # Found through the tags' own index, so only posts sharing a tag are ever grouped.
        ranked = list(
            public.filter(tags__in=[tag.pk for tag in tags])
            .values_list("pk", flat=True)
            .annotate(shared_tags=Count("tags"))
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )
        if len(ranked) < limit:
            ranked += (
                public.filter(category_id=post.category_id)
                .exclude(pk__in=ranked)
                .values_list("pk", flat=True)
                .order_by("-published_at", "-pk")[: limit - len(ranked)]
            )
        return ranked

    def related_to(self, post, tags=None, limit=3):
        """The posts of related_ids(), in that order."""
        return self.in_order(self.related_ids(post, tags, limit))

    def in_order(self, pks):
        """The posts with these primary keys, in the order given."""
        position = Case(*(When(pk=pk, then=index) for index, pk in enumerate(pks)))
        return self.filter(pk__in=pks).order_by(position) if pks else self.none()

    def neighbours(self, post):
        """The public posts published just before and after the post: (previous, next) or None."""
        public = self.published().only(*NEIGHBOUR_FIELDS)
        return (
            public.filter(published_at__lt=post.published_at).order_by("-published_at").first(),
            public.filter(published_at__gt=post.published_at).order_by("published_at").first(),
        )

    def review_overdue(self):
        """
        Public posts past their next review date. A public health article that nobody has
        medically reviewed counts as overdue too.
        """
        today = timezone.localdate()
        return self.published().filter(Q(next_review_on__lt=today) | Q(next_review_on=None))

    def review_queue(self, within=REVIEW_NOTICE):
        """
        What editors should review first: public posts due within `within`, or that readers
        found unhelpful and said why since the last review. Those complaints come first, most
        first, then the longest overdue. Each row carries helpful_count, unhelpful_count and
        complaint_count (complaints since the last review).
        """
        soon = timezone.localdate() + within
        since_review = Q(feedback__created_at__date__gte=F("last_reviewed")) | Q(last_reviewed=None)
        complaint = Q(feedback__helpful=False) & ~Q(feedback__comment="") & since_review
        return (
            self.published()
            .annotate(
                helpful_count=Count("feedback", filter=Q(feedback__helpful=True)),
                unhelpful_count=Count("feedback", filter=Q(feedback__helpful=False)),
                complaint_count=Count("feedback", filter=complaint),
            )
            .filter(Q(next_review_on__lte=soon) | Q(next_review_on=None) | Q(complaint_count__gt=0))
            .order_by(
                F("complaint_count").desc(), F("next_review_on").asc(nulls_first=True), "title"
            )
        )

    def review_due(self, within=REVIEW_NOTICE):
        """The editors' review to-do list: overdue public posts and those due `within` from now."""
        soon = timezone.localdate() + within
        return (
            self.published()
            .filter(Q(next_review_on__lte=soon) | Q(next_review_on=None))
            .order_by(F("next_review_on").asc(nulls_first=True), "title")
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        # Released by an editor: scheduled until published_at, public from then on, which is
        # what published() means. Editors know the choice as "Published".
        RELEASED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        validators=[validate_post_slug],
        help_text="The article's address, e.g. /neck-stretches/. Filled in from the title.",
    )
    excerpt = models.TextField(
        blank=True,
        help_text="One or two sentences shown in lists, feeds and the newsletter.",
    )
    key_points = models.TextField(
        blank=True,
        validators=[validate_key_points],
        help_text=f"{KEY_POINTS_MIN} to {KEY_POINTS_MAX} short sentences, one per line (up to "
        f"{KEY_POINT_LENGTH} characters each), shown first in a “Key points” box. Also the "
        "newsletter's teaser, and the search-engine description when there is no meta description.",
    )
    body = RichTextUploadingField(help_text="The article. Use headings for its sections.")
    featured_image = models.ImageField(
        upload_to="posts/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        help_text="Shown at the top of the article and in lists. Landscape, at least "
        f"{FEATURED_MIN_WIDTH} px wide. A new upload joins the media library.",
    )
    featured_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    featured_image_alt = models.CharField(
        "featured image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture for readers who cannot see it. Required with an image.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text="The section the article belongs to: it names the article's address and trail.",
    )
    other_categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="other_posts",
        help_text="Other sections that also list the article (a WordPress post in several "
        "categories keeps them all here).",
    )
    tags = TaggableManager(blank=True, help_text="Topics, separated by commas.")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are never public. Published posts appear at their publication time.",
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Leave empty to publish now; a future time schedules the post.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    seo_title = models.CharField(
        "SEO title",
        max_length=70,
        blank=True,
        help_text="Optional title for search engines (up to 60 characters display in full).",
    )
    meta_description = models.CharField(
        max_length=160,
        blank=True,
        help_text="Optional summary for search engines; the key points, or else the excerpt, "
        "are used when empty.",
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured posts lead the home page."
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)
    wordpress_id = models.PositiveBigIntegerField(
        "WordPress id",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The post's id on the old WordPress site, so a second import updates it.",
    )
    reviewed_by = models.ForeignKey(
        "people.Reviewer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_posts",
        verbose_name="medically reviewed by",
        help_text="The clinician who checked this article for medical accuracy.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="The day the reviewer last checked the article. Change it after each review.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "review every (months)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="How often the article must be medically reviewed again.",
    )
    # Derived in save() so "due for review" is a plain indexed date comparison in SQL.
    next_review_on = models.DateField(
        "next review",
        null=True,
        editable=False,
        help_text="One interval after the last review. “Reviewed, no change” in the list of "
        "posts brings it forward by 0 to 12 weeks (at most a quarter of the interval), a fixed "
        "amount for each article (its id), so articles reviewed together fall due in different "
        "weeks.",
    )

    # What the site search matches (title A, excerpt B, category and tag names C, body D, and
    # word pairs for phrases) and the same without the body, which ranks (search/engines/
    # postgres.py). PostgreSQL only: created and kept by search/migrations/0003 and later.
    search_document = SearchIndexField()
    search_head = SearchIndexField()

    objects = PostQuerySet.as_manager()
    # One revision per save: who, when, and every field. Images are not versioned (a replaced
    # image's files are deleted), nor are values derived on save.
    history = HistoricalRecords(
        excluded_fields=[
            "featured_image", "featured_image_width", "featured_image_height", "word_count",
            "updated_at", "search_document", "search_head",
        ]
    )  # fmt: skip

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [
            ("publish_post", "Can publish and schedule posts"),
            ("record_review", "Can record a medical review with no change to the article"),
        ]
        indexes = [
            # With the category, this answers "how many public posts per category" (the search
            # page's topic counts) from the index alone, without reading posts' rows.
            models.Index(
                fields=["status", "published_at", "category"], name="post_public_category_idx"
            ),
            models.Index(fields=["next_review_on"], name="post_next_review_idx"),
            # The home page's lead: the newest featured post, found without reading the rest.
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=Q(is_featured=True),
                name="post_featured_idx",
            ),
            # The sitemap's lastmod and feeds' updated date: the latest change of a public post.
            models.Index(fields=["-updated_at"], name="post_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.featured_image and not self.featured_image._committed:
            self.featured_image = clean_image(self.featured_image.file)
            media_library.reuse_same_image(self)
        if not self.slug:
            self.slug = self._unique_slug()
        self.body = sanitize_html(self.body)
        self.word_count = len(plain_text(self.body).split())
        if self.status == self.Status.RELEASED and self.published_at is None:
            self.published_at = timezone.now()
        # Only when the review changed: an edit keeps a due date "reviewed, no change" spread out.
        if (self.last_reviewed, self.review_interval_months) != getattr(self, "_loaded_review", ()):
            self.next_review_on = self.last_reviewed and add_months(
                self.last_reviewed, self.review_interval_months
            )
        super().save(*args, **kwargs)
        self._loaded_review = (self.last_reviewed, self.review_interval_months)
        self._update_image_files()
        describe_library_images(self.body)
        self._update_redirects()

    def get_absolute_url(self):
        return reverse_cached("blog:post_detail", self.slug)

    def delete(self, *args, redirect_to="", **kwargs):
        """Delete the post; its public address answers 410 Gone, or redirects to redirect_to."""
        image, path, was_public = (
            self.featured_image.name,
            self.get_absolute_url(),
            self.is_published,
        )
        result = super().delete(*args, **kwargs)
        if was_public:
            redirects.record_move(path, redirect_to)
        if image:
            self._delete_image_on_commit(image)
        return result

    def duplicate(self, author=None):
        """Save and return a new draft with this post's words (care cards too), image, category
        and tags."""
        copy = Post.objects.get(pk=self.pk)
        copy.pk = copy.wordpress_id = copy.published_at = None
        copy._state.adding = True
        copy.slug = ""  # save() makes a unique one from the title.
        copy.title = f"{self.title} (copy)"[:200]
        copy.status, copy.is_featured = Post.Status.DRAFT, False
        copy.author = author or self.author
        # The copy shares the image file; files are deleted only when no post uses them.
        copy._loaded_image = copy.featured_image.name
        copy.save()
        copy.tags.set(self.tags.all())
        CareCard.objects.bulk_create(
            CareCard(post=copy, level=card.level, heading=card.heading, items=card.items)
            for card in self.care_cards.all()
        )
        return copy

    @classmethod
    def from_db(cls, db, field_names, values):
        post = super().from_db(db, field_names, values)
        # Remember what was loaded, so save() can tell when the image changed. By now the
        # ImageField has wrapped the stored name in a file object; keep the name only, as
        # assigning a new image leaves that object behind with the old name.
        image = post.__dict__.get("featured_image")
        post._loaded_image = getattr(image, "name", image)
        post._loaded_slug = post.__dict__.get("slug")
        post._loaded_review = (
            post.__dict__.get("last_reviewed"),
            post.__dict__.get("review_interval_months"),
        )
        post._loaded_public = (
            "status" in post.__dict__ and "published_at" in post.__dict__ and post.is_published
        )
        return post

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the featured image for screen-reader users."}
            )
        if bool(self.reviewed_by_id) != bool(self.last_reviewed):
            raise ValidationError(
                {"last_reviewed": "Give both the reviewer and the review date, or neither."}
            )
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            raise ValidationError({"last_reviewed": "A review date cannot be in the future."})

    def _update_image_files(self):
        """Make renditions of a new featured image and delete the files of the one it replaced."""
        previous = getattr(self, "_loaded_image", None) or ""
        current = self.featured_image.name or ""
        if current != previous:
            if current:
                media_library.add_featured_image(self)  # With its renditions.
            if previous:
                self._delete_image_on_commit(previous)
        self._loaded_image = current

    def _update_redirects(self):
        """A public post that changes its slug keeps its old address working."""
        loaded_slug = getattr(self, "_loaded_slug", None)
        loaded_public = getattr(self, "_loaded_public", False)
        if loaded_public and loaded_slug != self.slug:
            old_path = reverse("blog:post_detail", args=[loaded_slug])
            redirects.record_move(old_path, self.get_absolute_url())
        elif self.is_published and not loaded_public:
            redirects.mark_live(self.get_absolute_url())
        self._loaded_slug, self._loaded_public = self.slug, self.is_published

    @staticmethod
    def _delete_image_on_commit(name):
        # Only once the change is committed: a rolled-back save must still find its image.
        def delete():
            # Images in the media library stay until an editor deletes them there.
            in_use = Post.objects.filter(featured_image=name).exists()
            if not in_use and not LibraryImage.objects.filter(file=name).exists():
                renditions.delete_image(name)

        transaction.on_commit(delete)

    def _unique_slug(self):
        base = slugify(self.title, allow_unicode=True)[:190] or "post"
        slug, n = base, 2
        while slug in RESERVED_SLUGS or Post.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_published(self):
        return (
            self.status == self.Status.RELEASED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.RELEASED and not self.is_published

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    @property
    def author_name(self):
        return self.author.get_full_name() or self.author.get_username()

    @property
    def display_title(self):
        return self.seo_title or self.title

    @property
    def key_point_list(self):
        return lines_of(self.key_points)

    @property
    def summary(self):
        """What search engines are offered: the meta description, else the key points run
        together (as many as fit), else the excerpt; empty when the editor wrote none of them."""
        if self.meta_description:
            return self.meta_description
        if points := self.key_point_list:
            # As many whole points as fit: a sentence cut off mid-way reads badly in results.
            summary = ""
            for point in points:
                sentence = point if point[-1] in ".!?" else f"{point}."
                if summary and len(summary) + 1 + len(sentence) > DESCRIPTION_LENGTH:
                    break
                summary = f"{summary} {sentence}".strip()
            return Truncator(summary).chars(DESCRIPTION_LENGTH)
        return self.excerpt

    @property
    def description(self):
        return self.summary or plain_text(self.body)[:DESCRIPTION_LENGTH]

    @property
    def featured_picture(self):
        """The featured image with its renditions, for blog/includes/picture.html; None without."""
        if not (self.featured_image and self.featured_image_width):
            return None
        return renditions.Picture(
            self.featured_image.name, self.featured_image_width, self.featured_image_height
        )

    @property
    def author_profile(self):
        """The author's public profile, or None. Select "author__author_profile" to save a query."""
        try:
            return self.author.author_profile
        except ObjectDoesNotExist:
            return None

    @property
    def last_updated(self):
        return max(filter(None, [self.published_at, self.updated_at]))

    def review_due_after(self, reviewed_on):
        """
        When a review on `reviewed_on` recorded in bulk falls due: one interval later, brought
        forward by post id modulo (spread + 1) weeks, where the spread is a quarter of the
        interval in weeks, at most REVIEW_SPREAD_WEEKS. Never later than the interval, and the
        same for the same article each time, so the articles of one review session fall due
        over the interval's last weeks instead of in one week.
        """
        spread = min(REVIEW_SPREAD_WEEKS, self.review_interval_months * 13 // 12)
        early = timedelta(weeks=self.pk % (spread + 1))
        return add_months(reviewed_on, self.review_interval_months) - early

    def first_review_due(self, today):
        """
        When an article that arrived unreviewed (imported from WordPress) is due for its first
        review: within the next REVIEW_SPREAD_WEEKS, by post id modulo, so that an import of
        hundreds joins the review queue a few a week instead of all at once.
        """
        return today + timedelta(weeks=self.pk % (REVIEW_SPREAD_WEEKS + 1))

    @property
    def review_is_late(self):
        """Reviewed once, but past its next review date: the page says so."""
        return bool(self.next_review_on) and self.next_review_on < timezone.localdate()

    @property
    def is_review_overdue(self):
        return self.next_review_on is None or self.next_review_on < timezone.localdate()

    def tag_list(self):
        """The post's tags in the order they were given, in one plain join (post.tags.all()
        also joins the content types and removes duplicates that cannot occur)."""
        return list(
            Tag.objects.filter(
                taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Post),
                taggit_taggeditem_items__object_id=self.pk,
            ).order_by("taggit_taggeditem_items__id")
        )


def preview_link_expiry():
    return timezone.now() + timedelta(days=7)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open their post: not revoked and not expired."""
        return self.filter(revoked=False, expires_at__gt=timezone.now())

    def from_token(self, token):
        """The link a signed token names, or None for a forged or mangled token."""
        try:
            pk = PreviewLink.signer().unsign_object(token)
        except signing.BadSignature:
            return None
        return self.filter(pk=pk).first()


class PreviewLink(models.Model):
    """A signed address that shows one unpublished post to someone without an account."""

    TOKEN_SALT = "blog.preview-link"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="preview_links")
    shared_with = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who gets the link, for your records, e.g. “Dr Sam Patel, physiotherapist”.",
    )
    expires_at = models.DateTimeField(
        "expires",
        default=preview_link_expiry,
        help_text="After this time the link shows “not found”. A week unless you change it.",
    )
    revoked = models.BooleanField(
        default=False, help_text="Tick to switch the link off now, before it expires."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of “{self.post}”"

    def get_absolute_url(self):
        # The signature, not the id, is the secret: ids are guessable, signatures are not.
        return reverse("blog:post_preview", args=[self.signer().sign_object(self.pk)])

    @classmethod
    def signer(cls):
        # No timestamp in the signature: the link's address stays the same while the row's
        # expires_at and revoked decide whether it works.
        return signing.Signer(salt=cls.TOKEN_SALT)

    @property
    def is_active(self):
        return not self.revoked and self.expires_at > timezone.now()


def validate_doi(value):
    if not re.fullmatch(r"10\.\d{4,9}/\S+", normalize_doi(value)):
        raise ValidationError("A DOI starts with “10.” and a number, e.g. 10.1001/jama.2016.2323.")


def validate_pmid(value):
    if not re.fullmatch(r"[1-9]\d{0,10}", normalize_pmid(value)):
        raise ValidationError("A PubMed ID is a number, e.g. 26977696.")


class Reference(models.Model):
    """A source an article relies on: listed under "Sources" and cited in the body as [n]."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(
        blank=True,
        help_text="Sources are numbered in this order, lowest first. Empty: after the others.",
    )
    title = models.CharField(max_length=300, help_text="Title of the paper, guideline or page.")
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Journal, organisation or website, e.g. “The Lancet” or “NHS”.",
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    url = models.URLField("URL", max_length=500, blank=True, help_text="Where to read it online.")
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="For journal articles, e.g. 10.1001/jama.2016.2323. Linked through doi.org.",
    )
    pmid = models.CharField(
        "PMID",
        max_length=12,
        blank=True,
        validators=[validate_pmid],
        help_text="PubMed ID, e.g. 26977696. Paste a DOI or PMID and press “Look up” to fill in "
        "the rest.",
    )
    authors = models.CharField(
        max_length=500,
        blank=True,
        help_text="As in a reference list, e.g. “Smith J, Jones A, et al.”.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.doi = normalize_doi(self.doi)
        self.pmid = normalize_pmid(self.pmid)
        if self.position is None:
            # A new source goes last, so adding one never renumbers the citations in the text.
            last = self.post.references.aggregate(last=models.Max("position"))["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def doi_url(self):
        return self.doi and f"https://doi.org/{self.doi}"

    @property
    def pubmed_url(self):
        return self.pmid and f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"

    @property
    def link(self):
        return self.url or self.doi_url or self.pubmed_url


def normalize_doi(value):
    """Editors paste DOIs as "doi:10.…" or "https://doi.org/10.…"; store the bare "10.…"."""
    return re.sub(r"^(doi:\s*|https?://(dx\.)?doi\.org/)", "", value.strip(), flags=re.I)


def normalize_pmid(value):
    """Editors paste "PMID: 123" or a pubmed.ncbi.nlm.nih.gov address; store the bare number."""
    value = value.strip()
    pubmed = r"^https?://(www\.)?(pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/"
    value = re.sub(pubmed, "", value, flags=re.I)
    return re.sub(r"^pmid:?\s*", "", value, flags=re.I).strip("/ ")


def add_months(day, months):
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


class ImportedItem(models.Model):
    """
    What one item of a WordPress export became here, so a second import finds it again, knows
    whether an editor changed it since, and old addresses (/?p=12, /?cat=3) find its new one.
    """

    class Kind(models.TextChoices):
        POST = "post", "Post"
        PAGE = "page", "Page"
        ATTACHMENT = "attachment", "Attachment"
        CATEGORY = "category", "Category"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    wordpress_id = models.PositiveBigIntegerField("WordPress id")
    # The post, flat page or category it became; none for an attachment.
    object_id = models.PositiveBigIntegerField(null=True)
    # An attachment's post or page (its WordPress id) and its image's address here, if copied.
    parent_wordpress_id = models.PositiveBigIntegerField(null=True)
    file_url = models.CharField(max_length=500, blank=True)
    # A digest of what the import wrote, to tell an editor's later changes from the import's.
    digest = models.CharField(max_length=64, blank=True)
    # Ids are only unique within one WordPress site: an item of another export with the same
    # id is the same item only if its slug or its date is the same.
    wordpress_slug = models.CharField(max_length=200, blank=True)
    wordpress_date = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "wordpress_id"], name="imported_item_idx")]

    def __str__(self):
        return f"WordPress {self.kind} {self.wordpress_id}"


class CareCard(models.Model):
    """
    "When to get help" advice on an article, after the NHS design system's care cards: one
    card per level of urgency, each a list of "if …" signs. Headings and phone numbers come
    from the site settings, so a site outside the UK changes them in one place.
    """

    class Level(models.IntegerChoices):
        # Numbered by urgency: cards show in this order, as on NHS pages.
        NON_URGENT = 1, "Non-urgent (see a GP or physiotherapist)"
        URGENT = 2, "Urgent (an urgent appointment or the urgent advice line)"
        EMERGENCY = 3, "Emergency (call the emergency number or go to A&E now)"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="care_cards")
    level = models.PositiveSmallIntegerField(
        choices=Level.choices,
        help_text="How urgently the reader must act. The site settings word each level's "
        "heading and give its phone number.",
    )
    heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="Optional: replaces the level's usual heading, e.g. “Ask for an urgent GP "
        "appointment if:”. End it with a colon.",
    )
    items = models.TextField(
        "signs",
        help_text="One per line, each completing the heading's “… if:”, e.g. “you have "
        "numbness between your legs”. Plain text: no formatting.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["level", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "level"], name="care_card_one_per_level")
        ]
        verbose_name = "“when to get help” card"
        verbose_name_plural = "“when to get help” cards"

    def __str__(self):
        return self.get_level_display()

    @property
    def item_list(self):
        return lines_of(self.items)

    @property
    def kind(self):
        """The level as a word for class names: non-urgent, urgent or emergency."""
        return self.Level(self.level).name.lower().replace("_", "-")

    @property
    def label(self):
        """What the card's heading starts with, as on NHS pages, so colour is not the only cue."""
        return CARE_LABELS[self.level]


CARE_LABELS = {
    CareCard.Level.NON_URGENT: "Non-urgent advice",
    CareCard.Level.URGENT: "Urgent advice",
    CareCard.Level.EMERGENCY: "Immediate action required",
}


class FeedbackQuerySet(models.QuerySet):
    def complaints(self):
        """ "No" answers that say why: what sends an article up the review queue."""
        return self.filter(helpful=False).exclude(comment="")


class Feedback(models.Model):
    """One reader's answer to "Was this page helpful?": no account, no cookie, no address."""

    COMMENT_LENGTH = 500

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    # Plain text as typed; shown escaped and never linked (templates/admin, blog/admin.py).
    comment = models.TextField(blank=True, max_length=COMMENT_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "reader feedback"
        indexes = [models.Index(fields=["post", "helpful"], name="feedback_post_helpful_idx")]

    def __str__(self):
        return f"{'Helpful' if self.helpful else 'Not helpful'}: {self.post}"


class CheckedLinkQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(is_broken=True)


class CheckedLink(models.Model):
    """
    One external address that published articles link to, as the weekly `check_links` found
    it. Rows for addresses no article uses any more are deleted by the next check.
    """

    url = models.URLField("address", max_length=2000, unique=True)
    posts = models.ManyToManyField(
        Post, related_name="checked_links", help_text="The articles that link to it."
    )
    is_broken = models.BooleanField("broken", default=False)
    problem = models.CharField(
        max_length=300, blank=True, help_text="What went wrong, e.g. “HTTP 404”, at the last check."
    )
    checked_at = models.DateTimeField("last checked")
    broken_since = models.DateTimeField(null=True, blank=True)

    objects = CheckedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-is_broken", "url"]
        indexes = [models.Index(fields=["is_broken", "url"], name="checkedlink_broken_idx")]

    def __str__(self):
        return self.url


class ArticleDayQuerySet(models.QuerySet):
    def top_articles(self, since, limit):
        """The posts with the most views from day `since` on, as (post_id, views) pairs."""
        return (
            self.filter(day__gte=since)
            .values("post_id")
            .annotate(total=models.Sum("views"))
            .order_by("-total", "post_id")
            .values_list("post_id", "total")[:limit]
        )


class ArticleDay(models.Model):
    """
    Readers' visits to one article on one day, as counts only: no cookie, address, browser or
    anything else about a reader is kept (blog/stats.py counts them).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    sign_ups = models.PositiveIntegerField(
        default=0, help_text="Newsletter sign-ups confirmed from a form on this article."
    )

    objects = ArticleDayQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        verbose_name = "article statistics day"
        constraints = [models.UniqueConstraint(fields=["post", "day"], name="articleday_post_day")]
        indexes = [models.Index(fields=["day"], name="articleday_day_idx")]

    def __str__(self):
        return f"{self.post} on {self.day}"


# The editors' tools keep their models in their own modules; Django finds them through here.
from .autosave import Autosave  # noqa: E402, F401
from .review import ReviewerNote, ReviewRequest  # noqa: E402, F401
from .snippets import Snippet  # noqa: E402, F401
