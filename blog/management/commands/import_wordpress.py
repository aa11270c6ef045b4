"""
Import a WordPress export (WXR): authors, categories, tags, posts, pages and, with
--media-dir, their images. All in one transaction: it imports everything or nothing.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from blog.wordpress import Importer, WordPressImportError, read_export


class Command(BaseCommand):
    help = (
        "Import posts, pages, authors, categories, tags and images from a WordPress export "
        "file (Tools → Export). Safe to run again: it updates what changed and adds nothing "
        "twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the old site's wp-content/uploads folder, for the images.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change without saving anything.",
        )

    def handle(self, *args, export, media_dir, dry_run, **options):
        try:
            wxr = read_export(export)
        except WordPressImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Importing “{wxr.title}” ({wxr.site_url}): {len(wxr.items)} items.")
        importer = Importer(wxr, media_dir=media_dir, write_files=not dry_run)
        try:
            with transaction.atomic():
                summary = importer.run(progress=self.progress_bar())
                if dry_run:
                    transaction.set_rollback(True)
        except Exception as error:
            importer.discard_files()
            raise CommandError(f"Import stopped, nothing was saved: {error}") from error
        self.report(summary, dry_run, media_dir)

    def progress_bar(self):
        """A bar on stderr when a person watches a terminal; nothing in logs or cron mail."""
        if not self.stderr.isatty():
            return lambda done, total: None

        def show(done, total, width=30):
            filled = width * done // total
            bar = "█" * filled + "·" * (width - filled)
            end = "\n" if done == total else ""
            self.stderr.write(f"\r  {bar} {done}/{total} posts and pages", ending=end)
            self.stderr.flush()

        return show

    def report(self, summary, dry_run, media_dir):
        write = self.stdout.write
        write(f"  Posts:      {summary.posts}")
        write(f"  Pages:      {summary.pages}")
        write(f"  Categories: {summary.categories}")
        write(f"  Authors:    {summary.authors}")
        write(f"  Images:     {summary.images_copied} {'to copy' if dry_run else 'copied'}")
        if summary.images_missing:
            where = "in --media-dir" if media_dir else "(no --media-dir given)"
            write(
                self.style.WARNING(
                    f"  {len(summary.images_missing)} image(s) not found {where}; articles "
                    "still point at the old site for them:"
                )
            )
            for url in summary.images_missing[:20]:
                write(f"    {url}")
        for warning in summary.warnings:
            write(self.style.WARNING(f"  {warning}"))
        if dry_run:
            write(self.style.NOTICE("Dry run: nothing was saved."))
        else:
            write(self.style.SUCCESS("Import finished."))
