from django.conf import settings
from django.db import models
from django.utils.text import slugify

from blog.images import clean_image
from pagecache import ContentQuerySet
from pagecache.reversing import reverse_cached

HONORIFICS = {"dr", "dr.", "prof", "prof.", "professor", "mr", "mrs", "ms", "mx"}


def initials(name):
    """Up to two initials for a portrait placeholder: "Dr Hannah Cole" → "HC"."""
    words = [w for w in name.split() if w.lower() not in HONORIFICS]
    return "".join(w[0].upper() for w in words[:1] + words[1:][-1:])


def store_photo_cleaned(person):
    """A new portrait is stored without its metadata, under a name taken from its content."""
    if person.photo and not person.photo._committed:
        person.photo = clean_image(person.photo.file)


class AuthorProfile(models.Model):
    """The public face of a writer: who they are, at a stable /author/<slug>/ address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="author_profile",
        limit_choices_to={"is_staff": True},
        help_text="The staff account that writes the articles. Its full name is shown.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text="The profile's address: /author/<slug>/. Filled in from the name when empty.",
    )
    credentials = models.CharField(
        max_length=100,
        blank=True,
        help_text="Optional qualifications shown after the name, e.g. “PT, DPT” or “MSc”.",
    )
    bio = models.TextField(
        blank=True, help_text="A few sentences about the writer, shown on their profile page."
    )
    photo = models.ImageField(
        upload_to="people/",
        blank=True,
        help_text="Optional square portrait, at least 400 px wide. Initials are shown without one.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        store_photo_cleaned(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_cached("people:author_detail", self.slug)

    @classmethod
    def add_imported_writer(cls, user, login, bio, **kwargs):
        """
        A profile at /author/<login>/, WordPress's author address, for a writer the WordPress
        import just made an account for (blog.wordpress.author_imported).
        """
        slug = base = slugify(login)[:90] or f"author-{user.pk}"
        n = 2
        while cls.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        cls.objects.create(user=user, slug=slug, bio=bio)

    @property
    def name(self):
        return self.user.get_full_name() or self.user.get_username()

    @property
    def name_with_credentials(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def initials(self):
        return initials(self.name)


class Reviewer(models.Model):
    """A clinician who checks articles for medical accuracy."""

    name = models.CharField(max_length=100, help_text="Full name, without the credentials.")
    slug = models.SlugField(
        max_length=100, unique=True, help_text="The profile's address: /reviewer/<slug>/."
    )
    credentials = models.CharField(
        max_length=100,
        help_text="Qualifications shown after the name, e.g. “PT, DPT” or “MD, FRCP”.",
    )
    bio = models.TextField(
        blank=True,
        help_text="A few sentences on their training and clinical work, shown on their profile.",
    )
    photo = models.ImageField(
        upload_to="people/",
        blank=True,
        help_text="Optional square portrait, at least 400 px wide. Initials are shown without one.",
    )
    profile_url = models.URLField(
        "profile link",
        blank=True,
        help_text="Optional page confirming the credentials, e.g. a professional register entry.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name_with_credentials

    def save(self, *args, **kwargs):
        store_photo_cleaned(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_cached("people:reviewer_detail", self.slug)

    @property
    def name_with_credentials(self):
        return f"{self.name}, {self.credentials}"

    @property
    def initials(self):
        return initials(self.name)
