"""
Autosave: while someone edits a post in the admin, its form is sent here every few seconds
of inactivity (static/blog/admin/autosave.js) and kept in an Autosave row per post and user.
Nothing here changes the post: only Save does, so a live article's text stays as it is. On
opening the form again the editor is offered the autosaved text when it is newer than the post.

The form also carries the post's version (its updated_at) from when it was opened, so that
autosaving can warn about someone else's save, and PostAdminForm refuses to overwrite it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

# The post's own text fields: what an editor types and what a restore puts back.
AUTOSAVED_FIELDS = [
    "title", "slug", "excerpt", "key_points", "body", "tags", "featured_image_alt", "seo_title",
    "meta_description",
]  # fmt: skip
FIELD_MAX_LENGTH = 500_000
# What autosave.js waits for after the last keystroke before sending.
DELAY_MS = 3000
# Someone else's autosave this recent means they are still editing; an older one was left.
EDITING_WINDOW = timedelta(minutes=15)


class Autosave(models.Model):
    """The latest unsaved state of one person's post form (post is None on "Add post")."""

    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, null=True, related_name="autosaves"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_autosaves"
    )
    fields = models.JSONField(default=dict)
    # The post's updated_at when the form was opened: the version the editor started from.
    opened_version = models.DateTimeField(null=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(post__isnull=False), name="autosave_per_post"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(post__isnull=True), name="autosave_per_new_post"
            ),
        ]

    def __str__(self):
        return f"Autosave of {self.post or 'a new post'} by {self.user}"


def parse_version(value):
    """The opened_version a form sent back, or None when it is missing or no time."""
    try:
        moment = datetime.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def version_of(post):
    return post.updated_at.isoformat() if post and post.pk and post.updated_at else ""


def last_saved_by(post):
    """Who saved the post last, as a name (its latest revision's user)."""
    revision = post.history.select_related("history_user").first()
    user = revision and revision.history_user
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def local_time(moment):
    return timezone.localtime(moment).strftime("%-d %b, %H:%M")


def conflicts(post, user, opened):
    """What others did to the post since `opened`: messages for the editor, newest news first."""
    if post is None or opened is None:
        return []
    notices = []
    current = type(post).objects.filter(pk=post.pk).values_list("updated_at", flat=True).first()
    if current and current > opened:
        notices.append(
            f"{last_saved_by(post)} saved this article at {local_time(current)}, after you "
            "opened it. If you save, your version replaces theirs: to keep both, copy your "
            "changes aside and reload the page."
        )
    others = (
        post.autosaves.exclude(user=user)
        .filter(saved_at__gt=max(opened, timezone.now() - EDITING_WINDOW))
        .select_related("user")
        .order_by("-saved_at")
    )
    for autosave in others:
        name = autosave.user.get_full_name() or autosave.user.get_username()
        notices.append(
            f"{name} is editing this article too (unsaved changes at "
            f"{local_time(autosave.saved_at)}): agree who saves first."
        )
    return notices


def offer(user, post):
    """The user's autosave to offer restoring: only when it is newer than the saved post."""
    autosave = Autosave.objects.filter(user=user, post=post if post and post.pk else None).first()
    if autosave is None or (post and post.pk and autosave.saved_at <= post.updated_at):
        return None
    if (
        post
        and post.pk
        and all(
            autosave.fields.get(name, "") == str(field_value(post, name))
            for name in AUTOSAVED_FIELDS
            if name in autosave.fields
        )
    ):
        return None  # Nothing unsaved: the post already holds these words.
    return autosave


def field_value(post, name):
    if name == "tags":
        return ", ".join(tag.name for tag in post.tag_list())
    return getattr(post, name) or ""


def forget(user, post):
    """Drop the user's autosave once the post is saved (on "Add post", the one without a post)."""
    Autosave.objects.filter(user=user).filter(Q(post=post) | Q(post=None)).delete()


def change_form_context(request, post):
    """What templates/admin/blog/post/change_form.html needs for autosaving."""
    pk = post.pk if post and post.pk else None
    suffix = [pk] if pk else []
    name = "admin:blog_post_autosave" if pk else "admin:blog_post_add_autosave"
    return {
        "autosave_url": reverse(name, args=suffix),
        "autosave_discard_url": reverse(f"{name}_discard", args=suffix),
        "autosave_fields": " ".join(AUTOSAVED_FIELDS),
        "autosave_delay": DELAY_MS,
        "autosave_offer": offer(request.user, post),
        "autosave_conflicts": conflicts(
            post, request.user, parse_version(request.POST.get("opened_version"))
        )
        if request.method == "POST"
        else [],
    }


def error(message, status=400):
    return JsonResponse({"error": message}, status=status)


def admin_urls(model_admin):
    """The autosave endpoints under the post admin, for its get_urls()."""

    def editable_post(request, object_id):
        """The post (None on "Add post") if the user may change it; else PermissionDenied."""
        if object_id is None:
            if not model_admin.has_add_permission(request):
                raise PermissionDenied
            return None
        post = model_admin.get_object(request, object_id)
        if post is None:
            raise Http404("No such post.")
        if not model_admin.has_change_permission(request, post):
            raise PermissionDenied
        return post

    @require_POST
    def save(request, object_id=None):
        post = editable_post(request, object_id)
        fields = {}
        for name in AUTOSAVED_FIELDS:
            if name not in request.POST:
                continue
            value = request.POST[name]
            if len(value) > FIELD_MAX_LENGTH:
                return error(f"The {name.replace('_', ' ')} is too long to autosave.", 413)
            if "\x00" in value:
                return error(f"The {name.replace('_', ' ')} holds a character that is not text.")
            fields[name] = value
        if not fields:
            return error("Nothing to autosave: send the post form's fields.")
        opened = parse_version(request.POST.get("opened_version"))
        autosave, _ = Autosave.objects.update_or_create(
            post=post,
            user=request.user,
            defaults={"fields": fields, "opened_version": opened, "saved_at": timezone.now()},
        )
        return JsonResponse(
            {
                "saved_at": autosave.saved_at.isoformat(),
                "message": f"Draft autosaved at {timezone.localtime(autosave.saved_at):%H:%M:%S}"
                " (not published; Save keeps it).",
                "conflicts": conflicts(post, request.user, opened),
            }
        )

    @require_POST
    def discard(request, object_id=None):
        post = editable_post(request, object_id)
        Autosave.objects.filter(user=request.user, post=post).delete()
        return JsonResponse({"message": "Autosaved changes discarded."})

    view = model_admin.admin_site.admin_view
    return [
        path("add/autosave/", view(save), name="blog_post_add_autosave"),
        path("add/autosave/discard/", view(discard), name="blog_post_add_autosave_discard"),
        path("<path:object_id>/autosave/", view(save), name="blog_post_autosave"),
        path(
            "<path:object_id>/autosave/discard/", view(discard), name="blog_post_autosave_discard"
        ),
    ]
