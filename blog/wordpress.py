"""
Reading a WordPress export (WXR, from Tools → Export) and turning its posts, pages, authors,
categories, tags and images into ours. `manage.py import_wordpress` drives it.

The file is read twice, streaming: a first pass checks all of it (well-formed, no DTD or
entities, a WXR version we know) and keeps a small index (ids, types, parents, addresses and
what galleries need of each attachment) before anything is written; the second pass imports
item by item. Memory stays bounded by the index, not by the size of the posts.

What an import never does: overwrite content it did not make (a clash is imported beside it
and named), overwrite what an editor changed since the last import, or make public anything
that was not public on WordPress (drafts, private and password-protected posts).
"""

import hashlib
import html
import http.client
import json
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

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
from django.dispatch import Signal
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.models import Tag

import pagecache

from . import media_library, outbound, redirects, renditions
from .html import sanitize_html
from .images import MAX_UPLOAD_BYTES, clean_image, validate_image
from .models import RESERVED_SLUGS, Category, ImportedItem, Post
from .wordpress_content import Attachment, content_to_html

CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
# WXR 1.0 to 1.2 differ only in their namespace; WordPress.com writes it with https.
WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/([0-9.]+)/$")
WXR_VERSIONS = ("1.0", "1.1", "1.2")
UPLOADS_MARKER = "/wp-content/uploads/"
# The folder in our media storage that imported in-article images go to, by their WP path.
CONTENT_IMAGES_FOLDER = "uploads/wordpress"
# WordPress's own machinery, not content: menus, templates, styles, revisions, caches.
STRUCTURE_TYPES = {
    "nav_menu_item", "wp_navigation", "wp_template", "wp_template_part", "wp_global_styles",
    "wp_block", "wp_font_family", "wp_font_face", "custom_css", "customize_changeset",
    "oembed_cache", "revision", "user_request", "jp_sitemap", "jp_img_sitemap",
}  # fmt: skip
MISSING_AUTHOR = "wordpress-import"
# Addresses a post may not take because the site's own pages live there; an import may.
PAGE_SLUGS = {"about", "contact", "privacy-policy", "medical-disclaimer"}

# Sent with user, login and bio for each new writer account: the people app gives them a
# profile at WordPress's author address.
author_imported = Signal()


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
    published: datetime | None
    modified: datetime | None
    content: str
    excerpt: str
    parent_id: int
    password: str = ""
    sticky: bool = False
    comments: int = 0
    categories: list = field(default_factory=list)  # (slug, name) pairs
    tags: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    attachment_url: str = ""

    @property
    def label(self):
        return f"“{plain_text(self.title) or '(no title)'}” (WordPress id {self.wp_id})"


@dataclass
class Listed:
    """What the index keeps of every item: enough for addresses, parents and galleries."""

    post_type: str
    status: str
    slug: str
    link: str
    parent_id: int


class Export:
    """
    A WordPress export file, checked and indexed on creation (or WordPressImportError); its
    items are read again, one at a time, by items().
    """

    def __init__(self, path):
        self.path = Path(path)
        self.title = self.site_url = self.version = ""
        self.namespace = None
        self.authors, self.categories, self.tags = [], [], []
        self.listed = {}  # WordPress id -> Listed
        self.attachments = {}  # WordPress id -> Attachment
        self.unreadable = []  # items without a usable id, by title
        self.item_count = 0
        self._index()

    # The first pass

    def _elements(self):
        """(depth, element) for each complete child of <channel>, freed once handled."""
        channel, depth = None, 0
        try:
            events = SafeElementTree.iterparse(
                str(self.path), events=("start", "end", "start-ns"), forbid_dtd=True
            )
            for event, element in events:
                if event == "start-ns":
                    prefix, uri = element
                    if prefix == "wp" and self.namespace is None:
                        self.namespace = uri
                    continue
                if event == "start":
                    depth += 1
                    if depth == 2 and element.tag == "channel":
                        channel = element
                    continue
                depth -= 1
                if depth == 2 and channel is not None:
                    yield element
                    channel.remove(element)
        except DefusedXmlException as error:
            raise WordPressImportError(
                f"{self.path} declares a DTD or entities ({type(error).__name__}). WordPress "
                "exports never do; such files can hide entity bombs or read files from this "
                "server, so it was refused and nothing was imported."
            ) from None
        except SafeElementTree.ParseError as error:
            raise WordPressImportError(
                f"{self.path} is not well-formed XML ({error}). Export it from WordPress again; "
                "nothing was imported."
            ) from None
        except OSError as error:
            raise WordPressImportError(f"Cannot read {self.path}: {error.strerror}.") from None
        if channel is None:
            raise WordPressImportError(
                f"{self.path} is XML but not a WordPress export: it has no <channel>. Use the "
                "file from WordPress's Tools → Export."
            )

    def _index(self):
        for element in self._elements():
            tag = element.tag
            if tag == "item":
                self._list_item(element)
                continue
            if tag == "title":
                self.title = (element.text or "").strip()
            elif tag == "link" and not self.site_url:
                self.site_url = (element.text or "").strip()
            if not tag.startswith("{"):
                continue
            namespace, name = tag[1:].split("}")
            if name == "wxr_version":
                self._check_version(namespace, (element.text or "").strip())
            if namespace != self.namespace or not self.version:
                continue
            reader = self.reader
            if name == "base_blog_url":
                self.site_url = (element.text or "").strip() or self.site_url
            elif name == "author":
                self.authors.append(reader.author(element))
            elif name == "category":
                self.categories.append(reader.category(element))
            elif name == "tag":
                self.tags.append(
                    (
                        unquote(reader.text(element, "wp:tag_slug")),
                        reader.text(element, "wp:tag_name"),
                    )
                )
        if not self.version:
            raise WordPressImportError(
                f"{self.path} is XML but not a WordPress export: it has no <wp:wxr_version> "
                "(WordPress writes one at the top of every export). Use the file from "
                "WordPress's Tools → Export."
            )

    def _check_version(self, namespace, version):
        match = WXR_NAMESPACE.match(namespace)
        if not match:
            raise WordPressImportError(
                f"{self.path} has a <wxr_version> in the namespace “{namespace}”, which is not "
                "WordPress's (http://wordpress.org/export/1.2/). Use the file from WordPress's "
                "Tools → Export; nothing was imported."
            )
        if version not in WXR_VERSIONS or match.group(1) != version:
            raise WordPressImportError(
                f"{self.path} says it is WXR version “{version}” (namespace {namespace}); this "
                f"importer reads versions {', '.join(WXR_VERSIONS)}, as WordPress 2.1 and later "
                "write them. Nothing was imported."
            )
        self.namespace, self.version = namespace, version
        self.reader = ElementReader(namespace)

    def _list_item(self, element):
        self.item_count += 1
        if not self.version:
            raise WordPressImportError(
                f"{self.path} has items before its <wp:wxr_version>: it is not a WordPress "
                "export as WordPress writes them. Nothing was imported."
            )
        reader = self.reader
        wp_id = reader.integer(element, "wp:post_id")
        if not wp_id:
            title = reader.text(element, "title") or reader.text(element, "link") or "no title"
            self.unreadable.append(f"“{title}” (item {self.item_count})")
            return
        listed = Listed(
            post_type=reader.text(element, "wp:post_type") or "post",
            status=reader.text(element, "wp:status"),
            slug=unquote(reader.text(element, "wp:post_name")),
            link=reader.text(element, "link"),
            parent_id=reader.integer(element, "wp:post_parent"),
        )
        self.listed[wp_id] = listed
        if listed.post_type == "attachment":
            meta = reader.meta(element)
            self.attachments[wp_id] = Attachment(
                url=reader.text(element, "wp:attachment_url") or reader.text(element, "guid"),
                title=plain_text(reader.text(element, "title")),
                caption=plain_text(reader.text(element, "excerpt:encoded")),
                alt=plain_text(meta.get("_wp_attachment_image_alt", "")),
                parent_id=listed.parent_id,
            )

    # The second pass

    def items(self):
        """Every item with a usable id, in the file's order, read one at a time."""
        for element in self._elements():
            if element.tag == "item" and self.reader.integer(element, "wp:post_id"):
                yield self.reader.item(element)

    def count(self, post_type):
        return sum(1 for listed in self.listed.values() if listed.post_type == post_type)


class ElementReader:
    def __init__(self, wp_namespace):
        self.namespaces = {
            "content": CONTENT,
            "dc": DC,
            "wp": wp_namespace,
            "excerpt": wp_namespace + "excerpt/",
        }

    def text(self, element, path):
        found = element.find(path, self.namespaces)
        return (found.text or "").strip() if found is not None else ""

    def integer(self, element, path):
        value = self.text(element, path)
        return int(value) if value.isdigit() else 0

    def meta(self, element):
        return {
            self.text(meta, "wp:meta_key"): self.text(meta, "wp:meta_value")
            for meta in element.findall("wp:postmeta", self.namespaces)
        }

    def author(self, element):
        return {
            "login": self.text(element, "wp:author_login"),
            "email": self.text(element, "wp:author_email"),
            "display_name": self.text(element, "wp:author_display_name"),
            "first_name": self.text(element, "wp:author_first_name"),
            "last_name": self.text(element, "wp:author_last_name"),
            "description": self.text(element, "wp:author_description"),
        }

    def category(self, element):
        return {
            "term_id": self.integer(element, "wp:term_id"),
            "slug": unquote(self.text(element, "wp:category_nicename")),
            "parent": unquote(self.text(element, "wp:category_parent")),
            "name": self.text(element, "wp:cat_name"),
            "description": self.text(element, "wp:category_description"),
        }

    def item(self, element):
        categories, tags = [], []
        for term in element.findall("category"):
            name = (term.text or "").strip()
            pair = (unquote(term.get("nicename", "")), name)
            # WXR 1.0 writes tags as domain="tag" and categories without a domain.
            if term.get("domain") in ("post_tag", "tag"):
                tags.append(pair)
            elif term.get("domain") in ("category", None):
                categories.append(pair)
        comments = [
            c
            for c in element.findall("wp:comment", self.namespaces)
            if self.text(c, "wp:comment_approved") == "1"
        ]
        return Item(
            wp_id=self.integer(element, "wp:post_id"),
            post_type=self.text(element, "wp:post_type") or "post",
            status=self.text(element, "wp:status"),
            title=self.text(element, "title"),
            slug=unquote(self.text(element, "wp:post_name")),
            link=self.text(element, "link"),
            author=self.text(element, "dc:creator"),
            published=publication_time(
                self.text(element, "wp:post_date_gmt"),
                self.text(element, "wp:post_date"),
                self.text(element, "pubDate"),
            ),
            modified=publication_time(
                self.text(element, "wp:post_modified_gmt"), self.text(element, "wp:post_modified")
            ),
            content=self.text(element, "content:encoded"),
            excerpt=self.text(element, "excerpt:encoded"),
            parent_id=self.integer(element, "wp:post_parent"),
            password=self.text(element, "wp:post_password"),
            sticky=self.text(element, "wp:is_sticky") == "1",
            comments=len(comments),
            categories=categories,
            tags=tags,
            meta=self.meta(element),
            attachment_url=self.text(element, "wp:attachment_url"),
        )


def publication_time(gmt, local="", rss=""):
    """
    When WordPress published the item: its UTC time, else its local time (taken to be this
    site's time zone), else the RSS pubDate, else None. WordPress writes "0000-00-00 00:00:00"
    for "none", as in drafts and in some exports of published posts.
    """
    for value, zone in ((gmt, UTC), (local, ZoneInfo(settings.TIME_ZONE))):
        if value and not value.startswith("0000"):
            try:
                return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
            except ValueError:
                continue
    try:
        return parsedate_to_datetime(rss).astimezone(UTC) if rss else None
    except (TypeError, ValueError):
        return None


def plain_text(value):
    return " ".join(html.unescape(strip_tags(value or "")).split())


def read_export(path):
    """Check and index a WXR file: an Export, or WordPressImportError."""
    return Export(path)


# Importing


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    reasons: Counter = field(default_factory=Counter)  # why items were skipped or hidden

    def skip(self, reason):
        self.skipped += 1
        self.reasons[reason] += 1

    def __str__(self):
        parts = [f"{self.created} new", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        return ", ".join(parts + ([f"{self.skipped} skipped"] if self.skipped else []))


@dataclass
class Summary:
    posts: Tally = field(default_factory=Tally)
    pages: Tally = field(default_factory=Tally)
    categories: Tally = field(default_factory=Tally)
    tags: Tally = field(default_factory=Tally)
    authors: Tally = field(default_factory=Tally)
    hidden: list = field(default_factory=list)  # (kind, label, why, what it became)
    clashes: list = field(default_factory=list)  # imported beside existing content
    kept_edits: list = field(default_factory=list)  # changed here since the last import
    changes: list = field(default_factory=list)  # (label, [what the conversion changed])
    images_copied: int = 0
    images_missing: dict = field(default_factory=dict)  # URL -> labels of items using it
    download_failures: dict = field(default_factory=dict)  # URL -> why it could not be fetched
    comments: int = 0
    commented_items: int = 0
    other_types: Counter = field(default_factory=Counter)  # content types we do not import
    structure_items: int = 0
    warnings: list = field(default_factory=list)


def digest(values):
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()


class Importer:
    """
    Imports an Export into the database. What each WordPress item became is kept in
    ImportedItem, so a second run finds it, changes only what changed in WordPress, and
    leaves alone what an editor changed here since. Run it inside a transaction (the
    command does).
    """

    def __init__(self, export, media_dir=None, write_files=True, download=False):
        self.export = export
        self.media_dir = Path(media_dir) if media_dir else None
        self.write_files = write_files
        self.download = download  # Fetch uploads missing from media_dir from the old site.
        self._downloads = {}  # upload URL -> Path of the fetched copy, or None
        self._download_dir = None
        self._host_failures = Counter()
        self.summary = Summary()
        self.stored_files = []  # For clean-up if the transaction is rolled back.
        self.site = Site.objects.get(pk=settings.SITE_ID)
        self.site_host = urlsplit(export.site_url).hostname or ""
        self._users = {}
        self._categories = {}  # WordPress slug -> Category
        self._tags = {}  # lower-case name -> Tag
        self._copied = {}  # upload URL -> our URL, for images already copied in this run
        self._published_paths = {}  # WordPress id -> our address, of public posts and pages
        self._attachments_by_path = None  # upload path -> Attachment, made when first needed

    def run(self, progress=lambda done, total: None):
        with pagecache.changes_batched():  # One new page-cache generation, not two per save.
            for label in self.export.unreadable:
                self.summary.warnings.append(
                    f"{label} has no WordPress id (<wp:post_id>), so it was not imported."
                )
            self.import_categories()
            self.import_tags()
            total = self.export.count("post") + self.export.count("page")
            done = 0
            for item in self.export.items():
                if item.post_type in ("post", "page"):
                    self.count_comments(item)
                    self.import_post(item) if item.post_type == "post" else self.import_page(item)
                    done += 1
                    progress(done, total)
                elif item.post_type == "attachment":
                    pass  # Indexed already; their addresses are dealt with below.
                elif item.post_type in STRUCTURE_TYPES:
                    self.summary.structure_items += 1
                else:
                    self.summary.other_types[item.post_type] += 1
            self.import_attachments()
        return self.summary

    def count_comments(self, item):
        if item.comments:
            self.summary.comments += item.comments
            self.summary.commented_items += 1

    # Authors

    def user(self, login, label=""):
        if not login:
            if label:
                self.summary.warnings.append(
                    f"{label} has no author in the export; it was given to the account "
                    f"“{MISSING_AUTHOR}”. Choose its author in Admin → Posts."
                )
            login = MISSING_AUTHOR
        if login not in self._users:
            data = next((a for a in self.export.authors if a["login"] == login), {})
            first, last = data.get("first_name", ""), data.get("last_name", "")
            if not (first or last) and data.get("display_name"):
                first, _, last = data["display_name"].partition(" ")
            if login == MISSING_AUTHOR:
                first, last = "WordPress", "import"
            username, user = self.account_of(login, data.get("email", ""))
            created = user is None
            if created:
                user = get_user_model().objects.create(
                    username=username,
                    email=data.get("email", ""),
                    first_name=first[:150],
                    last_name=last[:150],
                    is_staff=True,
                )
            if created:
                # Writers log in once an editor sets them a password.
                user.set_unusable_password()
                user.save(update_fields=["password"])
                user.groups.add(Group.objects.get_or_create(name="Author")[0])
                if login != MISSING_AUTHOR:
                    author_imported.send(
                        self.__class__,
                        user=user,
                        login=login,
                        bio=plain_text(data.get("description", "")),
                    )
            self.summary.authors.created += created
            self.summary.authors.unchanged += not created
            self._users[login] = user
        return self._users[login]

    def account_of(self, login, email):
        """
        (username, the account or None) for a WordPress author: the account of that login
        when it is the same person (the same e-mail address), else a new one beside it, as
        this site's "admin" is seldom the old blog's "admin".
        """
        users = get_user_model().objects
        base = login[:130]
        candidates = [base, f"{base}-wordpress", *(f"{base}-wordpress-{n}" for n in range(2, 50))]
        for username in candidates:
            user = users.filter(username=username).first()
            if user is None:
                if username != base:
                    self.summary.warnings.append(
                        f"WordPress author “{login}” is not this site's account “{base}” (their "
                        f"e-mail addresses differ); their articles are credited to a new "
                        f"account “{username}”."
                    )
                return username, None
            if user.email.lower() == email.lower():
                return username, user
        raise WordPressImportError(f"Too many accounts are called “{base}…”; rename some.")

    # Categories and tags

    def import_categories(self):
        """Categories with their hierarchy, parents first, each keeping its WordPress slug."""
        pending = {c["slug"] or slugify(c["name"]): c for c in self.export.categories}
        while pending:
            ready = [
                s for s, c in pending.items() if c["parent"] not in pending or c["parent"] == s
            ]
            for slug in ready or list(pending)[:1]:  # A parent loop: break it anywhere.
                data = pending.pop(slug)
                self.category(slug, data["name"], data)

    def category(self, wp_slug, name, data=None):
        data = data or {}
        wp_slug = wp_slug or slugify(name, allow_unicode=True)
        if wp_slug in self._categories:
            return self._categories[wp_slug]
        term_id = data.get("term_id") or 0
        record = ImportedItem.objects.filter(kind="category", wordpress_id=term_id).first()
        category = record and Category.objects.filter(pk=record.object_id).first()
        slug = slugify(wp_slug, allow_unicode=True)[:100] or "uncategorized"
        tally = self.summary.categories
        if category is None:
            category = Category.objects.filter(slug=slug).first()
            if category is not None:
                tally.unchanged += 1
            else:
                parent = self._categories.get(data.get("parent"))
                name = plain_text(name) or slug.replace("-", " ").capitalize()
                category = Category.objects.create(
                    slug=slug,
                    name=name[:100],
                    parent=parent,
                    description=plain_text(data.get("description", "")),
                )
                tally.created += 1
            if (
                term_id
                and not ImportedItem.objects.filter(kind="category", wordpress_id=term_id).exists()
            ):
                ImportedItem.objects.create(
                    kind="category", wordpress_id=term_id, object_id=category.pk
                )
        else:
            tally.unchanged += 1
        if category.slug != slug:
            redirects.record_move(
                f"/category/{escape_uri_path(slug)}/", category.get_absolute_url()
            )
        self._categories[wp_slug] = category
        return category

    def import_tags(self):
        for wp_slug, name in self.export.tags:
            self.tag(name, wp_slug)

    def tag(self, name, wp_slug=""):
        """The tag of that name (in any case), made with WordPress's slug when it is new."""
        name = plain_text(name)[:100]
        if not name:
            return None
        if name.lower() in self._tags:
            return self._tags[name.lower()]
        tag = Tag.objects.filter(name__iexact=name).first()
        slug = slugify(wp_slug, allow_unicode=True)[:100]
        if tag is None:
            free = slug and not Tag.objects.filter(slug=slug).exists()
            tag = Tag.objects.create(name=name, slug=slug if free else "")
            self.summary.tags.created += 1
        else:
            self.summary.tags.unchanged += 1
        self._tags[name.lower()] = tag
        if slug and tag.slug != slug and not Tag.objects.filter(slug=slug).exists():
            redirects.record_move(
                f"/tag/{escape_uri_path(slug)}/", f"/tag/{escape_uri_path(tag.slug)}/"
            )
        return tag

    # Posts

    def import_post(self, item):
        tally = self.summary.posts
        if item.status in ("trash", "auto-draft", "inherit"):
            tally.skip(f"{item.status} (never public, not worth keeping)")
            return
        status = Post.Status.RELEASED if item.status in ("publish", "future") else Post.Status.DRAFT
        hidden_because = self.hidden_reason(item)
        if hidden_because:
            status = Post.Status.DRAFT
            self.summary.hidden.append(("post", item.label, hidden_because, "a draft"))
        record = self.record_of("post", item)
        if record:
            post = Post.objects.filter(pk=record.object_id).first()
        elif not ImportedItem.objects.filter(kind="post", wordpress_id=item.wp_id).exists():
            post = Post.objects.filter(wordpress_id=item.wp_id).first()  # Imported before records.
        else:
            post = None  # The same id in another site's export: another post.
        created = post is None
        if created:
            taken = Post.objects.filter(wordpress_id=item.wp_id).exists()
            post = Post(wordpress_id=None if taken else item.wp_id, slug=self.new_post_slug(item))
        elif record and record.digest and record.digest != self.post_digest(post):
            tally.unchanged += 1
            self.summary.kept_edits.append(f"post {item.label} at {post.get_absolute_url()}")
            return
        conversion = self.convert(item)
        published_at = None
        if status == Post.Status.RELEASED:
            published_at = item.published or post.published_at or timezone.now()
            if not item.published and created:
                self.summary.warnings.append(
                    f"Post {item.label} has no publication date in the export; it was "
                    "published now. Set its publication time in Admin → Posts."
                )
        main_category, *other_categories = self.categories_of(item)
        values = {
            "title": plain_text(item.title)[:200] or f"Untitled (WordPress {item.wp_id})",
            "excerpt": plain_text(item.excerpt),
            "body": sanitize_html(conversion.html),
            "author_id": self.user(item.author, f"Post {item.label}").pk,
            "category_id": main_category.pk,
            "status": status,
            "published_at": published_at,
            "is_featured": item.sticky and status == Post.Status.RELEASED,
        }
        tags = self.tag_names(item)
        changed = [name for name, value in values.items() if getattr(post, name) != value]
        tags_changed = created or sorted(n.lower() for n in post.tags.names()) != sorted(
            n.lower() for n in tags
        )
        others = sorted(c.pk for c in other_categories)
        others_changed = created or others != sorted(c.pk for c in post.other_categories.all())
        image = self.featured_image(item, post)
        if not (changed or image or tags_changed or others_changed):
            tally.unchanged += 1
            self.keep_old_link(item, post)
            return
        for name in changed:
            setattr(post, name, values[name])
        if image and self.write_files:
            post.featured_image, post.featured_image_alt = image
        post._change_reason = "Imported from WordPress"
        post.save()
        # Not a picture the library had already: a rolled-back import must leave that alone.
        if image and self.write_files and not getattr(post, "reused_library_image", False):
            self.stored_files.append(post.featured_image.name)
        if image and self.write_files:
            self.describe_in_library(post.featured_image.name, self.featured_attachment(item))
        if tags_changed:
            post.tags.set(tags)
        if others_changed:
            post.other_categories.set(others)
        if created:
            # Keep WordPress's timestamps, or every imported article would look new.
            Post.objects.filter(pk=post.pk).update(
                created_at=item.published or timezone.now(),
                updated_at=item.modified or item.published or timezone.now(),
                next_review_on=post.first_review_due(timezone.localdate()),
            )
            if conversion.changes:
                self.summary.changes.append((f"Post {item.label}", conversion.changes))
        self.remember("post", item, record, post.pk, self.post_digest(post))
        self.keep_old_link(item, post)
        tally.created, tally.updated = tally.created + created, tally.updated + (not created)

    @staticmethod
    def record_of(kind, item):
        """What an earlier import made of this item: same id, and the same slug or date."""
        for record in ImportedItem.objects.filter(kind=kind, wordpress_id=item.wp_id):
            if record.wordpress_slug == item.slug or (
                item.published and record.wordpress_date == item.published
            ):
                return record
        return None

    @staticmethod
    def remember(kind, item, record, object_id, digest):
        record = record or ImportedItem(kind=kind, wordpress_id=item.wp_id)
        record.object_id, record.digest = object_id, digest
        record.wordpress_slug, record.wordpress_date = item.slug[:200], item.published
        record.save()

    def hidden_reason(self, item):
        """Why WordPress showed this post or page to nobody but its editors, or ""."""
        if item.password:
            return "password-protected"
        if item.status in ("draft", "pending", "private"):
            return {"pending": "pending review"}.get(item.status, item.status)
        if item.status not in ("publish", "future"):
            return f"status “{item.status}”"
        return ""

    @staticmethod
    def post_digest(post):
        return digest(
            {
                "title": post.title,
                "slug": post.slug,
                "excerpt": post.excerpt,
                "body": post.body,
                "category": post.category_id,
                "other_categories": sorted(c.pk for c in post.other_categories.all())
                if post.pk
                else [],
                "status": post.status,
                "published_at": post.published_at,
                "tags": sorted(n.lower() for n in post.tags.names()) if post.pk else [],
            }
        )

    def new_post_slug(self, item):
        base = (
            slugify(item.slug, allow_unicode=True)[:190]
            or slugify(plain_text(item.title), allow_unicode=True)[:190]
            or f"post-{item.wp_id}"
        )
        if base in RESERVED_SLUGS or re.fullmatch(r"[0-9]{4}", base):
            self.summary.clashes.append(
                f"Post {item.label}: /{base}/ belongs to another part of the site; imported "
                f"at /{base}-article/."
            )
            base = f"{base}-article"
        slug, n = base, 2
        while (
            Post.objects.filter(slug=slug).exists()
            or FlatPage.objects.filter(url=f"/{slug}/").exists()
        ):
            slug, n = f"{base}-{n}", n + 1
        if slug != base:
            existing = Post.objects.filter(slug=base).first()
            what = f"the article “{existing}”" if existing else f"the page /{base}/"
            self.summary.clashes.append(
                f"Post {item.label}: /{base}/ is already {what}; imported beside it at "
                f"/{slug}/. Compare the two and delete or redirect one."
            )
        return slug

    def categories_of(self, item):
        """
        The item's categories, its main one first: the one an SEO plugin (Yoast, Rank Math)
        marked primary, else the first listed. WordPress has no main category; ours names
        the article's address and trail, and the others list it too.
        """
        pairs = list(dict.fromkeys(item.categories)) or [("uncategorized", "Uncategorized")]
        primary_id = next(
            (
                int(item.meta[key])
                for key in ("_yoast_wpseo_primary_category", "rank_math_primary_category")
                if item.meta.get(key, "").isdigit()
            ),
            0,
        )
        primary_slug = primary_id and next(
            (c["slug"] for c in self.export.categories if c["term_id"] == primary_id), None
        )
        pairs.sort(key=lambda pair: pair[0] != primary_slug)  # Stable: else the first stays.
        return list(dict.fromkeys(self.category(*pair) for pair in pairs))

    def tag_names(self, item):
        """The item's tag names, once each whatever their case ("tags" and "Tags" are one)."""
        names = {}
        for wp_slug, name in item.tags:
            tag = self.tag(name, wp_slug)
            if tag is not None:
                names.setdefault(tag.name.lower(), tag.name)
        return sorted(names.values())

    def keep_old_link(self, item, post):
        """Redirect the old permalink when it differs from the post's address here."""
        if post.is_published:
            self._published_paths[item.wp_id] = post.get_absolute_url()
            self.redirect_old_link(item.link, post.get_absolute_url())

    def redirect_old_link(self, link, new_path):
        old_path = old_site_path(link)
        if (
            old_path
            and old_path != new_path
            and not self.served_here(old_path)
            and redirects.redirect_target_of(old_path) != new_path
        ):
            redirects.record_move(old_path, new_path)

    def convert(self, item):
        conversion = content_to_html(
            item.content, self.export.attachments, item.wp_id, item.meta.get("footnotes", "")
        )
        conversion.html = self.with_local_images(conversion.html, item.label)
        return conversion

    @staticmethod
    def served_here(path):
        """True when one of the site's own views answers at path (/search/, /feed/)."""
        try:
            return resolve(unquote(path)).url_name not in ("post_detail", "category_detail")
        except Resolver404:
            return False

    # Pages

    def import_page(self, item):
        tally = self.summary.pages
        if item.status in ("trash", "auto-draft", "inherit"):
            tally.skip(f"{item.status} (never public, not worth keeping)")
            return
        hidden_because = self.hidden_reason(item)
        record = self.record_of("page", item)
        page = record and FlatPage.objects.filter(pk=record.object_id).first()
        if hidden_because:
            self.summary.hidden.append(
                ("page", item.label, hidden_because, "a page only logged-in staff can open")
            )
        if page and record.digest and record.digest != self.page_digest(page):
            tally.unchanged += 1
            self.summary.kept_edits.append(f"page {item.label} at {page.url}")
            self.keep_old_page_link(item, page)
            return
        conversion = self.convert(item)
        values = {
            "title": plain_text(item.title)[:200] or f"Untitled (WordPress {item.wp_id})",
            "content": sanitize_html(conversion.html),
            "registration_required": bool(hidden_because),
        }
        created = not page
        if created:
            page = FlatPage(url=self.new_page_url(item))
        elif all(getattr(page, name) == value for name, value in values.items()):
            tally.unchanged += 1
            self.keep_old_page_link(item, page)
            return
        for name, value in values.items():
            setattr(page, name, value)
        page.save()
        page.sites.add(self.site)
        if created and conversion.changes:
            self.summary.changes.append((f"Page {item.label}", conversion.changes))
        self.remember("page", item, record, page.pk, self.page_digest(page))
        self.keep_old_page_link(item, page)
        tally.created, tally.updated = tally.created + created, tally.updated + (not created)

    @staticmethod
    def page_digest(page):
        return digest([page.url, page.title, page.content, page.registration_required])

    def keep_old_page_link(self, item, page):
        if not page.registration_required:
            self._published_paths[item.wp_id] = page.get_absolute_url()
            self.redirect_old_link(item.link, page.get_absolute_url())

    def page_path(self, wp_id, seen=()):
        """A page's path on the old site: from its link, or from its parents and slug."""
        listed = self.export.listed.get(wp_id)
        if listed is None or wp_id in seen:
            return ""
        path = old_site_path(listed.link, decoded=True)
        if path and path != "/":
            return path
        parent = self.page_path(listed.parent_id, (*seen, wp_id)) if listed.parent_id else "/"
        slug = slugify(listed.slug, allow_unicode=True) or f"page-{wp_id}"
        return f"{parent.rstrip('/')}/{slug}/"

    def new_page_url(self, item):
        base = self.page_path(item.wp_id) or f"/page-{item.wp_id}/"
        url, n = base, 2
        while (used_by := self.address_user(url)) is not None:
            if url == base:
                reason = used_by
            url, n = f"{base.rstrip('/')}-{n}/", n + 1
        if url != base:
            self.summary.clashes.append(
                f"Page {item.label}: {base} is already {reason}; imported beside it at {url}. "
                "Compare the two and delete or redirect one."
            )
        return url

    def address_user(self, url):
        """What already answers at url (in words), or None when it is free for a page."""
        existing = FlatPage.objects.filter(url=url).first()
        if existing:
            return f"the page “{existing.title}”"
        try:
            match = resolve(url)
        except Resolver404:
            return None
        if match.url_name != "post_detail":
            return "used by another part of the site"
        existing = Post.objects.filter(slug=match.kwargs["slug"]).first()
        if existing:
            return f"the article “{existing}”"
        if match.kwargs["slug"] in RESERVED_SLUGS - PAGE_SLUGS:
            return "used by another part of the site"
        return None

    # Attachments: their pages (/?attachment_id=12, /2024/03/post/photo/) lead to their post.

    def import_attachments(self):
        for wp_id, attachment in self.export.attachments.items():
            listed = self.export.listed[wp_id]
            target = self._published_paths.get(attachment.parent_id, "")
            file_url = self._copied.get(attachment.url, "")
            record = ImportedItem.objects.filter(kind="attachment", wordpress_id=wp_id).first()
            record = record or ImportedItem(kind="attachment", wordpress_id=wp_id)
            if (record.parent_wordpress_id, record.file_url) != (attachment.parent_id, file_url):
                record.parent_wordpress_id, record.file_url = attachment.parent_id, file_url
                record.save()
            if target or file_url:
                self.redirect_old_link(listed.link, target or file_url)

    # Images

    def featured_attachment(self, item):
        return self.export.attachments.get(int(item.meta.get("_thumbnail_id") or 0))

    def featured_image(self, item, post):
        """(file, alt text) for the post's featured image when it is new to the post, else None."""
        attachment = self.featured_attachment(item)
        if attachment is None:
            return None
        if post.featured_image:
            return None
        source = self.local_file(attachment.url)
        if source is None:
            self.note_missing(attachment.url, f"{item.label} (its featured image)")
            return None
        alt = attachment.alt or attachment.title or plain_text(item.title)
        name = f"{source.stem}-{file_digest(source)}{source.suffix}"
        upload = self.checked_upload(source, name)
        return (upload, alt[:250]) if upload else None

    def with_local_images(self, body, label):
        """Point <img> (and links to the full-size image) at copies found in --media-dir."""

        def replace(match):
            attribute, url = match.group(1), html.unescape(match.group(2))
            if attribute == "href" and not IMAGE_FILE.search(urlsplit(url).path):
                return match.group(0)
            local = self.local_image(url)
            if local is None:
                if attribute == "src" and url.startswith(("http://", "https://", "//")):
                    self.note_missing(url, label)
                return match.group(0)
            return f'{attribute}="{html.escape(local)}"'

        return re.sub(r'\b(src|href)="([^"]+)"', replace, body)

    def note_missing(self, url, label):
        users = self.summary.images_missing.setdefault(url, [])
        if label not in users:
            users.append(label)

    def local_image(self, url):
        """Our address of the copy of an upload of the old site, copying it if need be."""
        if url in self._copied:
            return self._copied[url]
        relative = upload_path(url, self.site_host)
        source = self.local_file(url) if relative else None
        if source is None:
            return None
        name = f"{CONTENT_IMAGES_FOLDER}/{PurePosixPath(relative)}"
        if not default_storage.exists(name):
            upload = self.checked_upload(source, PurePosixPath(name).name)
            if upload is None:
                return None
            if self.write_files:
                name = default_storage.save(name, upload)
                self.stored_files.append(name)
        if self.write_files:
            self.describe_in_library(name, self.attachment_of(relative))
        self._copied[url] = default_storage.url(name)
        return self._copied[url]

    def attachment_of(self, relative):
        """The attachment an upload path (of the original, or a resized copy) belongs to."""
        if self._attachments_by_path is None:
            self._attachments_by_path = {
                path: attachment
                for attachment in self.export.attachments.values()
                if (path := upload_path(attachment.url, self.site_host))
            }
        return self._attachments_by_path.get(relative) or self._attachments_by_path.get(
            RESIZED.sub(r"\2", relative)
        )

    @staticmethod
    def describe_in_library(name, attachment):
        """Put an imported image in the media library, described as WordPress described it."""
        details = {}
        if attachment is not None:
            details = {
                "alt": attachment.alt,
                "caption": attachment.caption,
                "title": attachment.title,
            }
        media_library.add_stored(name, **details)

    def local_file(self, url):
        """The file in --media-dir for an upload URL of the old site, or None."""
        relative = upload_path(url, self.site_host)
        if relative and self.media_dir:
            # WordPress links resized copies (photo-1024x683.jpg, photo-scaled.jpg); the
            # original may be all we have.
            original = RESIZED.sub(r"\2", relative)
            for candidate in dict.fromkeys([relative, original]):
                path = (self.media_dir / candidate).resolve()
                if path.is_relative_to(self.media_dir.resolve()) and path.is_file():
                    return path
        if relative and self.download:
            return self.downloaded(url, relative)
        return None

    def downloaded(self, url, relative):
        """
        A copy of an upload fetched from the old site, or None (the reason is kept for the
        summary). Only public web servers are asked (blog/outbound.py), and after a host fails
        to answer three times it is asked no more, so a site that has gone costs seconds.
        """
        parts = urlsplit(html.unescape(url))
        failure = None
        # As in local_file(): a resized copy (photo-1024x683.jpg) may be gone, its original not.
        for path in dict.fromkeys([parts.path, RESIZED.sub(r"\2", parts.path)]):
            address = urlunsplit((parts.scheme or "https", parts.netloc, path, "", ""))
            if address not in self._downloads:
                fetched = self.fetch_upload(address, parts.hostname, relative)
                self._downloads[address] = fetched
            copy, failure = self._downloads[address]
            if copy is not None:
                return copy
        self.summary.download_failures[url] = failure
        return None

    def fetch_upload(self, url, host, relative):
        """(path, None) for a fetched copy of the upload at url, else (None, why not)."""
        if self._host_failures[host] >= DOWNLOAD_GIVE_UP_AFTER:
            return None, f"{host} did not answer earlier"
        if self._download_dir is None:
            self._download_dir = Path(tempfile.mkdtemp(prefix="wordpress-uploads-")).resolve()
        target = (self._download_dir / relative).resolve()
        if not target.is_relative_to(self._download_dir):
            return None, "its address leaves the uploads folder"
        try:
            body = outbound.fetch(
                url,
                timeout=DOWNLOAD_TIMEOUT,
                headers={"User-Agent": "Back & Neck WordPress import"},
                max_bytes=MAX_UPLOAD_BYTES,
            )
        except (outbound.Refused, ValueError) as error:
            return None, str(error)
        except (OSError, http.client.HTTPException) as error:
            if not str(error).startswith(("HTTP", "larger")):  # The host answered those.
                self._host_failures[host] += 1
            return None, str(error) or type(error).__name__
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        return target, None

    def discard_downloads(self):
        """Delete the fetched copies (stored ones live on in the site's storage)."""
        if self._download_dir is not None:
            shutil.rmtree(self._download_dir, ignore_errors=True)

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


RESIZED = re.compile(r"-(\d+x\d+|scaled)(\.\w+)$")
DOWNLOAD_TIMEOUT = 15  # seconds
DOWNLOAD_GIVE_UP_AFTER = 3  # failures to connect to one host
IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|avif)$", re.IGNORECASE)


def upload_path(url, site_host=""):
    """
    Where an upload of the old site lies inside wp-content/uploads ("2024/03/photo.jpg"), for
    the addresses WordPress gives them: /wp-content/uploads/…, WordPress.com's
    <site>.files.wordpress.com/…, a multisite's /files/…, and Jetpack's i0.wp.com copies; any
    query string (?w=604) dropped. None for anything else.
    """
    parts = urlsplit(html.unescape(url))
    path = unquote(parts.path)
    host = parts.hostname or ""
    if UPLOADS_MARKER in path:
        return path.split(UPLOADS_MARKER, 1)[1] or None
    if host.endswith(".files.wordpress.com"):
        return path.lstrip("/") or None
    if site_host and host == site_host and path.startswith("/files/"):
        return path.removeprefix("/files/") or None
    return None


def old_site_path(link, decoded=False):
    """The path of an address on the old site, as a request for it arrives here (encoded), or
    decoded for a flat page's URL; "" for links by id (/?p=12), which are looked up instead."""
    parts = urlsplit(link)
    if parts.query or not parts.path:
        return ""
    path = re.sub(r"/{2,}", "/", unquote(parts.path))
    path = path if path.endswith("/") or "." in path.rsplit("/", 1)[-1] else path + "/"
    return path if decoded else escape_uri_path(path)


def file_digest(path):
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:12]
