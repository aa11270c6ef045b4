"""
The site's own settings, edited in the admin: one row of site-wide settings with its social links,
and when each flat page (About, Privacy…) last changed. Every app may read them; they import no app.
"""

from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from pagecache import ContentQuerySet

validate_phone = RegexValidator(r"^\+?[0-9 ]*$", "Digits only, e.g. 999 or +44 20 7946 0000.")


class SiteSettings(models.Model):
    """The one row of site-wide settings editors change in the admin."""

    class OverdueReviews(models.TextChoices):
        SAY_SO = "say", "Keep them public; the article says its review is due"
        UNPUBLISH = "unpublish", "Unpublish them (back to draft) until they are reviewed"

    site_name = models.CharField(max_length=100, default="Back & Neck")
    tagline = models.CharField(
        max_length=200,
        default="Practical, evidence-based relief for back and neck pain",
        help_text="Shown under the logo and in search results for the home page.",
    )
    contact_email = models.EmailField(
        default="hello@backandneck.com", help_text="Shown on the site for readers to write to."
    )
    medical_disclaimer = models.TextField(
        default=(
            "This article is for general information only and is not a substitute for "
            "professional medical advice, diagnosis or treatment. Always ask your doctor or "
            "physiotherapist about a medical condition, and seek urgent care if you have "
            "severe pain, numbness, weakness, or loss of bladder or bowel control."
        ),
        help_text="Shown at the end of every article.",
    )
    postal_address = models.TextField(
        blank=True,
        help_text=(
            "The publisher's postal address. Anti-spam law (CAN-SPAM) requires it at the foot "
            "of every newsletter."
        ),
    )

    # "When to get help" cards (blog.CareCard): the wording and numbers of the local health
    # service. UK defaults; a site elsewhere changes them here once.
    care_non_urgent_heading = models.CharField(
        "non-urgent heading",
        max_length=120,
        default="See a GP or physiotherapist if:",
        help_text="Heading of non-urgent “when to get help” cards.",
    )
    care_urgent_heading = models.CharField(
        "urgent heading",
        max_length=120,
        default="Get an urgent appointment or call 111 if:",
        help_text="Heading of urgent cards.",
    )
    care_urgent_phone = models.CharField(
        "urgent phone number",
        max_length=20,
        default="111",
        blank=True,
        validators=[validate_phone],
        help_text="The number for urgent medical advice (the UK's NHS 111), shown as a call "
        "link on urgent cards. Leave empty where there is none.",
    )
    care_emergency_heading = models.CharField(
        "emergency heading",
        max_length=120,
        default="Call 999 or go to A&E now if:",
        help_text="Heading of emergency cards.",
    )
    care_emergency_phone = models.CharField(
        "emergency phone number",
        max_length=20,
        default="999",
        validators=[validate_phone],
        help_text="The emergency number (999 in the UK, 112 in the EU, 911 in North America), "
        "shown as a call link on emergency cards.",
    )
    overdue_reviews = models.CharField(
        "articles overdue for medical review",
        max_length=10,
        choices=OverdueReviews.choices,
        default=OverdueReviews.SAY_SO,
        help_text="What happens, once a day (manage.py check_reviews), to a public article past "
        "its next review date. Either way it stays in the editors' review list.",
    )
    # Flesch–Kincaid grade (blog/readability.py). NIH and AMA advise grade 6–8 for patients.
    reading_grade_min = models.PositiveSmallIntegerField(
        "reading grade from",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(16)],
        help_text="The checklist works out each article's Flesch–Kincaid grade: a US school "
        "grade from the words per sentence and syllables per word (add 5 for a reading age: "
        "grade 6 is age 11). This is the easy end of the target range it shows beside it.",
    )
    reading_grade_max = models.PositiveSmallIntegerField(
        "reading grade to",
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(16)],
        help_text="The checklist warns about an article above this grade. Patient information "
        "usually aims at grades 6 to 8.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        # The tables were created when these models lived in the project package.
        db_table = "backandneck_sitesettings"
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1  # There is only ever one row.
        super().save(*args, **kwargs)

    def clean(self):
        if self.reading_grade_min > self.reading_grade_max:
            raise ValidationError({"reading_grade_max": "Give a grade no lower than “from”."})

    @classmethod
    def load(cls):
        settings, _ = cls.objects.prefetch_related("social_links").get_or_create(pk=1)
        return settings


class SocialLink(models.Model):
    class Network(models.TextChoices):
        FACEBOOK = "facebook", "Facebook"
        INSTAGRAM = "instagram", "Instagram"
        X = "x", "X (Twitter)"
        YOUTUBE = "youtube", "YouTube"
        PINTEREST = "pinterest", "Pinterest"
        LINKEDIN = "linkedin", "LinkedIn"
        TIKTOK = "tiktok", "TikTok"

    site_settings = models.ForeignKey(
        SiteSettings, on_delete=models.CASCADE, related_name="social_links"
    )
    network = models.CharField(max_length=20, choices=Network.choices)
    url = models.URLField(help_text="The full address of the profile, starting with https://")
    position = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        db_table = "backandneck_sociallink"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.get_network_display()


class PageTimestamp(models.Model):
    """When a flat page last changed, for the sitemap's lastmod: FlatPage keeps no such date."""

    page = models.OneToOneField(
        FlatPage, on_delete=models.CASCADE, primary_key=True, related_name="timestamp"
    )
    updated_at = models.DateTimeField()

    class Meta:
        db_table = "backandneck_pagetimestamp"

    def __str__(self):
        return f"{self.page.url} changed {self.updated_at:%Y-%m-%d %H:%M}"

    @classmethod
    def page_saved(cls, instance, **kwargs):
        """post_save of FlatPage, from the admin, the WordPress importer or anywhere else."""
        cls.objects.update_or_create(page=instance, defaults={"updated_at": timezone.now()})
