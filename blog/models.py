import math
from datetime import timedelta

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.managers import TaggableManager

from .html import sanitize_html

WORDS_PER_MINUTE = 230

# Top-level paths that a post slug may not take, because post URLs are /<slug>/.
RESERVED_SLUGS = frozenset(
    {
        "admin", "articles", "category", "tag", "feed", "search", "newsletter", "media",
        "static", "sitemap.xml", "robots.txt", "ckeditor", "preview", "about", "contact",
        "privacy-policy", "medical-disclaimer", "author", "page", "wp-admin", "wp-content",
    }
)  # fmt: skip


def validate_post_slug(value):
    if value in RESERVED_SLUGS or value == settings.ADMIN_URL.split("/")[0]:
        raise ValidationError(f"“{value}” is used by another part of the site; choose another.")


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Used in the address, e.g. /category/neck-pain/. Letters, numbers and hyphens.",
    )
    description = models.TextField(
        blank=True, help_text="A sentence or two shown on the category page and in search results."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers come first in the navigation."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:category_detail", args=[self.slug])


class PostQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published posts whose publication time has come."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Post.Status.DRAFT)

    def for_cards(self):
        """Everything a list of post cards shows, in a constant number of queries."""
        return self.select_related("author", "category").prefetch_related("tags")

    def related_to(self, post, limit=3):
        """Public posts sharing the post's category or tags, most shared tags first."""
        tag_ids = list(post.tags.values_list("pk", flat=True))
        return (
            self.published()
            .exclude(pk=post.pk)
            .filter(Q(category_id=post.category_id) | Q(tags__in=tag_ids))
            .annotate(shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True))
            .order_by("-shared_tags", "-published_at")
            .distinct()[:limit]
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        validators=[validate_post_slug],
        help_text="The article's address, e.g. /neck-stretches/. Filled in from the title.",
    )
    excerpt = models.TextField(
        blank=True,
        help_text="One or two sentences shown in lists, feeds and the newsletter.",
    )
    body = RichTextUploadingField(help_text="The article. Use headings for its sections.")
    featured_image = models.ImageField(
        upload_to="posts/%Y/%m/",
        blank=True,
        width_field="featured_image_width",
        height_field="featured_image_height",
        help_text="Shown at the top of the article and in lists. Landscape, at least 1200 px wide.",
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
        help_text="The section the article belongs to.",
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
        help_text="Optional summary for search engines; the excerpt is used when empty.",
    )
    is_featured = models.BooleanField(
        "featured", default=False, help_text="Featured posts lead the home page."
    )
    word_count = models.PositiveIntegerField(default=0, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_post", "Can publish and schedule posts")]
        indexes = [
            models.Index(fields=["status", "published_at"], name="post_status_published_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        self.body = sanitize_html(self.body)
        self.word_count = len(strip_tags(self.body).split())
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:post_detail", args=[self.slug])

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the featured image for screen-reader users."}
            )

    def _unique_slug(self):
        base = slugify(self.title)[:190] or "post"
        slug, n = base, 2
        while slug in RESERVED_SLUGS or Post.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_published

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
    def description(self):
        return self.meta_description or self.excerpt or strip_tags(self.body)[:160]

    @property
    def was_updated(self):
        """True when the post changed meaningfully (over a day) after it went public."""
        return bool(self.published_at and self.updated_at - self.published_at > timedelta(days=1))
