"""
Reading a WordPress export (WXR, from Tools → Export) and turning its posts, pages, authors,
categories, tags and images into ours. `manage.py import_wordpress` drives it.

The file is read completely with defusedxml before anything is written, so a malformed or
hostile file (entity bombs, external entities, any DTD) stops the import before it starts.
"""

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify

from . import redirects, renditions
from .html import sanitize_html
from .images import clean_image, validate_image
from .models import RESERVED_SLUGS, Category, Post

NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
WXR_VERSIONS = ("1.2", "1.1", "1.0")
STATUSES = {"publish": Post.Status.PUBLISHED, "future": Post.Status.PUBLISHED}
DRAFT_STATUSES = {"draft", "pending"}
UPLOADS_MARKER = "/wp-content/uploads/"
# The folder in our media storage that imported in-article images go to, by their WP path.
CONTENT_IMAGES_FOLDER = "uploads/wordpress"


class WordPressImportError(Exception):
    """The export cannot be imported; the message says why in words an editor understands."""


# Reading the file


@dataclass
class Item:
    wp_id: int
    post_type: str
    status: str
    title: str
    slug: str
    link: str
    author: str
    date_gmt: datetime | None
    modified_gmt: datetime | None
    content: str
    excerpt: str
    parent_id: int
    categories: list = field(default_factory=list)  # (slug, name) pairs
    tags: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    attachment_url: str = ""


@dataclass
class Export:
    title: str
    site_url: str
    authors: list
    categories: list
    items: list

    def of_type(self, post_type):
        return [item for item in self.items if item.post_type == post_type]


def read_export(path):
    """Parse a WXR file into an Export, or raise WordPressImportError."""
    try:
        tree = SafeElementTree.parse(str(path), forbid_dtd=True)
    except DefusedXmlException as error:
        raise WordPressImportError(
            f"{path} declares a DTD or entities ({type(error).__name__}). WordPress exports "
            "never do; such files can hide entity bombs or read files from this server, so it "
            "was refused and nothing was imported."
        ) from None
    except SafeElementTree.ParseError as error:
        raise WordPressImportError(
            f"{path} is not well-formed XML ({error}). Export it from WordPress again; "
            "nothing was imported."
        ) from None
    except OSError as error:
        raise WordPressImportError(f"Cannot read {path}: {error.strerror}.") from None
    channel = tree.getroot().find("channel")
    wp = wxr_namespace(channel)
    if wp is None:
        raise WordPressImportError(
            f"{path} is XML but not a WordPress export (no <wp:wxr_version>). Use the file "
            "from WordPress's Tools → Export."
        )
    reader = ElementReader(wp)
    try:
        return Export(
            title=reader.text(channel, "title"),
            site_url=reader.text(channel, "wp:base_blog_url") or reader.text(channel, "link"),
            authors=[reader.author(element) for element in channel.findall(f"{{{wp}}}author")],
            categories=[
                (reader.text(c, "wp:category_nicename"), reader.text(c, "wp:cat_name"))
                for c in channel.findall(f"{{{wp}}}category")
            ],
            items=[reader.item(element) for element in channel.findall("item")],
        )
    except ValueError as error:
        raise WordPressImportError(f"{path} has a value we cannot read: {error}.") from None


def wxr_namespace(channel):
    """The WXR namespace the export uses (1.0 to 1.2 differ only in it), or None."""
    for version in WXR_VERSIONS:
        namespace = f"http://wordpress.org/export/{version}/"
        if channel is not None and channel.find(f"{{{namespace}}}wxr_version") is not None:
            return namespace
    return None


class ElementReader:
    def __init__(self, wp_namespace):
        self.namespaces = {**NAMESPACES, "wp": wp_namespace, "excerpt": wp_namespace + "excerpt/"}

    def text(self, element, path):
        found = element.find(path, self.namespaces)
        return (found.text or "").strip() if found is not None else ""

    def author(self, element):
        return {
            "login": self.text(element, "wp:author_login"),
            "email": self.text(element, "wp:author_email"),
            "display_name": self.text(element, "wp:author_display_name"),
            "first_name": self.text(element, "wp:author_first_name"),
            "last_name": self.text(element, "wp:author_last_name"),
        }

    def item(self, element):
        terms = element.findall("category")
        return Item(
            wp_id=int(self.text(element, "wp:post_id")),
            post_type=self.text(element, "wp:post_type"),
            status=self.text(element, "wp:status"),
            title=self.text(element, "title"),
            slug=unquote(self.text(element, "wp:post_name")),
            link=self.text(element, "link"),
            author=self.text(element, "dc:creator"),
            date_gmt=parse_date(self.text(element, "wp:post_date_gmt")),
            modified_gmt=parse_date(self.text(element, "wp:post_modified_gmt")),
            content=self.text(element, "content:encoded"),
            excerpt=self.text(element, "excerpt:encoded"),
            parent_id=int(self.text(element, "wp:post_parent") or 0),
            categories=[term_pair(t) for t in terms if t.get("domain") == "category"],
            tags=[term_pair(t) for t in terms if t.get("domain") == "post_tag"],
            meta={
                self.text(meta, "wp:meta_key"): self.text(meta, "wp:meta_value")
                for meta in element.findall("wp:postmeta", self.namespaces)
            },
            attachment_url=self.text(element, "wp:attachment_url"),
        )


def base_slug(item):
    return slugify(item.slug)[:200] or slugify(plain_text(item.title))[:190] or "post"


def term_pair(element):
    return unquote(element.get("nicename", "")), (element.text or "").strip()


def parse_date(value):
    """WordPress writes UTC times as "2024-03-05 08:15:00", and "0000-00-00 00:00:00" for none."""
    if not value or value.startswith("0000"):
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


# Turning WordPress content into ours

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.DOTALL)
CAPTION_PARTS = re.compile(r"^\s*((?:<a [^>]*>)?<img [^>]*>(?:</a>)?)(.*)$", re.DOTALL)
SHORTCODE = re.compile(r"\[/?[a-zA-Z][\w-]*(?:\s[^\]]*)?\]")
BLOCKS = (
    r"(?:p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|table|thead|tbody|tr|td|th|pre|div|hr"
    r"|dl|dt|dd|address|section)"
)
BLOCK_START = re.compile(rf"(<{BLOCKS}[\s/>])", re.IGNORECASE)
BLOCK_END = re.compile(rf"(</{BLOCKS}>)", re.IGNORECASE)
BLOCK_TAG = re.compile(rf"^</?{BLOCKS}[\s/>]", re.IGNORECASE)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>")
H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
IMG_SIZE_ATTRIBUTES = re.compile(r'\s(?:srcset|sizes)="[^"]*"', re.IGNORECASE)


def content_to_html(content):
    """
    Clean article HTML from WordPress content, whether written in the block editor or the
    classic one: block comments and shortcodes removed ([caption] becomes a <figure>),
    paragraphs made from blank lines as WordPress's wpautop does, <h1> demoted (the page
    title is the only <h1>), and everything sanitised like any article.
    """
    text = BLOCK_COMMENT.sub("", content.replace("\r\n", "\n"))
    text = CAPTION.sub(caption_to_figure, text)
    text = SHORTCODE.sub("", text)
    text = H1.sub(r"<\1h2", text)
    text = IMG_SIZE_ATTRIBUTES.sub("", text)  # They list the old site's sizes.
    return EMPTY_PARAGRAPH.sub("", sanitize_html(autop(text)))


def caption_to_figure(match):
    parts = CAPTION_PARTS.match(match.group(1))
    if not parts:
        return match.group(1)
    image, caption = parts.group(1), parts.group(2).strip()
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>" if caption else image


def autop(text):
    """Wrap loose lines in paragraphs, as WordPress's wpautop() does for classic content."""
    # Block elements stand apart from the text around them, as in wpautop().
    text = BLOCK_END.sub("\\1\n\n", BLOCK_START.sub("\n\n\\1", text))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    return "\n".join(
        chunk if BLOCK_TAG.match(chunk) else f"<p>{chunk.replace(chr(10), '<br>')}</p>"
        for chunk in chunks
    )


def plain_text(value):
    return html.unescape(strip_tags(value)).strip()


# Importing


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def __str__(self):
        parts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        return ", ".join(parts + ([f"{self.skipped} skipped"] if self.skipped else []))


@dataclass
class Summary:
    posts: Tally = field(default_factory=Tally)
    pages: Tally = field(default_factory=Tally)
    categories: Tally = field(default_factory=Tally)
    authors: Tally = field(default_factory=Tally)
    images_copied: int = 0
    images_missing: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


class Importer:
    """
    Imports an Export into the database. Posts are matched by their WordPress id (stored in
    Post.wordpress_id), pages by address, so a second run updates instead of duplicating and
    leaves untouched what did not change. Run it inside a transaction (the command does).
    """

    def __init__(self, export, media_dir=None, write_files=True):
        self.export = export
        self.media_dir = Path(media_dir) if media_dir else None
        self.write_files = write_files
        self.summary = Summary()
        self.stored_files = []  # For clean-up if the transaction is rolled back.
        self.attachments = {item.wp_id: item for item in export.of_type("attachment")}
        self._users = {}
        self._categories = {}

    def run(self, progress=lambda done, total: None):
        for login in (author["login"] for author in self.export.authors):
            self.user(login)
        for slug, name in self.export.categories:
            self.category(slug, name)
        work = self.export.of_type("post") + self.export.of_type("page")
        for done, item in enumerate(work, start=1):
            if item.post_type == "post":
                self.import_post(item)
            else:
                self.import_page(item)
            progress(done, len(work))
        return self.summary

    def user(self, login):
        if login not in self._users:
            data = next((a for a in self.export.authors if a["login"] == login), {"login": login})
            users = get_user_model()
            user, created = users.objects.get_or_create(
                username=login[:150],
                defaults={
                    "email": data.get("email", ""),
                    "first_name": data.get("first_name", "")[:150],
                    "last_name": data.get("last_name", "")[:150],
                    "is_staff": True,
                },
            )
            if created:
                # Writers log in once an editor sets them a password.
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(Group.objects.get_or_create(name="Author")[0])
            self.summary.authors.created += created
            self.summary.authors.unchanged += not created
            self._users[login] = user
        return self._users[login]

    def category(self, slug, name):
        slug = slugify(slug or name)[:100] or "uncategorized"
        if slug not in self._categories:
            name = plain_text(name) or slug.replace("-", " ").capitalize()
            category = (
                Category.objects.filter(slug=slug).first()
                or Category.objects.filter(name__iexact=name).first()
            )
            if category is None:
                category = Category.objects.create(slug=slug, name=name[:100])
                self.summary.categories.created += 1
            else:
                self.summary.categories.unchanged += 1
            self._categories[slug] = category
        return self._categories[slug]

    def import_post(self, item):
        if item.status in STATUSES:
            status = STATUSES[item.status]
        elif item.status in DRAFT_STATUSES:
            status = Post.Status.DRAFT
        else:  # private, trash, auto-draft: not for readers, not worth an editor's time.
            self.summary.posts.skipped += 1
            return
        slug = base_slug(item)
        post = (
            Post.objects.filter(wordpress_id=item.wp_id).first()
            or Post.objects.filter(slug=slug, wordpress_id=None).first()
            or Post(wordpress_id=item.wp_id)
        )
        created = post.pk is None
        if slug in RESERVED_SLUGS:
            self.summary.warnings.append(
                f"“{item.title}”: /{slug}/ belongs to another part of the site; "
                f"imported as /{slug}-article/."
            )
            slug = f"{slug}-article"
        if Post.objects.filter(slug=slug).exclude(pk=post.pk).exists():
            slug = f"{slug}-{item.wp_id}"
        first_category = item.categories[0] if item.categories else ("uncategorized", "")
        values = {
            "wordpress_id": item.wp_id,
            "title": plain_text(item.title)[:200] or f"Untitled (WordPress {item.wp_id})",
            "slug": slug,
            "excerpt": plain_text(item.excerpt),
            "body": sanitize_html(self.with_local_images(content_to_html(item.content))),
            "author_id": self.user(item.author).pk,
            "category_id": self.category(*first_category).pk,
            "status": status,
            "published_at": item.date_gmt if status == Post.Status.PUBLISHED else None,
        }
        changed = [name for name, value in values.items() if getattr(post, name) != value]
        image = self.featured_image(item, post)
        tags = sorted({plain_text(name) for _, name in item.tags if plain_text(name)})
        tags_changed = created or sorted(post.tags.names()) != tags
        if not (changed or image or tags_changed):
            self.summary.posts.unchanged += 1
            return
        for name in changed:
            setattr(post, name, values[name])
        if image and self.write_files:
            post.featured_image, post.featured_image_alt = image
        post._change_reason = "Imported from WordPress"
        post.save()
        if image and self.write_files:
            self.stored_files.append(post.featured_image.name)
        if tags_changed:
            post.tags.set(tags)
        if created:
            # Keep WordPress's timestamps, or every imported article would look new.
            Post.objects.filter(pk=post.pk).update(
                created_at=item.date_gmt or timezone.now(),
                updated_at=item.modified_gmt or item.date_gmt or timezone.now(),
            )
        self.keep_old_link(item, post)
        tally = self.summary.posts
        tally.created, tally.updated = tally.created + created, tally.updated + (not created)

    def keep_old_link(self, item, post):
        """Redirect the old permalink when it differs from the post's address here."""
        old_path = urlsplit(item.link).path
        if post.is_published and old_path and "?" not in item.link:
            new_path = post.get_absolute_url()
            if old_path.rstrip("/") + "/" != new_path:
                redirects.record_move(old_path, new_path)

    def import_page(self, item):
        if item.status != "publish":
            self.summary.pages.skipped += 1
            return
        path = urlsplit(item.link).path if item.link.startswith(self.export.site_url) else ""
        url = "/" + (path.strip("/") or slugify(item.slug or item.title)) + "/"
        values = {
            "title": plain_text(item.title)[:200],
            "content": sanitize_html(self.with_local_images(content_to_html(item.content))),
        }
        page = FlatPage.objects.filter(url=url).first()
        if page and all(getattr(page, name) == value for name, value in values.items()):
            self.summary.pages.unchanged += 1
            return
        created = page is None
        page = page or FlatPage(url=url)
        for name, value in values.items():
            setattr(page, name, value)
        page.save()
        page.sites.add(Site.objects.get(pk=settings.SITE_ID))
        self.summary.pages.created += created
        self.summary.pages.updated += not created

    # Images

    def featured_image(self, item, post):
        """(file, alt text) for the post's featured image when it is new to the post, else None."""
        attachment = self.attachments.get(int(item.meta.get("_thumbnail_id") or 0))
        if attachment is None:
            return None
        source = self.local_file(attachment.attachment_url)
        if source is None:
            return None
        digest = file_digest(source)
        if post.featured_image and post.featured_image.name.endswith(f"-{digest}{source.suffix}"):
            return None
        alt = (
            attachment.meta.get("_wp_attachment_image_alt")
            or plain_text(attachment.title)
            or plain_text(item.title)
        )
        upload = self.checked_upload(source, f"{source.stem}-{digest}{source.suffix}")
        return (upload, alt[:250]) if upload else None

    def with_local_images(self, body):
        """Point <img> tags at copies of the old site's uploads found in --media-dir."""

        def replace(match):
            url = match.group(1)
            if UPLOADS_MARKER not in url:
                return match.group(0)
            source = self.local_file(url)
            if source is None:
                return match.group(0)
            relative = url.split(UPLOADS_MARKER, 1)[1]
            name = f"{CONTENT_IMAGES_FOLDER}/{PurePosixPath(unquote(relative))}"
            if not default_storage.exists(name):
                upload = self.checked_upload(source, PurePosixPath(name).name)
                if upload is None:
                    return match.group(0)
                if self.write_files:
                    name = default_storage.save(name, upload)
                    self.stored_files.append(name)
            return f'src="{default_storage.url(name)}"'

        return re.sub(r'src="([^"]+)"', replace, body)

    def local_file(self, url):
        """The file in --media-dir for an upload URL of the old site, or None (noted)."""
        if UPLOADS_MARKER not in url:
            return None
        relative = unquote(url.split(UPLOADS_MARKER, 1)[1])
        # WordPress links resized copies (photo-1024x683.jpg); the original may be all we have.
        candidates = [relative, re.sub(r"-\d+x\d+(\.\w+)$", r"\1", relative)]
        for candidate in candidates if self.media_dir else []:
            path = (self.media_dir / candidate).resolve()
            if path.is_relative_to(self.media_dir.resolve()) and path.is_file():
                return path
        if url not in self.summary.images_missing:
            self.summary.images_missing.append(url)
        return None

    def checked_upload(self, source, name):
        with source.open("rb") as file:
            upload = File(file, name=name)
            try:
                validate_image(upload)
            except ValidationError as error:
                self.summary.warnings.append(f"{source.name}: {' '.join(error.messages)}")
                return None
            cleaned = clean_image(upload)
            content = ContentFile(cleaned.read(), name=name)
        self.summary.images_copied += 1
        return content

    def discard_files(self):
        """Delete the files this import stored; for when its transaction was rolled back."""
        for name in self.stored_files:
            renditions.delete_image(name)


def file_digest(path):
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:12]
