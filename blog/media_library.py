"""
The media library: every image the site shows, stored once, with what editors know about it
(alt text or "decorative", caption, credit, licence).

An image is identified by its content: uploads are stored under a hash of their bytes
(blog/images.py), and the library keeps the full SHA-256 too, so the same photo uploaded again
(as a featured image, in the editor or from a WordPress import) finds the entry it already has.
Posts keep pointing at the stored file by its name (Post.featured_image, <img src> in bodies),
so where an image is used is found by that name, and pages need no join to show it.
"""

import hashlib

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.text import Truncator
from PIL import Image

from pagecache import ContentQuerySet

from . import renditions
from .images import clean_image

# Narrower featured images look soft on wide screens: the form says so and the checklist warns.
FEATURED_MIN_WIDTH = 1200


def content_digest(file):
    file.seek(0)
    digest = hashlib.sha256(file.read()).hexdigest()
    file.seek(0)
    return digest


class LibraryImageQuerySet(ContentQuerySet):
    def needing_attention(self):
        """Images readers or the law need more about: no alt text (and not decorative), or no
        credit."""
        return self.filter(Q(alt="", decorative=False) | Q(credit=""))

    def missing_alt(self):
        return self.filter(alt="", decorative=False)

    def missing_credit(self):
        return self.filter(credit="")

    def with_in_use(self):
        """Each image with in_use: whether a post (featured or in its body) or a page shows it."""
        Post = apps.get_model("blog", "Post")
        FlatPage = apps.get_model("flatpages", "FlatPage")
        return self.annotate(
            in_use=Exists(Post.objects.filter(featured_image=OuterRef("file")))
            | Exists(Post.objects.filter(body__contains=OuterRef("file")))
            | Exists(FlatPage.objects.filter(content__contains=OuterRef("file")))
        )

    def search(self, query):
        words = query.split()
        found = self
        for word in words:
            found = found.filter(
                Q(alt__icontains=word)
                | Q(caption__icontains=word)
                | Q(credit__icontains=word)
                | Q(title__icontains=word)
            )
        return found

    def delete(self):
        """Delete image by image, so each takes its files along (see LibraryImage.delete)."""
        deleted = 0
        for image in self:
            deleted += image.delete()[0]
        return deleted, {LibraryImage._meta.label: deleted}


class LibraryImage(models.Model):
    file = models.ImageField(
        "image",
        upload_to="library/",
        max_length=255,
        unique=True,
        width_field="width",
        height_field="height",
        help_text="A JPEG, PNG, WebP or GIF photo or drawing, at most 10 MB and 40 megapixels. "
        "Featured images should be at least 1200 px wide.",
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="For finding the image in the library; readers never see it.",
    )
    alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it, e.g. “A woman "
        "stretching her neck at her desk”. Used wherever the image is inserted without its own.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Tick only for pure decoration that adds nothing to the text: screen readers "
        "then skip it, and its alt text stays empty on purpose.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Optional line shown under the image."
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made it, named as the licence asks, e.g. “Photo: Sam Lee / Unsplash”.",
    )
    licence = models.CharField(
        max_length=200,
        blank=True,
        help_text="Under what terms we may use it, e.g. “CC BY 4.0”, “Unsplash licence”, "
        "“Bought from Shutterstock”, “Our own photo”.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = LibraryImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "library image"

    def __str__(self):
        return self.title or Truncator(self.alt).chars(60) or self.file.name.rsplit("/", 1)[-1]

    def save(self, *args, **kwargs):
        is_new_file = self.file and not self.file._committed
        if is_new_file:
            self.file = clean_image(self.file.file)
            self.digest = content_digest(self.file)
        elif not self.digest and self.file:
            with default_storage.open(self.file.name) as stored:
                self.digest = content_digest(stored)
        if self.decorative:
            self.alt = ""
        super().save(*args, **kwargs)
        if is_new_file:
            renditions.generate_renditions(self.file.name)

    def delete(self, *args, **kwargs):
        name = self.file.name
        result = super().delete(*args, **kwargs)
        # Only once the deletion is committed: a rolled-back one must still find its files.
        transaction.on_commit(lambda: renditions.delete_image(name))
        return result

    def clean(self):
        if self.decorative and self.alt.strip():
            raise ValidationError(
                {
                    "alt": "A decorative image has no alt text: clear it, or untick "
                    "“decorative” if the image tells readers something."
                }
            )

    @property
    def url(self):
        return default_storage.url(self.file.name)

    @property
    def picture(self):
        return renditions.Picture(self.file.name, self.width, self.height)

    @property
    def thumbnail_url(self):
        smallest = renditions.widths_for(self.width or renditions.WIDTHS[0])[0]
        return default_storage.url(renditions.rendition_name(self.file.name, smallest, "webp"))

    @property
    def reader_alt(self):
        """The alt text pages give the image: empty for decoration."""
        return "" if self.decorative else self.alt

    def uses(self):
        """Where the image is shown: (what, title, admin address) of each post and page."""
        Post = apps.get_model("blog", "Post")
        FlatPage = apps.get_model("flatpages", "FlatPage")
        name = self.file.name
        found = []
        posts = Post.objects.filter(Q(featured_image=name) | Q(body__contains=name)).only(
            "title", "featured_image"
        )
        for post in posts.order_by("title"):
            where = "featured image" if post.featured_image.name == name else "body"
            if where == "featured image" and name in (post.body or ""):
                where = "featured image and body"
            change = reverse("admin:blog_post_change", args=[post.pk])
            found.append((f"Post, {where}", post.title, change))
        for page in FlatPage.objects.filter(content__contains=name).only("title", "url"):
            change = reverse("admin:flatpages_flatpage_change", args=[page.pk])
            found.append(("Page", f"{page.title} ({page.url})", change))
        return found


def add_stored(name, storage=default_storage, **details):
    """
    The library entry of the stored image `name`, made if there is none: by its name, else by
    its content (returning the entry that holds the same bytes under another name). Details
    (alt, caption, credit…) fill only the fields the entry has empty. A new entry gets the
    renditions it lacks.
    """
    image = LibraryImage.objects.filter(file=name).first()
    if image is None:
        try:
            with storage.open(name) as stored:
                digest = content_digest(stored)
                with Image.open(stored) as opened:
                    width, height = opened.size
        except (OSError, ValueError, Image.DecompressionBombError):
            return None  # Missing or unreadable: nothing a page could show either.
        image = LibraryImage.objects.filter(digest=digest).first()
        if image is None:
            image = LibraryImage(file=name, digest=digest, width=width, height=height)
    is_new = image.pk is None
    changed = is_new
    for field, value in details.items():
        value = (value or "")[: LibraryImage._meta.get_field(field).max_length]
        if value and not getattr(image, field):
            setattr(image, field, value)
            changed = True
    if changed:
        image.save()
    if is_new:
        renditions.generate_renditions(image.file.name, storage=storage, only_missing=True)
    return image


def add_upload(upload, user=None):
    """
    The library entry for an uploaded image (checked already with validate_image): an existing
    one when the library holds the same image, else a new one with its renditions.
    """
    cleaned = clean_image(upload)
    existing = LibraryImage.objects.filter(digest=content_digest(cleaned)).first()
    if existing is not None:
        return existing
    image = LibraryImage(file=cleaned, uploaded_by=user)
    image.save()
    return image


def reuse_same_image(post):
    """Point a post's newly uploaded (and cleaned) featured image at the library's copy of the
    same image, if it has one, instead of storing it twice."""
    same = LibraryImage.objects.filter(digest=content_digest(post.featured_image.file)).first()
    if same is not None:
        post.featured_image = same.file.name
        post.reused_library_image = True
        post.featured_image_width, post.featured_image_height = same.width, same.height
        if not post.featured_image_alt and not same.decorative:
            post.featured_image_alt = same.alt


def add_featured_image(post):
    """Put a post's featured image in the library, with its renditions, unless it is there."""
    name = post.featured_image.name
    if not LibraryImage.objects.filter(file=name).exists():
        add_stored(name, alt=post.featured_image_alt)
