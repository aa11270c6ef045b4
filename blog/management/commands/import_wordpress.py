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
        "file (Tools → Export). Safe to run again: it adds nothing twice, updates what changed "
        "in WordPress and never overwrites what an editor changed here."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The .xml file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the old site's wp-content/uploads folder, for the images.",
        )
        parser.add_argument(
            "--download-images",
            action="store_true",
            help="Fetch the images not found in --media-dir from the old site, while it is up.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change without saving anything.",
        )

    def handle(self, *args, export, media_dir, download_images, dry_run, **options):
        try:
            wxr = read_export(export)
        except WordPressImportError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Importing “{wxr.title}” ({wxr.site_url}, WXR {wxr.version}): {wxr.item_count} items."
        )
        importer = Importer(
            wxr, media_dir=media_dir, write_files=not dry_run, download=download_images
        )
        try:
            with transaction.atomic():
                summary = importer.run(progress=self.progress_bar())
                if dry_run:
                    transaction.set_rollback(True)
        except WordPressImportError as error:
            importer.discard_files()
            raise CommandError(str(error)) from None
        except Exception as error:
            importer.discard_files()
            raise CommandError(f"Import stopped, nothing was saved: {error}") from error
        finally:
            importer.discard_downloads()
        self.report(summary, dry_run, media_dir, download_images)

    def progress_bar(self):
        """A bar on stderr when a person watches a terminal; nothing in logs or cron mail."""
        if not self.stderr.isatty():
            return lambda done, total: None

        def show(done, total, width=30):
            filled = width * done // max(total, 1)
            bar = "█" * filled + "·" * (width - filled)
            end = "\n" if done == total else ""
            self.stderr.write(f"\r  {bar} {done}/{total} posts and pages", ending=end)
            self.stderr.flush()

        return show

    def report(self, summary, dry_run, media_dir, download_images):
        write, warn = self.stdout.write, lambda text: self.stdout.write(self.style.WARNING(text))
        missing = summary.images_missing
        write(f"  Posts:      {summary.posts}")
        write(f"  Pages:      {summary.pages}")
        write(f"  Categories: {summary.categories}")
        write(f"  Tags:       {summary.tags}")
        write(f"  Authors:    {summary.authors}")
        copied = f"{summary.images_copied} {'to copy' if dry_run else 'copied'}"
        write(f"  Images:     {copied}" + (f", {len(missing)} not copied" if missing else ""))
        todo = []

        if summary.hidden:
            write("Not public here, as they were not public on WordPress:")
            for kind, label, why, became in summary.hidden:
                write(f"  {kind} {label}: {why} → {became}")
            todo.append(
                "Read the drafts and hidden pages above; publish in Admin → Posts or untick "
                "“Registration required” in Admin → Flat pages only what readers may see."
            )
        skipped = [
            (kind, reason, n)
            for kind, tally in (("post", summary.posts), ("page", summary.pages))
            for reason, n in tally.reasons.items()
        ]
        if skipped or summary.structure_items or summary.other_types or summary.comments:
            write("Not imported:")
        for kind, reason, n in skipped:
            write(f"  {n} {kind}(s): {reason}")
        if summary.structure_items:
            write(
                f"  {summary.structure_items} item(s) of WordPress's menus, templates and "
                "styles: not content; the site's header and footer take their place."
            )
        for post_type, n in summary.other_types.items():
            write(f"  {n} item(s) of the type “{post_type}” (a plugin's or theme's content).")
            todo.append(
                f"Copy what you need of the “{post_type}” items by hand: this site has no "
                "such content type."
            )
        if summary.comments:
            write(
                f"  {summary.comments} approved comment(s) on {summary.commented_items} post(s) "
                "and page(s): this site has no comments. They stay in the export file."
            )
        if summary.clashes:
            warn("Imported beside existing content (nothing was overwritten):")
            for clash in summary.clashes:
                warn(f"  {clash}")
            todo.append("Compare each clash above with the content it met; keep one.")
        if summary.kept_edits:
            write("Changed here since the last import, so left as they are:")
            for kept in summary.kept_edits:
                write(f"  {kept}")
        if summary.changes:
            write("Changed on the way (WordPress-only markup turned into ours):")
            for label, changes in summary.changes:
                write(f"  {label}: {'; '.join(changes)}")
            todo.append("Look over the articles listed as changed on the way.")
        if missing:
            where = (
                " or ".join(
                    [
                        *(["in --media-dir"] if media_dir else []),
                        *(["on the old site"] if download_images else []),
                    ]
                )
                or "(neither --media-dir nor --download-images given)"
            )
            warn(
                f"{len(missing)} image(s) not found {where}; their articles still load them "
                "from the old site, which stops working when it goes:"
            )
            failures = summary.download_failures
            for url, users in missing.items():
                more = f" and {len(users) - 1} more" if len(users) > 1 else ""
                why = f" (download failed: {failures[url]})" if url in failures else ""
                write(f"  {url}  — in {users[0]}{more}{why}")
            todo.append(
                "Copy the old site's wp-content/uploads folder (by FTP, or with a backup "
                "plugin) and run the import again with --media-dir, or, while the old site is "
                "up, with --download-images; nothing else changes."
            )
        for warning in summary.warnings:
            warn(f"  {warning}")
        if todo:
            write("What to do next:")
            for step in dict.fromkeys(todo):
                write(f"  - {step}")
        if dry_run:
            write(self.style.NOTICE("Dry run: nothing was saved."))
        else:
            write(self.style.SUCCESS("Import finished."))
