"""
Load the demo content from blog/demo/content.py: categories, writers and their profiles, medical
reviewers, articles with generated featured images, review dates and sources, some weeks of
reading statistics, the static pages and, in development, an admin login.

Safe to run again: rows are looked up by slug, username or URL and only missing ones are created,
so a second run creates nothing and never overwrites what an editor has changed since.
"""

import io
import math
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image, ImageDraw, ImageFilter

from blog import media_library, review
from blog.demo import editorial, library, motifs
from blog.demo.content import (
    ARTICLES,
    AUTHORS,
    CARE,
    CATEGORIES,
    KEY_POINTS,
    PAGES,
    REVIEWERS,
    REVIEWS,
    SOURCES,
)
from blog.media_library import LibraryImage
from blog.models import (
    ArticleDay,
    CareCard,
    Category,
    Post,
    PreviewLink,
    Reference,
    ReviewerNote,
    ReviewRequest,
    Snippet,
)
from blog.snippets import expand_snippets
from people.models import AuthorProfile, Reviewer

IMAGE_SIZE = (1600, 900)
# The picture is drawn at a quarter of its size and enlarged: its shapes are soft anyway, and
# it keeps seeding (and the tests that seed) fast.
DRAWING_SCALE = 4
CARE_LEVELS = {
    "non-urgent": CareCard.Level.NON_URGENT,
    "urgent": CareCard.Level.URGENT,
    "emergency": CareCard.Level.EMERGENCY,
}


class Command(BaseCommand):
    help = (
        "Load demo categories, writers, reviewers, articles, static pages and (with DEBUG on) an "
        "admin/admin login. Existing rows are left untouched, so it is safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        users = get_user_model()
        now = timezone.now()

        categories, new_categories = {}, 0
        for data in CATEGORIES:
            category, created = Category.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "needs_care_advice": data.get("needs_care_advice", False),
                    **{k: data[k] for k in ("name", "description", "position")},
                },
            )
            categories[category.slug] = category
            new_categories += created

        authors, new_authors = {}, 0
        author_group = Group.objects.get(name="Author")
        for data in AUTHORS:
            author, created = users.objects.get_or_create(
                username=data["username"],
                defaults={
                    "first_name": data["first_name"],
                    "last_name": data["last_name"],
                    "email": data["email"],
                    "is_staff": True,
                },
            )
            if created:
                # Writers log in once someone sets them a password in the admin.
                author.set_unusable_password()
                author.save(update_fields=["password"])
                author.groups.add(author_group)
            authors[author.username] = author
            new_authors += created

        new_profiles = 0
        for data in AUTHORS:
            _, created = AuthorProfile.objects.get_or_create(
                user=authors[data["username"]],
                defaults={k: data[k] for k in ("slug", "credentials", "bio")},
            )
            new_profiles += created

        reviewers, new_reviewers = {}, 0
        for data in REVIEWERS:
            reviewer, created = Reviewer.objects.get_or_create(slug=data["slug"], defaults=data)
            reviewers[reviewer.slug] = reviewer
            new_reviewers += created

        new_posts = 0
        for data in ARTICLES:
            review = REVIEWS.get(data["slug"], {})
            post, created = Post.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    **self.post_fields(data, categories, authors, now),
                    **self.review_fields(review, reviewers, now),
                },
            )
            if not created:
                continue
            new_posts += 1
            post.tags.set(data["tags"])
            Reference.objects.bulk_create(
                Reference(post=post, position=position, **SOURCES[key])
                for position, key in enumerate(review.get("sources", []), start=1)
            )
            CareCard.objects.bulk_create(
                CareCard(post=post, level=CARE_LEVELS[level], items="\n".join(items))
                for level, items in CARE.get(post.slug, {}).items()
            )
            # Assigned and saved like an upload in the admin, which also stores its dimensions.
            post.featured_image = ContentFile(
                abstract_image(data["palette"], post.slug, data.get("motif")),
                name=f"{post.slug}.jpg",
            )
            post.save()
            add_demo_library_images(post, data)
            # Backdate the timestamps, or every demo article would look "updated" today.
            if post.published_at is None:
                written_at = now - timedelta(days=data["days_ago"])
            else:
                written_at = min(post.published_at, now)
            Post.objects.filter(pk=post.pk).update(created_at=written_at, updated_at=written_at)

        demo_statistics(Post.objects.published().filter(slug__in=[a["slug"] for a in ARTICLES]))

        site = Site.objects.get(pk=settings.SITE_ID)
        new_pages = 0
        for data in PAGES:
            content = editorial.with_snippets(
                data["content"], editorial.SNIPPETS_IN_PAGES.get(data["url"], [])
            )
            page, created = FlatPage.objects.get_or_create(
                url=data["url"], defaults={"title": data["title"], "content": content}
            )
            if created:
                page.sites.add(site)
            new_pages += created

        self.seed_editorial()

        self.stdout.write(
            self.style.SUCCESS(
                f"Created {new_categories} categories, {new_authors} authors, {new_profiles} "
                f"author profiles, {new_reviewers} reviewers, {new_posts} articles and "
                f"{new_pages} pages; {self.create_admin(users)}."
            )
        )

    @staticmethod
    def post_fields(data, categories, authors, now):
        status = data.get("status", Post.Status.RELEASED)
        return {
            "title": data["title"],
            "excerpt": data["excerpt"],
            "key_points": "\n".join(KEY_POINTS.get(data["slug"], [])),
            "body": editorial.with_snippets(
                data["body"], editorial.SNIPPETS_IN_ARTICLES.get(data["slug"], [])
            ),
            "category": categories[data["category"]],
            "author": authors[data["author"]],
            "status": status,
            # A draft has no publication time yet: Post.save() sets it when it is published.
            "published_at": (
                now - timedelta(days=data["days_ago"]) if status == Post.Status.RELEASED else None
            ),
            "is_featured": data["featured"],
            "featured_image_alt": data["image_alt"],
        }

    @staticmethod
    def review_fields(review, reviewers, now):
        if "reviewer" not in review:
            return {}
        return {
            "reviewed_by": reviewers[review["reviewer"]],
            "last_reviewed": timezone.localdate(now - timedelta(days=review["days_ago"])),
            "review_interval_months": review.get("interval_months", 12),
        }

    @staticmethod
    def seed_editorial():
        """The editors' tools in use: snippets, a draft awaiting review, a reviewer's note."""
        for data in editorial.SNIPPETS:
            Snippet.objects.get_or_create(slug=data["slug"], defaults=data)
        waiting = Post.objects.filter(slug=editorial.AWAITING_REVIEW["slug"]).first()
        if waiting and not waiting.review_requests.exists():
            ReviewRequest.objects.create(
                post=waiting,
                submitted_by=waiting.author,
                message=editorial.AWAITING_REVIEW["message"],
            )
        noted = Post.objects.filter(slug=editorial.REVIEWER_NOTE["slug"]).first()
        if noted and not noted.reviewer_notes.exists():
            link = PreviewLink.objects.create(
                post=noted, shared_with=editorial.REVIEWER_NOTE["shared_with"]
            )
            number = editorial.REVIEWER_NOTE["paragraph"]
            texts = review.Paragraphs(expand_snippets(noted.body)).texts
            ReviewerNote.objects.create(
                post=noted,
                preview_link=link,
                paragraph=number,
                quote=texts[number - 1][: review.QUOTE_LENGTH],
                text=editorial.REVIEWER_NOTE["text"],
            )

    @staticmethod
    def create_admin(users):
        # A well-known password is only acceptable on a developer's machine.
        if not settings.DEBUG:
            return "admin login skipped because DEBUG is off"
        if users.objects.filter(username="admin").exists():
            return "admin login already exists"
        admin = users.objects.create_superuser("admin", "admin@example.com", "admin")
        admin.groups.add(Group.objects.get(name="Editor"))
        return "log in to /admin/ as admin / admin"


def add_demo_library_images(post, data):
    """Credit the post's featured image in the library, and place the demo's body images."""
    if post.slug != library.UNCREDITED:
        LibraryImage.objects.filter(file=post.featured_image.name).update(
            credit=library.FEATURED_CREDIT, licence=library.FEATURED_LICENCE
        )
    for extra in (image for image in library.BODY_IMAGES if image["slug"] == post.slug):
        upload = ContentFile(
            abstract_image(extra["palette"], f"{post.slug}-body", extra["motif"]), name="body.jpg"
        )
        image = media_library.add_upload(upload)
        for field in ("title", "alt", "caption", "credit", "licence"):
            setattr(image, field, extra[field])
        image.decorative = extra.get("decorative", False)
        image.save()
        figure = f'<p><img src="{image.url}" alt="{escape(image.reader_alt)}"></p>'
        post.body = library.with_image_after_paragraph(post.body, extra["after_paragraph"], figure)
        post.save()


STATISTICS_DAYS = 45


def demo_statistics(posts, today=None):
    """
    Views and newsletter sign-ups per day for the demo articles (the admin's charts and the
    dashboard's most read), the same on every run: days that already have figures keep them.
    """
    today = today or timezone.localdate()
    days = []
    for post in posts:
        chance = random.Random(post.slug)
        popularity = chance.uniform(5, 60)
        first = max(timezone.localdate(post.published_at), today - timedelta(STATISTICS_DAYS))
        for n in range((today - first).days + 1):
            day = first + timedelta(days=n)
            weekday = 0.6 if day.weekday() >= 5 else 1.0  # Fewer readers at weekends.
            views = round(popularity * weekday * chance.uniform(0.5, 1.5))
            sign_ups = int(chance.random() < views / 150)
            days.append(ArticleDay(post=post, day=day, views=views, sign_ups=sign_ups))
    ArticleDay.objects.bulk_create(days, ignore_conflicts=True)


def abstract_image(palette, seed, motif=None):
    """
    Return JPEG bytes of a calm picture: a diagonal gradient between the palette's two colours
    with a few large translucent circles and waves, and a line drawing of the article's topic
    (blog/demo/motifs.py) when it has one. The seed makes it repeatable.
    """
    start, end = (hex_to_rgb(colour) for colour in palette)
    width, height = (side // DRAWING_SCALE for side in IMAGE_SIZE)
    rng = random.Random(seed)

    # Averaging a top-to-bottom and a left-to-right ramp gives a top-left to bottom-right one.
    ramp = Image.linear_gradient("L")
    diagonal = Image.blend(
        ramp.rotate(90).resize((width, height)), ramp.resize((width, height)), 0.5
    )
    image = Image.composite(
        Image.new("RGB", (width, height), end), Image.new("RGB", (width, height), start), diagonal
    ).convert("RGBA")

    def veil(draw_shape, alpha):
        # Transparent *white*, so blurring the edges doesn't pull in a dark fringe.
        layer = Image.new("RGBA", (width, height), (255, 255, 255, 0))
        draw_shape(ImageDraw.Draw(layer), (255, 255, 255, alpha))
        image.alpha_composite(layer.filter(ImageFilter.GaussianBlur(2)))

    for _ in range(3):
        r = rng.uniform(0.15, 0.35) * height
        x, y = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.55) * height
        box = (x - r, y - r, x + r, y + r)
        veil(lambda draw, fill, box=box: draw.ellipse(box, fill=fill), rng.randint(25, 45))

    for i in range(3):
        base, amplitude = height * (0.5 + 0.15 * i), height * rng.uniform(0.05, 0.1)
        frequency, phase = rng.uniform(0.6, 1.3), rng.uniform(0, math.tau)
        crest = [
            (x, base + amplitude * math.sin(frequency * math.tau * x / width + phase))
            for x in range(0, width + 5, 4)
        ]
        shape = [*crest, (width, height), (0, height)]
        veil(lambda draw, fill, shape=shape: draw.polygon(shape, fill=fill), 30)

    if motif:
        veil(lambda draw, fill: motifs.draw(motif, draw, (width, height), fill), 150)

    picture = image.convert("RGB").resize(IMAGE_SIZE, Image.Resampling.BICUBIC)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def hex_to_rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
