"""Make the featured-image renditions that are missing, e.g. after WIDTHS changed or a restore."""

from django.core.management.base import BaseCommand

from blog import renditions
from blog.models import Post


class Command(BaseCommand):
    help = (
        "Make missing renditions (smaller WebP/JPEG/PNG copies) of every featured image. "
        "With --all, remake them all."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Remake every rendition, not only missing ones."
        )

    def handle(self, *args, **options):
        posts = Post.objects.exclude(featured_image="").only("pk", "featured_image")
        images = written = missing_originals = 0
        for post in posts.iterator():
            name = post.featured_image.name
            if not post.featured_image.storage.exists(name):
                missing_originals += 1
                self.stderr.write(f"Post {post.pk}: image file {name} is missing; skipped.")
                continue
            images += 1
            written += renditions.generate_renditions(name, only_missing=not options["all"])
        self.stdout.write(
            self.style.SUCCESS(f"Checked {images} image(s); wrote {written} rendition file(s).")
        )
        if missing_originals:
            self.stdout.write(self.style.WARNING(f"{missing_originals} image file(s) missing."))
