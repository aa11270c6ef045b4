"""Make the renditions of featured and library images that are missing, e.g. after WIDTHS
changed or a restore."""

from django.core.management.base import BaseCommand

from blog import renditions
from blog.media_library import LibraryImage
from blog.models import Post


class Command(BaseCommand):
    help = (
        "Make missing renditions (smaller WebP/JPEG/PNG copies) of every featured image and "
        "every image in the media library. "
        "With --all, remake them all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Remake every rendition, not only missing ones."
        )

    def handle(self, *args, **options):
        posts = Post.objects.exclude(featured_image="").only("pk", "featured_image")
        featured = ((f"Post {post.pk}", post.featured_image) for post in posts.iterator())
        library = (
            (f"Library image {image.pk}", image.file)
            for image in LibraryImage.objects.only("pk", "file").iterator()
        )
        images = written = missing_originals = 0
        seen = set()
        for label, file in [*featured, *library]:
            name = file.name
            if name in seen:
                continue
            seen.add(name)
            if not file.storage.exists(name):
                missing_originals += 1
                self.stderr.write(f"{label}: image file {name} is missing; skipped.")
                continue
            images += 1
            written += renditions.generate_renditions(name, only_missing=not options["all"])
        self.stdout.write(
            self.style.SUCCESS(f"Checked {images} image(s); wrote {written} rendition file(s).")
        )
        if missing_originals:
            self.stdout.write(self.style.WARNING(f"{missing_originals} image file(s) missing."))
