from datetime import time, timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from blog.html import sanitize_html
from blog.models import Post
from pagecache import ContentQuerySet

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit for a forward path.


def parse_daily_caps(text):
    """ "500, 1000, 2000" → [500, 1000, 2000]; raises ValueError on anything else."""
    caps = [int(part) for part in (text or "").replace(";", ",").split(",") if part.strip()]
    if any(cap < 1 for cap in caps):
        raise ValueError("caps must be positive")
    return caps


def validate_daily_caps(text):
    try:
        caps = parse_daily_caps(text)
    except ValueError:
        raise ValidationError(
            "Write whole numbers above 0 separated by commas, e.g. “500, 1000, 2000”."
        ) from None
    if len(caps) > 60:
        raise ValidationError("A warm-up of at most 60 days.")


def start_of_week(moment=None):
    """The Monday (in the site's time zone) of the week `moment` falls in."""
    day = timezone.localdate(moment)
    return day - timedelta(days=day.weekday())


class SubscriberQuerySet(models.QuerySet):
    def with_email(self, email):
        """
        The subscriber with this address, whatever its case: one mailbox, one subscriber (the
        Lower("email") unique constraint), matched through that constraint's index.
        """
        return self.alias(email_lower=Lower("email")).filter(
            email_lower=BaseUserManager.normalize_email(email).lower()
        )

    def confirmed(self):
        """The people a newsletter goes to."""
        return self.filter(status=Subscriber.Status.CONFIRMED)

    def status_counts(self):
        return dict(self.order_by().values_list("status").annotate(n=Count("pk")))

    def request(self, email, source_url=""):
        """
        Record a sign-up request and return the subscriber to send a confirmation to, or None.

        A confirmed subscriber needs no new confirmation. Anyone else (new, pending, left or
        bounced) stays as they are until they click the link: asking is not consenting.
        """
        email = BaseUserManager.normalize_email(email)
        try:
            with transaction.atomic():
                subscriber = self.with_email(email).first() or self.create(
                    email=email, source_url=source_url
                )
        except IntegrityError:  # The same address, signed up twice at once.
            subscriber = self.with_email(email).get()
        if subscriber.status == Subscriber.Status.CONFIRMED:
            return None
        if subscriber.source_url != source_url:
            subscriber.source_url = source_url
            subscriber.save(update_fields=["source_url"])
        return subscriber


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced or complained"

    email = models.EmailField(max_length=MAX_EMAIL_LENGTH)
    name = models.CharField(
        max_length=100,
        blank=True,
        default="",
        db_default="",  # Rows written with plain SQL (bench/, imports) need none.
        help_text="How the newsletter greets them (“Hi Sam,”); kept from a CSV import.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("signed up", default=timezone.now)
    confirmed_at = models.DateTimeField("confirmed", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("left", null=True, blank=True)
    bounced_at = models.DateTimeField("bounced", null=True, blank=True)
    source_url = models.CharField(
        "signed up on",
        max_length=500,
        blank=True,
        help_text="The page the sign-up form was sent from (consent evidence).",
    )
    imported = models.BooleanField(
        default=False, help_text="Imported from a list rather than signed up on this site."
    )
    welcomed_at = models.DateTimeField("welcome email sent", null=True, blank=True, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_ci_unique"),
        ]
        indexes = [models.Index(fields=["status"], name="subscriber_status_idx")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        # Stored as written, but for the domain's case (Django's normalisation, as for users).
        self.email = BaseUserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    def confirm(self):
        """Record consent: double opt-in completed now."""
        self.status = self.Status.CONFIRMED
        self.confirmed_at = timezone.now()
        self.unsubscribed_at = self.bounced_at = None
        self.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "bounced_at"])

    def unsubscribe(self):
        if self.status != self.Status.UNSUBSCRIBED:
            self.status = self.Status.UNSUBSCRIBED
            self.unsubscribed_at = timezone.now()
            self.save(update_fields=["status", "unsubscribed_at"])

    def resubscribe(self):
        """Undo a just-made unsubscribe; the earlier consent still stands."""
        if self.status == self.Status.UNSUBSCRIBED and self.confirmed_at:
            self.status = self.Status.CONFIRMED
            self.unsubscribed_at = None
            self.save(update_fields=["status", "unsubscribed_at"])

    def mark_bounced(self):
        """The address rejected mail for good (or complained): never mail it again."""
        self.status = self.Status.BOUNCED
        self.bounced_at = timezone.now()
        self.save(update_fields=["status", "bounced_at"])

    def erase(self):
        """
        Delete every trace of this person (GDPR): the row, its deliveries, admin history
        entries, whose descriptions contain the address, and queued sign-ups, which hold it.
        """
        from .tasks import forget_sign_ups  # The tasks module uses these models.

        with transaction.atomic():
            forget_sign_ups(self.email)
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Subscriber),
                object_id=str(self.pk),
            ).delete()
            self.delete()


class IssueQuerySet(ContentQuerySet):
    def sent(self):
        return self.filter(status=Issue.Status.SENT)

    def sending(self):
        return self.filter(status=Issue.Status.SENDING)

    def for_week(self, day):
        return self.filter(week=start_of_week(day))

    def with_featured_posts(self):
        """Fetch every issue's posts in a fixed number of queries (for lists and checks)."""
        return self.prefetch_related(*featured_posts_prefetch())

    def last_started(self):
        return self.exclude(send_started_at=None).order_by("-send_started_at").first()

    def weekly_posts(self, now=None):
        """The posts a weekly issue features: published since the last issue went out."""
        now = now or timezone.now()
        last = self.last_started()
        since = last.send_started_at if last else now - timedelta(days=7)
        return (
            Post.objects.published()
            .filter(published_at__gt=since, published_at__lte=now)
            .order_by("-published_at")[: Issue.MAX_POSTS]
        )

    def compose_weekly(self, now=None, send_at=None):
        """
        Create this week's issue from the posts published since the last issue went out;
        with `send_at`, the issue of that moment's week, due to go then (newsletter/compose.py).

        Returns None when this week already has an issue or nothing new was published.
        """
        now = now or timezone.now()
        week = start_of_week(send_at or now)
        if self.filter(week=week).exists():
            return None
        posts = list(self.weekly_posts(now))
        if not posts:
            return None
        issue = self.create(
            subject=f"New this week: {posts[0].title}"[:150],
            preheader=", ".join(post.title for post in posts[1:4])[:150],
            week=week,
            scheduled_for=send_at,
        )
        IssuePost.objects.bulk_create(
            IssuePost(issue=issue, post=post, position=n) for n, post in enumerate(posts)
        )
        return issue


class Issue(models.Model):
    MAX_POSTS = 10

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused (too many errors)"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=150, help_text="The email's subject line.")
    preheader = models.CharField(
        max_length=150,
        blank=True,
        help_text="The grey line inbox lists show after the subject. Keep it under 100 characters.",
    )
    intro = models.TextField(
        blank=True, help_text="A few words at the top of the email, before the articles."
    )
    posts = models.ManyToManyField(Post, through="IssuePost", related_name="issues")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    week = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The Monday of the week this issue went out (or was composed for).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    recipients_count = models.PositiveIntegerField("recipients", default=0, editable=False)
    sent_count = models.PositiveIntegerField("sent", default=0, editable=False)
    failed_count = models.PositiveIntegerField("failed", default=0, editable=False)
    # Deliverability (newsletter/deliverability.py): what the mail servers said about this issue.
    deferred_count = models.PositiveIntegerField(
        "deferred", default=0, db_default=0, editable=False
    )
    hard_bounce_count = models.PositiveIntegerField(
        "hard bounces", default=0, db_default=0, editable=False
    )
    soft_bounce_count = models.PositiveIntegerField(
        "soft bounces", default=0, db_default=0, editable=False
    )
    complaint_count = models.PositiveIntegerField(
        "complaints", default=0, db_default=0, editable=False
    )
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    pause_reason = models.CharField(
        max_length=300, blank=True, default="", db_default="", editable=False
    )
    # The weekly schedule (newsletter/compose.py): when this issue goes by itself, unless held.
    scheduled_for = models.DateTimeField(null=True, blank=True, editable=False)
    held = models.BooleanField(
        default=False,
        db_default=False,
        editable=False,
        help_text="Held issues are not sent at their scheduled time until someone releases them.",
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("send_issue", "Can send newsletter issues")]
        indexes = [models.Index(fields=["status", "sent_at"], name="issue_status_sent_idx")]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        self.intro = sanitize_html(self.intro)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("newsletter:issue_detail", args=[self.pk])

    def featured_posts(self):
        """The issue's posts in order, leaving out any that are no longer public."""
        if hasattr(self, "public_post_links"):  # Prefetched: see featured_posts_prefetch().
            return [link.post for link in self.public_post_links]
        return (
            Post.objects.published()
            .filter(issue_links__issue=self)
            .select_related("category")
            .order_by("issue_links__position")
        )

    def start_sending(self):
        """
        Move a draft to "sending" and queue one delivery per confirmed subscriber, all in one
        transaction, so the recipients are the confirmed list at this moment. Returns False
        when the issue had already started.
        """
        now = timezone.now()
        with transaction.atomic():
            started = Issue.objects.filter(pk=self.pk, status=self.Status.DRAFT).update(
                status=self.Status.SENDING, send_started_at=now, week=self.week or start_of_week()
            )
            if not started:
                return False
            # Chunks keep memory flat however long the list is.
            batch = []
            for pk in Subscriber.objects.confirmed().values_list("pk", flat=True).iterator(2000):
                batch.append(Delivery(issue_id=self.pk, subscriber_id=pk))
                if len(batch) == 2000:
                    Delivery.objects.bulk_create(batch)
                    batch = []
            Delivery.objects.bulk_create(batch)
        self.refresh_from_db()
        self.update_counts()
        return True

    def update_counts(self):
        """Recount the deliveries; mark the issue sent once none is left pending."""
        counts = self.deliveries.status_counts()
        self.recipients_count = sum(counts.values())
        self.sent_count = counts.get(Delivery.Status.SENT, 0)
        self.failed_count = counts.get(Delivery.Status.FAILED, 0)
        problems = self.deliveries.problem_counts()
        self.hard_bounce_count = problems.get(Delivery.Problem.HARD_BOUNCE, 0)
        self.soft_bounce_count = problems.get(Delivery.Problem.SOFT_BOUNCE, 0)
        self.complaint_count = problems.get(Delivery.Problem.COMPLAINT, 0)
        fields = ["recipients_count", "sent_count", "failed_count"]
        fields += ["hard_bounce_count", "soft_bounce_count", "complaint_count"]
        unfinished = counts.get(Delivery.Status.PENDING) or counts.get(Delivery.Status.SENDING)
        if self.status == self.Status.SENDING and not unfinished:
            self.status, self.sent_at = self.Status.SENT, timezone.now()
            fields += ["status", "sent_at"]
        self.save(update_fields=fields)


def featured_posts_prefetch():
    """
    What Issue.featured_posts() and the checklist read, for prefetch_related(): all of an
    issue's post links (drafts too, so the checklist can say what is left out), and the public
    ones, in order, as `public_post_links`.
    """
    return [
        Prefetch("post_links", queryset=IssuePost.objects.select_related("post")),
        Prefetch(
            "post_links",
            queryset=IssuePost.objects.filter(post__in=Post.objects.published()).select_related(
                "post__category"
            ),
            to_attr="public_post_links",
        ),
    ]


class IssuePost(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="post_links")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="issue_links")
    position = models.PositiveSmallIntegerField(default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "post"], name="issuepost_unique"),
        ]

    def __str__(self):
        return str(self.post)


class DeliveryQuerySet(models.QuerySet):
    def status_counts(self):
        return dict(self.order_by().values_list("status").annotate(n=Count("pk")))

    def problem_counts(self):
        """Hard and soft bounces and complaints, by kind (see Delivery.Problem)."""
        problems = self.exclude(problem="").order_by().values_list("problem")
        return dict(problems.annotate(n=Count("pk")))

    def due(self, now=None):
        """
        Deliveries a sender may take now: pending ones whose (next) attempt time has come. The
        sender claims from exactly this queryset (newsletter/sending.py). A claim whose
        sender died is due again once release_expired() has put it back in the queue, which
        every send does before it claims.
        """
        now = now or timezone.now()
        return self.filter(
            Q(next_attempt_at=None) | Q(next_attempt_at__lte=now), status=Delivery.Status.PENDING
        )

    def release_expired(self, now=None):
        """
        Put deliveries whose sender's lease ran out back in the queue. Their sender stopped
        sending long before the lease ends (see newsletter/sending.py), so none of them is
        being sent now. Returns how many.
        """
        return self.filter(
            status=Delivery.Status.SENDING, claimed_until__lt=now or timezone.now()
        ).update(status=Delivery.Status.PENDING, claimed_by="", claimed_until=None)


class Delivery(models.Model):
    """One issue to one subscriber: the unit of sending, retried and counted on its own."""

    # Minutes to wait before each retry after a temporary failure; then it counts as failed.
    RETRY_DELAYS = [5, 30, 120, 480]

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Being sent (claimed by a sender)"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (left before it was sent)"

    class Problem(models.TextChoices):
        NONE = "", "None"
        HARD_BOUNCE = "hard", "Hard bounce (address refused for good)"
        SOFT_BOUNCE = "soft", "Soft bounce (kept failing temporarily)"
        COMPLAINT = "complaint", "Spam complaint"

    # No index of its own: the unique constraint and the queue index both start with the issue,
    # and every claim and "sent" mark writes each of the table's indexes.
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Which sender took the delivery, and until when no other sender may take it (its lease).
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # What went wrong after or instead of delivery: a bounce (SMTP or the email service's
    # webhook) or a complaint. Counted per issue for the deliverability panel.
    problem = models.CharField(
        max_length=10, choices=Problem.choices, blank=True, default="", db_default=""
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_unique"),
        ]
        indexes = [
            models.Index(fields=["issue", "status", "id"], name="delivery_queue_idx"),
        ]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"

    def mark_failed(self, error, problem=Problem.HARD_BOUNCE):
        self.status, self.error = self.Status.FAILED, str(error)[:2000]
        self.problem = problem
        self.attempts += 1
        self.save(update_fields=["status", "error", "attempts", "problem"])

    def mark_skipped(self):
        self.status = self.Status.SKIPPED
        self.save(update_fields=["status"])

    def defer(self, error):
        """A temporary failure: try again later, or give up after the last retry."""
        if self.attempts >= len(self.RETRY_DELAYS):
            return self.mark_failed(error, problem=self.Problem.SOFT_BOUNCE)
        delay = timedelta(minutes=self.RETRY_DELAYS[self.attempts])
        self.status, self.claimed_by, self.claimed_until = self.Status.PENDING, "", None
        self.next_attempt_at = timezone.now() + delay
        self.error = str(error)[:2000]
        self.attempts += 1
        self.save(
            update_fields=[
                "status",
                "claimed_by",
                "claimed_until",
                "next_attempt_at",
                "error",
                "attempts",
            ]
        )


class WeeklyRun(models.Model):
    """What one run of `manage.py send_newsletter` did, for the admin."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    composed_issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"Run of {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class LinkClick(models.Model):
    """
    How often readers followed one link of one sent issue (newsletter/link_tracking.py). Only
    the count: nothing says which subscriber clicked.
    """

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="link_clicks")
    url = models.URLField("link", max_length=2000)
    clicks = models.PositiveIntegerField(default=0)
    first_click_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-clicks", "url"]
        constraints = [models.UniqueConstraint(fields=["issue", "url"], name="linkclick_issue_url")]

    def __str__(self):
        return f"{self.url} in {self.issue}"


class SendingSettings(models.Model):
    """
    The one row of newsletter sending settings editors change in the admin: when the weekly
    issue goes, how fast, and when a send stops by itself (newsletter/schedule.py, pacing.py,
    deliverability.py).
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    weekday = models.PositiveSmallIntegerField(
        "send day",
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        help_text="The day the weekly issue goes out.",
    )
    send_time = models.TimeField(
        default=time(7, 0),
        help_text="The time it starts, in the site's time zone (TIME_ZONE).",
    )
    window_hours = models.PositiveSmallIntegerField(
        "sending window (hours)",
        default=0,
        validators=[MaxValueValidator(24)],
        help_text=(
            "Mail goes out only from the send time for this many hours, every day; a send "
            "still running at the end of its window stops and carries on in the next day's "
            "window. 0 or 24: any time."
        ),
    )
    lead_hours = models.PositiveSmallIntegerField(
        "compose ahead (hours)",
        default=24,
        validators=[MaxValueValidator(144)],
        help_text=(
            "How long before the send the weekly issue is composed as a draft for review. "
            "Editors are emailed when it is ready."
        ),
    )
    per_second = models.PositiveSmallIntegerField(
        "messages per second",
        default=0,
        help_text="Your email provider's rate limit. 0: as fast as the server accepts.",
    )
    per_hour = models.PositiveIntegerField(
        "messages per hour",
        default=0,
        help_text="Your email provider's hourly quota. 0: no limit.",
    )
    warmup_started_on = models.DateField(
        "warm-up started on",
        null=True,
        blank=True,
        help_text=(
            "The first day of sending from a new domain or provider (a list moved from "
            "elsewhere). Leave empty once the warm-up is over."
        ),
    )
    warmup_daily_caps = models.CharField(
        "warm-up daily caps",
        max_length=500,
        blank=True,
        default="",
        validators=[validate_daily_caps],
        help_text=(
            "The most messages to send on each day of the warm-up, from its first day, "
            "separated by commas, e.g. “500, 1000, 2000, 5000, 10000, 20000”. After the last "
            "day there is no daily cap. What is left waits for the next day's window."
        ),
    )
    pause_error_percent = models.DecimalField(
        "pause above (% errors)",
        max_digits=4,
        decimal_places=1,
        default=5,
        validators=[MinValueValidator(0.1), MaxValueValidator(100)],
        help_text=(
            "A send pauses by itself when more than this share of its recent messages were "
            "refused or deferred, and editors are emailed. Resume it from the issue's page."
        ),
    )
    pause_sample = models.PositiveIntegerField(
        "judged over (messages)",
        default=500,
        validators=[MinValueValidator(20), MaxValueValidator(100000)],
        help_text="How many of the most recent messages the error share is measured over.",
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "sending settings"

    def __str__(self):
        return "Newsletter sending settings"

    def save(self, *args, **kwargs):
        self.pk = 1  # A singleton.
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def daily_caps(self):
        return parse_daily_caps(self.warmup_daily_caps)

    def daily_cap_on(self, day):
        """The warm-up's cap for `day`, or None when no warm-up limits it."""
        caps = self.daily_caps()
        if not self.warmup_started_on or not caps:
            return None
        index = (day - self.warmup_started_on).days
        if index < 0:
            return caps[0]
        return caps[index] if index < len(caps) else None


class WelcomeEmail(models.Model):
    """The one row of settings for the email a subscriber gets once, after confirming."""

    enabled = models.BooleanField(
        "send a welcome email",
        default=True,
        help_text="Send this email once to each new subscriber, right after they confirm.",
    )
    subject = models.CharField(
        max_length=150,
        default="Welcome – here is where to start",
        help_text="The email's subject line.",
    )
    body = models.TextField(
        "text",
        blank=True,
        default=(
            "<p>Thank you for confirming: you are on the list. While the next issue is on its way, "
            "here are a few of our readers’ favourite guides to start with.</p>"
        ),
        help_text="What the email says above the recommended articles. Links may be /paths/.",
    )
    posts = models.ManyToManyField(
        Post,
        blank=True,
        related_name="+",
        verbose_name="recommended articles",
        help_text="Evergreen articles to recommend to every new reader (up to 5; drafts and "
        "unpublished articles are left out).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    MAX_POSTS = 5

    class Meta:
        verbose_name = verbose_name_plural = "welcome email"

    def __str__(self):
        return "Welcome email"

    def save(self, *args, **kwargs):
        self.pk = 1
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        return cls.objects.get_or_create(pk=1)[0]

    def recommended_posts(self):
        return (
            self.posts.published()
            .select_related("category")
            .order_by("-published_at")[: self.MAX_POSTS]
        )


class ConfirmationQuota(models.Model):
    """
    How many confirmation emails one mailbox was sent while it had not confirmed. Keyed by a
    keyed hash of the mailbox (newsletter/limits.py mailbox()), so it holds no address and
    outlives cache restarts, which a lifetime cap must.
    """

    mailbox_hash = models.CharField(max_length=64, unique=True)
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.sent_count} confirmation(s) to one mailbox"


class SignupSpike(models.Model):
    """A time the site-wide sign-up brake was on (newsletter/signup_brake.py), for editors."""

    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    peak = models.PositiveIntegerField(
        default=0, help_text="The most unconfirmed sign-ups counted in one hour."
    )

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return f"Sign-up spike of {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class SenderCheck(models.Model):
    """The last `manage.py check_sender` result, which the dashboard shows without DNS lookups."""

    checked_at = models.DateTimeField(default=timezone.now)
    domain = models.CharField(max_length=253)
    findings = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at"]
        get_latest_by = "checked_at"

    def __str__(self):
        return f"Sender check of {self.domain}"

    @classmethod
    def record(cls, **fields):
        """Store a new result and keep only the latest few."""
        check = cls.objects.create(**fields)
        cls.objects.exclude(pk__in=cls.objects.values("pk")[:10]).delete()
        return check

    @property
    def missing(self):
        return [finding for finding in self.findings if not finding["ok"]]
