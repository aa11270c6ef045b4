"""
The pre-publish checklist: rules computed from the content of an article.

Every rule returns a list of Check items. An ERROR is something readers would suffer (an image
a screen reader cannot describe, a broken link) and blocks publishing unless an editor confirms
an override; a WARNING and INFO are for the editor's judgement; PASS says what was checked. The
newsletter's own rules (newsletter/checklist.py) are built from the same pieces.
"""

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import EmailValidator, URLValidator
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from taggit.models import Tag

from siteconfig.models import SiteSettings

from . import readability, snippets
from .citations import find_citations
from .media_library import FEATURED_MIN_WIDTH, LibraryImage
from .models import WORDS_PER_MINUTE, CareCard, Category, Post
from .redirects import site_redirects

# What search results show before cutting text off (Google measures pixels; these are the
# usual character equivalents).
TITLE_MAX = 60
DESCRIPTION_MIN, DESCRIPTION_MAX = 70, 160

# Articles longer than this need key points.
KEY_POINTS_WORDS = 600

IMAGE_FILE = re.compile(r"\.(jpe?g|png|gif|webp|avif|svg|heic|tiff?|bmp)$", re.I)
CAMERA_NAME = re.compile(r"^(img|dsc|dscn|pxl|screenshot|image|photo|picture)[\s_-]*[\d_-]*$", re.I)
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption"}


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    PASS = "pass"


@dataclass(frozen=True)
class Check:
    level: Level
    message: str


@dataclass(frozen=True)
class Checklist:
    checks: list

    @property
    def errors(self):
        return [check for check in self.checks if check.level == Level.ERROR]

    @property
    def warnings(self):
        return [check for check in self.checks if check.level == Level.WARNING]

    @property
    def ready(self):
        return not self.errors

    @property
    def summary(self):
        counts = [(len(self.errors), "error"), (len(self.warnings), "warning")]
        parts = [f"{n} {word}{'s' if n > 1 else ''}" for n, word in counts if n]
        return ", ".join(parts) or "Ready"


def counted(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def error(message):
    return Check(Level.ERROR, message)


def warning(message):
    return Check(Level.WARNING, message)


class Outline(HTMLParser):
    """What the rules look at in a piece of HTML: headings, images, links and text blocks."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.headings, self.images, self.links, self.blocks = [], [], [], []
        self.link_texts = []  # The words of each link, in the order of self.links.
        self._text, self._in_link = [], False
        self.feed(html or "")
        self.close()
        self._end_block()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCKS:
            self._end_block()
        if tag == "img":
            self.images.append(attrs)
        elif tag == "a" and attrs.get("href") is not None:
            self.links.append(attrs["href"].strip())
            self.link_texts.append("")
            self._in_link = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_link = False
        if tag in BLOCKS:
            text = self._end_block()
            if re.fullmatch(r"h[1-6]", tag):
                self.headings.append((int(tag[1]), text))

    def handle_data(self, data):
        self._text.append(data)
        if self._in_link:
            self.link_texts[-1] += data

    def _end_block(self):
        text = " ".join("".join(self._text).split())
        self._text = []
        if text:
            self.blocks.append(text)
        return text


# Rules for any HTML -------------------------------------------------------------------------


def alt_text(outline, featured_image_alt=None, site=None):
    """Every image, and the featured image when there is one, has a meaningful description;
    empty alt text is right for an image the media library marks as decorative."""
    images = [(image.get("src", ""), image.get("alt")) for image in outline.images]
    if featured_image_alt is not None:
        images.insert(0, ("the featured image", featured_image_alt))
    checks = []
    for src, alt in images:
        name = PurePosixPath(unquote(urlsplit(src).path)).name or src or "an image"
        alt = (alt or "").strip()
        if not alt and site is not None and src in site.decorative_image_urls:
            continue
        if not alt:
            checks.append(error(f"Image “{name}” has no alt text: describe it for screen readers."))
        elif IMAGE_FILE.search(alt) or CAMERA_NAME.match(alt) or alt.lower() == name.lower():
            checks.append(error(f"Alt text “{alt}” is a file name: describe what the image shows."))
    if checks:
        return checks
    if not images:
        return [Check(Level.PASS, "No images to describe.")]
    return [Check(Level.PASS, f"Meaningful alt text on {counted(len(images), 'image')}.")]


def featured_image_width(post):
    """A featured image at least FEATURED_MIN_WIDTH wide, so it stays sharp on wide screens."""
    width = post.featured_image_width if post.featured_image else None
    if width and width < FEATURED_MIN_WIDTH:
        return [
            warning(
                f"The featured image is {width} px wide; use one at least {FEATURED_MIN_WIDTH} "
                "px wide, or it looks blurred on wide screens."
            )
        ]
    return []


def heading_order(outline, page_has_h1=True):
    """
    Exactly one h1 and no skipped levels. Article pages supply the h1 (the title), so the body
    itself must start at h2; an email or other whole page must contain its one h1.
    """
    levels = [level for level, _ in outline.headings]
    checks = []
    h1_count = levels.count(1) + page_has_h1
    if page_has_h1 and 1 in levels:
        checks.append(error("The body has a Heading 1; the title is the page's h1. Use Heading 2."))
    elif h1_count != 1:
        checks.append(error(f"The page has {h1_count} h1 headings; it needs exactly one."))
    previous = 1 if page_has_h1 else None
    for level, text in outline.headings:
        if previous is not None and level > previous + 1:
            checks.append(
                error(
                    f"Heading “{text}” is an h{level} after an h{previous}: "
                    f"use h{previous + 1} so no level is skipped."
                )
            )
        previous = level
    return checks or [Check(Level.PASS, "Headings are in order.")]


# Pages of the apps above blog that are addressed by a slug: URL name -> a function giving the
# slugs that show something. Those apps add theirs from their AppConfig.ready().
SLUG_PAGES = {}


def check_links_to(url_name, slugs):
    """Internal links to `url_name` are right when their slug is among `slugs()`."""
    SLUG_PAGES[url_name] = slugs


class SiteLinks:
    """
    Knows which addresses on this site show public content. It loads the slugs it needs once
    (a handful of queries), so checking every post in the admin list costs no more per post.
    """

    def __init__(self):
        self.now = timezone.now()
        self.host = urlsplit(settings.SITE_URL).netloc

    @cached_property
    def posts(self):
        return {
            slug: published_at if status == Post.Status.RELEASED else None
            for slug, status, published_at in Post.objects.values_list(
                "slug", "status", "published_at"
            )
        }

    @cached_property
    def decorative_image_urls(self):
        """The addresses of the library's decorative images (read only when an image in a body
        has no alt text)."""
        names = LibraryImage.objects.filter(decorative=True).values_list("file", flat=True)
        return {default_storage.url(name) for name in names}

    @cached_property
    def reading_target(self):
        """The school grades articles should read at (site settings)."""
        site_settings = SiteSettings.load()
        return site_settings.reading_grade_min, site_settings.reading_grade_max

    @cached_property
    def synonym_groups(self):
        return readability.synonym_groups()

    @cached_property
    def pages(self):
        return set(FlatPage.objects.values_list("url", flat=True))

    @cached_property
    def slugs(self):
        categories = set(Category.objects.values_list("slug", flat=True))
        return {
            "blog:category_detail": categories,
            "blog:category_feed": categories,
            "blog:tag_detail": set(Tag.objects.values_list("slug", flat=True)),
            **{url_name: set(slugs()) for url_name, slugs in SLUG_PAGES.items()},
        }

    def is_internal(self, url):
        parts = urlsplit(url)
        return (not parts.scheme and not parts.netloc and url.startswith("/")) or (
            parts.scheme in {"http", "https"} and parts.netloc == self.host
        )

    @cached_property
    def redirects(self):
        """Old addresses: where each now redirects, or "" for one that answers 410 Gone."""
        return dict(site_redirects().values_list("old_path", "new_path"))

    def problem(self, url, follow_redirect=True):
        """None when the internal address shows public content, else a Check saying why not."""
        path = urlsplit(url).path or "/"
        if path.startswith(settings.MEDIA_URL):
            name = unquote(path.removeprefix(settings.MEDIA_URL))
            if not default_storage.exists(name):
                return error(f"{path} is not an uploaded file.")
            return None
        if path.startswith(settings.STATIC_URL) or path in self.pages:
            return None
        try:
            match = resolve(path)
        except Resolver404:
            # CommonMiddleware redirects a missing trailing slash (APPEND_SLASH).
            if not path.endswith("/"):
                with_slash = self.problem(path + "/", follow_redirect)
                if with_slash is None or with_slash.level != Level.ERROR:
                    return with_slash
            return self.old_address(path, follow_redirect) or error(
                f"{path} is not a page on this site."
            )
        slug = match.kwargs.get("slug")
        if match.view_name == "blog:post_detail":
            if slug not in self.posts:
                return self.old_address(path, follow_redirect) or error(
                    f"{path} is not an article on this site."
                )
            published_at = self.posts[slug]
            if published_at is None:
                return error(f"{path} links to a draft that readers cannot open.")
            if published_at > self.now:
                when = timezone.localtime(published_at).strftime("%-d %b %Y, %H:%M")
                return warning(f"{path} links to an article that is not public until {when}.")
        elif match.view_name in self.slugs and slug not in self.slugs[match.view_name]:
            return self.old_address(path, follow_redirect) or error(
                f"{path} is not a page on this site."
            )
        return None

    def old_address(self, path, follow_redirect):
        """
        For an address that no longer shows anything: readers of a moved page are redirected
        (worth a warning, as the link costs them a hop); a deleted one answers 410 Gone.
        """
        if path not in self.redirects:
            return None
        new_path = self.redirects[path]
        if not new_path:
            return error(f"{path} links to an article that was deleted (410 Gone).")
        # Redirects point at live addresses (blog/redirects.py), but the target may have been
        # unpublished since; one hop is all a reader gets, so look no further than that.
        target = None
        if follow_redirect and new_path.startswith("/"):
            target = self.problem(new_path, follow_redirect=False)
        if target is not None and target.level == Level.ERROR:
            return error(f"{path} redirects to {new_path}, which has a problem: {target.message}")
        return warning(
            f"{path} links to an old address that redirects to {new_path}; update the link."
        )


def link_targets(urls, site):
    """Internal links lead to public content; every other link is a well-formed address."""
    checks, internal, external = [], 0, 0
    for url in urls:
        if not url or url.startswith("#"):
            continue
        if site.is_internal(url):
            internal += 1
            if problem := site.problem(url):
                checks.append(problem)
            continue
        external += 1
        if message := malformed(url):
            checks.append(error(message))
    if checks:
        return checks
    if not internal + external:
        return [Check(Level.PASS, "No links to check.")]
    kinds = [(internal, "internal link", "public pages"), (external, "external link", "")]
    described = [
        f"{counted(n, noun)}" + (f" to {where}" if where else "") for n, noun, where in kinds if n
    ]
    return [Check(Level.PASS, f"Links look right: {' and '.join(described)}.")]


def malformed(url):
    """Why an external link is not a valid address, or None. (`check_links` tries them.)"""
    scheme = urlsplit(url).scheme.lower()
    try:
        if scheme == "mailto":
            EmailValidator()(unquote(url[len("mailto:") :].split("?")[0]))
        elif scheme == "tel":
            if not re.fullmatch(r"\+?[\d\s().-]{3,}", unquote(url[len("tel:") :])):
                raise ValidationError("bad phone number")
        elif scheme in {"http", "https"} or url.startswith("//"):
            URLValidator(schemes=["http", "https"])(url if scheme else "https:" + url)
        elif not scheme:
            return f"“{url}” has no https:// in front, so it points at a page on this site."
        else:
            return f"“{url}” is not a web, email or phone link."
    except ValidationError:
        return f"“{url}” is not a valid address."
    return None


def reading_level(outline, target=None, synonym_groups=()):
    """
    Length and reading level (Flesch–Kincaid grade and its reading age) for information; a
    warning when the grade is above the site's target range, for sentences over 25 words,
    and for clinical terms that a search synonym says readers know by a plainer name.
    """
    words, ease, grade = readability.scores(outline.blocks)
    if not words:
        return [Check(Level.INFO, "No text yet.")]
    minutes = max(1, math.ceil(words / WORDS_PER_MINUTE))
    found = [
        Check(
            Level.INFO,
            f"{words} words, about {minutes} min to read; reading ease {ease} "
            f"({readability.ease_label(ease)}), school grade {grade} "
            f"(reading age {readability.reading_age(grade)})"
            + (f"; the target is grade {target[0]}–{target[1]}." if target else "."),
        )
    ]
    if target and grade > target[1]:
        low, high = target
        found.append(
            warning(
                f"School grade {grade} is above the target of {low}–{high} (reading age "
                f"{readability.reading_age(low)}–{readability.reading_age(high)}): use shorter "
                "sentences and everyday words."
            )
        )
    if long := readability.long_sentences(outline.blocks):
        starts = "; ".join(f"“{Truncator(s).words(8)}”" for s in long[:3])
        more = f" and {len(long) - 3} more" if len(long) > 3 else ""
        found.append(
            warning(
                f"{counted(len(long), 'sentence')} over {readability.LONG_SENTENCE_WORDS} words: "
                f"{starts}{more}. Split them."
            )
        )
    if lay := readability.lay_words(outline.blocks, synonym_groups):
        pairs = "; ".join(f"“{term}” → “{plain}”" for term, plain in lay)
        found.append(warning(f"Everyday words readers may know better: {pairs}."))
    return found


# Rules for articles -------------------------------------------------------------------------


def title_length(title):
    """The title search engines show (the SEO title, or else the title) fits their results."""
    if len(title) > TITLE_MAX:
        return [
            warning(
                f"Search results show about {TITLE_MAX} characters of a title; this one has "
                f"{len(title)}. Write a shorter SEO title."
            )
        ]
    return [Check(Level.PASS, f"The title fits search results ({len(title)}/{TITLE_MAX}).")]


def description_length(description):
    """The meta description (or excerpt) fits the snippet under a search result."""
    size = len(description.strip())
    if not size:
        return [
            warning("No meta description or excerpt: search engines will pick text themselves.")
        ]
    if size > DESCRIPTION_MAX:
        return [
            warning(
                f"Search results cut descriptions at about {DESCRIPTION_MAX} characters; this "
                f"one has {size}. Write a shorter meta description."
            )
        ]
    if size < DESCRIPTION_MIN:
        return [
            warning(
                f"The description has {size} characters; {DESCRIPTION_MIN}–{DESCRIPTION_MAX} "
                "tell searchers more."
            )
        ]
    return [Check(Level.PASS, f"The description fits search results ({size}/{DESCRIPTION_MAX}).")]


def citations(body, source_count):
    """Every [n] in the text has a source n, and a health article lists its sources."""
    if not source_count:
        return [warning("No sources listed: add the evidence the article relies on.")]
    missing = [n for n in find_citations(body) if not 1 <= n <= source_count]
    if missing:
        numbers = ", ".join(f"[{n}]" for n in missing)
        listed = counted(source_count, "source")
        return [warning(f"The text cites {numbers}, but there are only {listed}.")]
    return [Check(Level.PASS, f"{counted(source_count, 'source')} listed; citations match.")]


def medical_review(post):
    """A clinician has reviewed the article, and the review is not overdue."""
    if not post.reviewed_by_id or not post.last_reviewed:
        return [warning("Not medically reviewed yet.")]
    if post.next_review_on and post.next_review_on < timezone.localdate():
        return [warning(f"The medical review was due on {post.next_review_on:%-d %B %Y}.")]
    return [Check(Level.PASS, f"Medically reviewed on {post.last_reviewed:%-d %B %Y}.")]


def key_points(post):
    """A long article opens with its key points, for readers who will not read it all."""
    count = len(post.key_point_list)
    if count:
        return [Check(Level.PASS, f"{counted(count, 'key point')} open the article.")]
    if post.word_count > KEY_POINTS_WORDS:
        return [
            warning(
                f"The article has {post.word_count} words but no key points: sum it up in "
                "3 to 6 short lines for readers in a hurry."
            )
        ]
    return []


def care_advice(post):
    """
    An article about a condition or symptom tells readers when to get help, and an emergency
    card says what the emergency is: a card with no signs would only tell readers to call.
    """
    cards = list(post.care_cards.all()) if post.pk else []
    empty = [card for card in cards if not card.item_list]
    checks = [
        error(f"The “{card.label}” card lists no signs: add them, one per line.")
        if card.level == CareCard.Level.EMERGENCY
        else warning(f"The “{card.label}” card lists no signs: add them, or remove the card.")
        for card in empty
    ]
    if not cards and post.category_id and post.category.needs_care_advice:
        checks.append(
            warning(
                f"“{post.category.name}” is a condition or symptom category, but the article has "
                "no “When to get help” card: add one, with the red flags for an emergency."
            )
        )
    if checks:
        return checks
    if cards:
        return [Check(Level.PASS, f"{counted(len(cards), '“When to get help” card')}.")]
    return []


def reviewer_notes(post):
    """Notes outside reviewers left on the draft are read and dealt with before it goes out."""
    if not post.pk:
        return []
    count = sum(not note.resolved for note in post.reviewer_notes.all())
    if count:
        return [
            warning(
                f"{counted(count, 'reviewer note')} not resolved yet: read "
                f"{'them' if count > 1 else 'it'} under “Reviewer notes” and tick “resolved” "
                "once dealt with."
            )
        ]
    return []


def snippet_references(body):
    """Every [snippet key] in the text names a snippet; an unknown one shows nothing to readers."""
    unknown = snippets.unknown_keys(body)
    if unknown:
        keys = ", ".join(f"[snippet {key}]" for key in unknown)
        return [
            warning(
                f"No snippet has the key of {keys}: readers see nothing there. Check the key "
                "under Blog › Snippets, or remove it."
            )
        ]
    return []


def check_post(post, site=None):
    """
    The checklist of an article. A saved body is already sanitised; an unsaved one is checked
    as typed, so an h1 or a javascript: link is reported instead of silently dropped on save.
    """
    site = site or SiteLinks()
    body = post.body
    outline = Outline(body)
    source_count = len(post.references.all()) if post.pk else 0
    return Checklist(
        [
            *alt_text(outline, post.featured_image_alt if post.featured_image else None, site),
            *featured_image_width(post),
            *heading_order(outline, page_has_h1=True),
            *title_length(post.display_title),
            *description_length(post.summary),
            *link_targets(outline.links, site),
            *citations(body, source_count),
            *medical_review(post),
            *key_points(post),
            *care_advice(post),
            *reviewer_notes(post),
            *snippet_references(body),
            *reading_level(outline, site.reading_target, site.synonym_groups),
        ]
    )
