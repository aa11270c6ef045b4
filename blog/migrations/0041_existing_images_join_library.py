"""
Existing images join the media library: every post's featured image and every image uploaded
through the editor or copied by a WordPress import (under uploads/), with the alt text a post
already gives it. The same bytes stored twice become one entry, and posts whose featured image
was the second copy are pointed at the first.
"""

import hashlib
import html
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import migrations
from PIL import Image

IMAGE_NAME = re.compile(r"\.(jpe?g|png|gif|webp)$", re.IGNORECASE)
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(src|alt)="([^"]*)"', re.IGNORECASE)


def stored_images(folder):
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        if IMAGE_NAME.search(name):
            yield f"{folder}{name}"
    for sub in folders:
        yield from stored_images(f"{folder}{sub}/")


def body_alts(texts):
    """The alt text bodies give each stored image (by its name), the first one found."""
    media_url = default_storage.url("x")[:-1]  # The media's address prefix (S3 too).
    alts = {}
    for text in texts:
        for tag in IMG_TAG.findall(text or ""):
            attributes = {
                key.lower(): html.unescape(value) for key, value in ATTRIBUTE.findall(tag)
            }
            src, alt = attributes.get("src", ""), attributes.get("alt", "").strip()
            if src.startswith(media_url) and alt:
                alts.setdefault(src.removeprefix(media_url), alt)
    return alts


def join_library(apps, schema_editor):
    from blog import renditions

    Post = apps.get_model("blog", "Post")
    LibraryImage = apps.get_model("blog", "LibraryImage")
    FlatPage = apps.get_model("flatpages", "FlatPage")

    featured = {}
    # Oldest first: of two copies of one picture, the first stored is the one kept.
    posts = Post.objects.exclude(featured_image="").order_by("pk")
    for pk, name, alt, title in posts.values_list(
        "pk", "featured_image", "featured_image_alt", "title"
    ):
        featured.setdefault(name, {"alt": alt, "title": title, "posts": []})["posts"].append(pk)
    alts = body_alts(Post.objects.values_list("body", flat=True))
    alts.update(body_alts(FlatPage.objects.values_list("content", flat=True)))

    by_digest = {image.digest: image for image in LibraryImage.objects.all()}
    known = {image.file.name for image in by_digest.values()}
    upload_folder = getattr(settings, "CKEDITOR_UPLOAD_PATH", "uploads/")
    names = list(dict.fromkeys([*featured, *stored_images(upload_folder)]))
    for name in names:
        if name in known:
            continue
        try:
            with default_storage.open(name) as file:
                digest = hashlib.sha256(file.read()).hexdigest()
                file.seek(0)
                with Image.open(file) as opened:
                    width, height = opened.size
        except (OSError, ValueError, Image.DecompressionBombError):
            continue  # A missing or broken file: no page can show it either.
        details = featured.get(name, {})
        image = by_digest.get(digest)
        if image is None:
            image = LibraryImage.objects.create(
                file=name,
                digest=digest,
                width=width,
                height=height,
                alt=(details.get("alt") or alts.get(name, ""))[:250],
                title=details.get("title", "")[:200],
            )
            by_digest[digest] = image
            known.add(name)
            renditions.generate_renditions(name, only_missing=True)
        elif details:
            # The same picture stored twice: its posts now show the library's copy.
            Post.objects.filter(pk__in=details["posts"]).update(
                featured_image=image.file.name,
                featured_image_width=image.width,
                featured_image_height=image.height,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0040_media_library"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(join_library, migrations.RunPython.noop)]
