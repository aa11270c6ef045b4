"""
The review step and reviewers' notes.

An author submits a draft for review (ReviewRequest); editors get an email and can send an
outside reviewer a preview link; the editor publishes the post or sends it back with a note,
which the author sees in the form and by email. A reviewer with a preview link (no account)
leaves notes anchored to a paragraph of the draft (ReviewerNote); editors resolve them in the
post's form, and the checklist warns while any is open.
"""

from html.parser import HTMLParser

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator

from . import emails

QUOTE_LENGTH = 300
NOTE_LENGTH = 2000
MESSAGE_LENGTH = 2000


class ReviewRequest(models.Model):
    class State(models.TextChoices):
        AWAITING = "awaiting", "Awaiting review"
        SENT_BACK = "sent_back", "Sent back to the author"
        PUBLISHED = "published", "Published"

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="review_requests")
    state = models.CharField(max_length=20, choices=State.choices, default=State.AWAITING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    # Plain text, shown escaped.
    message = models.TextField("note from the author", blank=True, max_length=MESSAGE_LENGTH)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField("note from the editor", blank=True, max_length=MESSAGE_LENGTH)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(state="awaiting"), name="one_open_review_per_post"
            )
        ]

    def __str__(self):
        return f"{self.get_state_display()}: {self.post}"


def editors():
    """Active staff who may publish and have an email address: who hears of submissions."""
    publish = Permission.objects.filter(content_type__app_label="blog", codename="publish_post")
    may_publish = (
        Q(is_superuser=True) | Q(groups__permissions__in=publish) | Q(user_permissions__in=publish)
    )
    return (
        get_user_model()
        .objects.filter(may_publish, is_active=True, is_staff=True)
        .exclude(email="")
        .distinct()
    )


def open_request(post):
    return post.review_requests.filter(state=ReviewRequest.State.AWAITING).first()


def submit(post, author, message=""):
    """Put the draft in the editors' review queue and tell them; None if it already is."""
    if open_request(post):
        return None
    with transaction.atomic():
        request = ReviewRequest.objects.create(post=post, submitted_by=author, message=message)
    recipients = [user.email for user in editors().exclude(pk=author.pk)]
    if recipients:
        emails.review_submitted(request, recipients).send()
    return request


def send_back(post, editor, note):
    """Return the draft to its author with the editor's note, by email too."""
    request = open_request(post)
    if request is None:
        request = ReviewRequest(post=post, submitted_by=post.author, submitted_at=timezone.now())
    request.state = ReviewRequest.State.SENT_BACK
    request.decided_by, request.decided_at, request.decision_note = editor, timezone.now(), note
    request.save()
    if post.author.email and post.author_id != editor.pk:
        emails.review_sent_back(request).send()
    return request


def close_published(post, editor):
    """A post that went live is no longer waiting for review."""
    post.review_requests.filter(state=ReviewRequest.State.AWAITING).update(
        state=ReviewRequest.State.PUBLISHED, decided_by=editor, decided_at=timezone.now()
    )


def send_preview_link(post, editor, email):
    """A new preview link for an outside reviewer, emailed to them."""
    from .models import PreviewLink

    link = PreviewLink.objects.create(post=post, shared_with=email, created_by=editor)
    emails.preview_link(link, email, editor).send()
    return link


# Reviewers' notes ---------------------------------------------------------------------------


class ReviewerNote(models.Model):
    """A note an outside reviewer left on one paragraph of a draft, through a preview link."""

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="reviewer_notes")
    preview_link = models.ForeignKey(
        "blog.PreviewLink", on_delete=models.SET_NULL, null=True, related_name="notes"
    )
    # The paragraph's number in the previewed draft (1 = the first) and its words at the time,
    # so the note still makes sense after the text changed. Both are plain text.
    paragraph = models.PositiveIntegerField()
    quote = models.TextField(blank=True)
    text = models.TextField("note", max_length=NOTE_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(
        default=False, help_text="Tick once you have dealt with the note (changed the text or not)."
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["resolved", "paragraph", "created_at"]
        indexes = [models.Index(fields=["post", "resolved"], name="reviewer_note_open_idx")]

    def __str__(self):
        # Not the post's title: the post form lists its notes, and that would read each post.
        return f"Note by {self.reviewer} on paragraph {self.paragraph}"

    @property
    def reviewer(self):
        return (self.preview_link and self.preview_link.shared_with) or "Reviewer"


class Paragraphs(HTMLParser):
    """
    The text of each paragraph of an article body as shown, in order: <p> elements outside
    reusable snippets. static/blog/js/reviewer_notes.js numbers the page's paragraphs the same way.
    """

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.texts, self._current, self._depth, self._snippet_depth = [], None, 0, None
        self.feed(str(html))
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "img", "hr"}:
            return
        self._depth += 1
        if (
            self._snippet_depth is None
            and tag == "div"
            and "snippet" in (dict(attrs).get("class") or "").split()
        ):
            self._snippet_depth = self._depth
        elif tag == "p" and self._snippet_depth is None:
            self._current = []

    def handle_endtag(self, tag):
        if tag in {"br", "img", "hr"}:
            return
        if self._snippet_depth == self._depth:
            self._snippet_depth = None
        elif tag == "p" and self._current is not None:
            self.texts.append(" ".join("".join(self._current).split()))
            self._current = None
        self._depth -= 1

    def handle_data(self, data):
        if self._current is not None:
            self._current.append(data)


def paragraphs(body):
    """(number, text) of the paragraphs of a rendered article body (blog.views.article_body)."""
    texts = Paragraphs(f"{body.opening}{body.rest}").texts
    return [(number, text) for number, text in enumerate(texts, 1)]


class ReviewerNoteForm(forms.Form):
    paragraph = forms.TypedChoiceField(
        label="Paragraph",
        coerce=int,
        error_messages={
            "required": "Choose the paragraph your note is about.",
            "invalid_choice": "Choose one of the paragraphs of this draft.",
        },
    )
    text = forms.CharField(
        label="Your note",
        max_length=NOTE_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Write your note first.",
            "max_length": "Please keep a note to %(limit_value)d characters; leave two notes.",
        },
    )

    def __init__(self, *args, paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.quotes = dict(paragraphs)
        self.fields["paragraph"].choices = [("", "Choose a paragraph")] + [
            (number, f"{number}. {Truncator(text).chars(70) or '(empty paragraph)'}")
            for number, text in paragraphs
        ]

    def clean_text(self):
        text = self.cleaned_data["text"]
        if "\x00" in text:
            raise forms.ValidationError("Your note holds a character that is not text.")
        return text

    def save(self, link):
        number = self.cleaned_data["paragraph"]
        return ReviewerNote.objects.create(
            post=link.post,
            preview_link=link,
            paragraph=number,
            quote=Truncator(self.quotes.get(number, "")).chars(QUOTE_LENGTH),
            text=self.cleaned_data["text"],
        )


# The post form's review buttons (templates/admin/blog/post/change_form.html).
BUTTONS = {"_submit_for_review", "_send_back", "_send_preview"}
