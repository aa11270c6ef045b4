"""
Turning the content of a WordPress post (classic editor or blocks) into article HTML.

Only what WordPress itself defines is converted: its shortcodes ([caption], [gallery], [audio],
[video], [playlist], [embed]), oEmbed URLs on a line of their own, block comments and the
dynamic blocks that WordPress fills in when it shows a page. Everything else stays as the
author wrote it: text in square brackets ("[citation needed]", "a[i]") and <pre> blocks, byte
for byte. Each change is described in words, for the import's summary.
"""

import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .html import sanitize_html

# Shortcodes WordPress core registers (wp-includes/media.php); plugins' are left alone.
KNOWN_SHORTCODES = ("caption", "wp_caption", "gallery", "audio", "video", "playlist", "embed")
SHORTCODE = re.compile(
    r"\[(\[?)(" + "|".join(KNOWN_SHORTCODES) + r")(?![\w-])([^\]]*?)(/?)\]"
    # Content up to the closing tag, never across another opening one of the same name.
    r"(?:((?:(?!\[\2[\s\]/]).)*?)\[/\2\])?(\]?)",
    re.DOTALL,
)
# WordPress's shortcode_parse_atts(): name="value", name='value', name=value, or bare values.
SHORTCODE_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
    r"""|"([^"]*)"|'([^']*)'|(\S+)"""
)
# What looks like another plugin's shortcode (it has attributes or a closing tag): kept, noted.
PLUGIN_SHORTCODE = re.compile(r"\[([a-z][\w-]*)\s+[\w-]+=[^\]]*\]|\[/([a-z][\w-]*)\]")

PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)
KEPT_PRE = re.compile(r'<pre data-kept="(\d+)"></pre>')
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
SELF_CLOSING_BLOCK = re.compile(r"<!--\s*wp:([a-z][\w/-]*)\s*(\{.*?\})?\s*/-->", re.DOTALL)
FOOTNOTES_BLOCK = re.compile(r"<!--\s*wp:(?:core/)?footnotes\s*(\{.*?\})?\s*/-->", re.DOTALL)
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(embed|core-embed/[\w-]+)\s*(\{.*?\})?\s*-->(.*?)<!--\s*/wp:\1\s*-->", re.DOTALL
)
MORE = re.compile(r"<!--(more|nextpage|noteaser)(.*?)-->", re.DOTALL)
EMBED_WRAPPER = re.compile(
    r'<div class="wp-block-embed__wrapper">\s*(https?://[^\s<]+)\s*</div>', re.IGNORECASE
)
MEDIA_ELEMENT = re.compile(
    r"<(audio|video|iframe|object|embed)\b([^>]*)>(.*?)</\1>|<(embed|iframe|audio|video)\b([^>]*)/?>",
    re.DOTALL | re.IGNORECASE,
)
SOURCE_URL = re.compile(r"""\b(?:src|data)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
OEMBED_LINE = re.compile(r"^[ \t]*(?:<p>)?[ \t]*(https?://[^\s<>\"']+)[ \t]*(?:</p>)?[ \t]*$", re.M)
CAPTION_PARTS = re.compile(r"^\s*((?:<a [^>]*>\s*)?<img [^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
BLOCKS = (
    r"(?:p|h[1-6]|ul|ol|li|blockquote|figure|figcaption|table|thead|tbody|tfoot|tr|td|th|pre"
    r"|div|hr|dl|dt|dd|address|section|details|summary)"
)
BLOCK_START = re.compile(rf"(<{BLOCKS}[\s/>])", re.IGNORECASE)
BLOCK_END = re.compile(rf"(</{BLOCKS}>)", re.IGNORECASE)
BLOCK_TAG = re.compile(rf"^</?{BLOCKS}[\s/>]", re.IGNORECASE)
EMPTY_ELEMENT = re.compile(r"<(p|div|figure|span|ul|ol|li)>\s*</\1>")
H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
IMG_SIZE_ATTRIBUTES = re.compile(r'\s(?:srcset|sizes)="[^"]*"', re.IGNORECASE)

# Dynamic blocks are filled in by WordPress each time it shows the page; their nearest
# equivalent here is a link to the page that lists the same things.
DYNAMIC_BLOCK_LINKS = {
    "latest-posts": ("/articles/", "Read our latest articles"),
    "archives": ("/articles/", "Browse all articles"),
    "calendar": ("/articles/", "Browse all articles"),
    "query": ("/articles/", "Read our latest articles"),
    "search": ("/search/", "Search the site"),
}
# WordPress core's other dynamic blocks: lists it made up when showing the page.
DYNAMIC_BLOCKS = {"categories", "latest-comments", "tag-cloud", "page-list", "calendar"}
# Parts of a theme's page or of a query loop, with no content of the post's own.
THEME_BLOCKS = re.compile(
    r"^(post-|comment|comments|query-|site-|navigation|loginout|avatar|read-more|term-"
    r"|template-part|pattern|home-link|spacer|separator|more|nextpage|social-link|page-list)"
)
OEMBED_PROVIDERS = {
    "youtube.com": "Watch on YouTube",
    "youtu.be": "Watch on YouTube",
    "vimeo.com": "Watch on Vimeo",
    "wordpress.tv": "Watch on WordPress.tv",
    "twitter.com": "View on Twitter",
    "x.com": "View on X",
    "instagram.com": "View on Instagram",
    "facebook.com": "View on Facebook",
    "soundcloud.com": "Listen on SoundCloud",
    "spotify.com": "Listen on Spotify",
    "flickr.com": "View on Flickr",
    "tiktok.com": "Watch on TikTok",
}


@dataclass
class Attachment:
    """What a gallery needs of an image attached to a post."""

    url: str
    title: str = ""
    caption: str = ""
    alt: str = ""
    parent_id: int = 0


@dataclass
class Conversion:
    html: str
    changes: list = field(default_factory=list)  # "1 gallery → 9 images", in words


def content_to_html(content, attachments=None, wp_id=0, footnotes=""):
    """
    Article HTML from WordPress content, and what was changed on the way. `attachments` maps
    WordPress ids to Attachment, for galleries; `wp_id` is the post's, for [gallery] without
    ids (which shows the images attached to the post); `footnotes` is the post's "footnotes"
    meta value, where WordPress keeps the notes its footnotes block shows.
    """
    changes = Changes()
    notes = footnotes_list(footnotes, changes)
    text = content.replace("\r\n", "\n")
    is_blocks = "<!-- wp:" in text
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f'<pre data-kept="{len(kept) - 1}"></pre>'

    text = PRE.sub(keep, text)
    text = EMBED_BLOCK.sub(lambda m: embed_block(m, changes), text)
    if notes and not FOOTNOTES_BLOCK.search(text):
        text += "\n<!-- wp:footnotes /-->"  # WordPress adds the block with the first note.
    text = FOOTNOTES_BLOCK.sub(lambda m: notes, text)
    text = SELF_CLOSING_BLOCK.sub(lambda m: dynamic_block(m, changes), text)
    text = BLOCK_COMMENT.sub("", text)
    if MORE.search(text):
        changes.add("“more” and page-break markers removed (the article is one page here)")
        text = MORE.sub("", text)
    text = SHORTCODE.sub(lambda m: shortcode(m, attachments or {}, wp_id, changes), text)
    for name in sorted({a or b for a, b in PLUGIN_SHORTCODE.findall(text)} - {"citation"}):
        changes.add(f"[{name} …] is no WordPress shortcode; kept as text (it was a plugin's)")
    text = EMBED_WRAPPER.sub(lambda m: link_card(m.group(1), changes), text)
    text = MEDIA_ELEMENT.sub(lambda m: media_element(m, changes), text)
    if not is_blocks:
        text = OEMBED_LINE.sub(lambda m: link_card(m.group(1), changes), text)
    text = H1.sub(r"<\1h2", text)
    text = IMG_SIZE_ATTRIBUTES.sub("", text)  # They list the old site's sizes.
    if not is_blocks:  # Block content has its paragraphs; WordPress runs wpautop on classic only.
        text = autop(text)
    text = KEPT_PRE.sub(lambda m: kept[int(m.group(1))], text)
    cleaned = sanitize_html(text)
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, EMPTY_ELEMENT.sub("", cleaned)
    return Conversion(cleaned.strip(), changes.described())


class Changes:
    def __init__(self):
        self.counts = {}
        self.theme_blocks = set()

    def add(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n

    def described(self):
        described = [what if n == 1 else f"{what} (×{n})" for what, n in self.counts.items()]
        if self.theme_blocks:
            described.append(
                "theme blocks left out, as the site's own templates show titles, dates, "
                f"authors and navigation: {', '.join(sorted(self.theme_blocks))}"
            )
        return described


def shortcode(match, attachments, wp_id, changes):
    opening, name, raw_attributes, _, inner, closing = match.groups()
    if opening and closing:  # [[gallery]] is WordPress's way to write "[gallery]" as text.
        return match.group(0)[1:-1]
    attributes, positional = parse_attributes(raw_attributes)
    inner = inner or ""
    if name in ("caption", "wp_caption"):
        return caption_to_figure(inner, attributes.get("caption", ""))
    if name == "gallery":
        return gallery(attributes, attachments, wp_id, changes)
    if name in ("audio", "video"):
        sources = [attributes.get(key) for key in ("src", "mp3", "m4a", "ogg", "wav", "mp4")]
        sources += [attributes.get(key) for key in ("m4v", "webm", "ogv", "wmv", "flv")]
        url = next(filter(None, sources), "") or next(iter(positional), "") or inner.strip()
        if not url.startswith(("http://", "https://", "/")):
            changes.add(f"[{name}] without a file left out")
            return ""
        changes.add(f"[{name}] player → a link to the file")
        return media_link(name, url)
    if name == "playlist":
        changes.add("[playlist] left out (add the recordings as links)")
        return ""
    # [embed]URL[/embed]
    url = inner.strip() or attributes.get("src", "")
    return link_card(url, changes) if url else ""


def parse_attributes(text):
    named, positional = {}, []
    for m in SHORTCODE_ATTRIBUTE.finditer(html.unescape(text or "")):
        if m.group(1):
            named[m.group(1).lower()] = m.group(2)
        elif m.group(3):
            named[m.group(3).lower()] = m.group(4)
        elif m.group(5):
            named[m.group(5).lower()] = m.group(6)
        else:
            positional.append(next(g for g in m.groups()[6:] if g is not None))
    return named, positional


def caption_to_figure(inner, caption_attribute=""):
    parts = CAPTION_PARTS.match(inner)
    if not parts:
        return inner
    image, caption = parts.group(1), (parts.group(2).strip() or caption_attribute.strip())
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>" if caption else image


def gallery(attributes, attachments, wp_id, changes):
    ids = attributes.get("ids") or attributes.get("include") or ""
    if ids:
        wanted = [int(i) for i in re.findall(r"\d+", ids)]
    else:
        excluded = {int(i) for i in re.findall(r"\d+", attributes.get("exclude", ""))}
        wanted = [
            pk
            for pk, a in sorted(attachments.items())
            if a.parent_id == wp_id and pk not in excluded
        ]
    images = [attachments[pk] for pk in wanted if pk in attachments]
    if not images:
        changes.add("[gallery] without images in the export left out")
        return ""
    changes.add(f"[gallery] → {len(images)} images")
    return "".join(
        f'<figure><img src="{html.escape(a.url)}" alt="{html.escape(a.alt or a.title)}">'
        + (f"<figcaption>{html.escape(a.caption)}</figcaption>" if a.caption else "")
        + "</figure>"
        for a in images
    )


def embed_block(match, changes):
    try:
        url = json.loads(match.group(2) or "{}").get("url", "")
    except ValueError:
        url = ""
    found = re.search(r"https?://[^\s<\"']+", match.group(3))
    url = url or (found.group(0) if found else "")
    return link_card(url, changes) if url else match.group(3)


def footnotes_list(meta_value, changes):
    """The notes of WordPress's footnotes block as a numbered list, each note linking back
    to its mark in the text (the marks keep WordPress's ids)."""
    try:
        notes = json.loads(meta_value or "[]")
    except ValueError:
        notes = None
    if not isinstance(notes, list) or not all(isinstance(note, dict) for note in notes):
        changes.add("footnotes left out: WordPress's list of them is unreadable")
        return ""
    items = []
    for note in notes:
        anchor = html.escape(str(note.get("id", "")))
        back = f' <a href="#{anchor}-link" title="Back to the text">↩</a>' if anchor else ""
        items.append(f'<li id="{anchor}">{note.get("content", "")}{back}</li>')
    return f"\n\n<ol>{''.join(items)}</ol>\n\n" if items else ""


def dynamic_block(match, changes):
    name = match.group(1).removeprefix("core/")
    try:
        attributes = json.loads(match.group(2) or "{}")
    except ValueError:
        attributes = {}
    if name == "rss" and attributes.get("feedURL", "").startswith(("http://", "https://")):
        changes.add("dynamic block wp:rss → a link to the feed")
        url = html.escape(attributes["feedURL"])
        return f'<p><a href="{url}">Read the feed at {url}</a></p>'
    if name in DYNAMIC_BLOCK_LINKS:
        path, words = DYNAMIC_BLOCK_LINKS[name]
        changes.add(f"dynamic block wp:{name} → a link “{words}”")
        return f'<p><a href="{path}">{words}</a></p>'
    if name in DYNAMIC_BLOCKS:
        changes.add(f"dynamic block wp:{name} left out (WordPress filled it in when shown)")
    elif THEME_BLOCKS.match(name) or name in ("shortcode", "block"):
        changes.theme_blocks.add(f"wp:{name}")
    return ""  # Anything else self-closing is an empty layout block (a column, a group).


def media_element(match, changes):
    tag = (match.group(1) or match.group(4)).lower()
    attributes, inner = (match.group(2) or match.group(5) or ""), (match.group(3) or "")
    found = SOURCE_URL.search(attributes) or SOURCE_URL.search(inner)
    if not found:
        changes.add(f"<{tag}> without a source left out")
        return ""
    url = html.unescape(found.group(1))
    if tag in ("audio", "video"):
        changes.add(f"<{tag}> player → a link to the file")
        return media_link(tag, url)
    return link_card(url, changes)


def media_link(kind, url):
    name = url.rsplit("/", 1)[-1].split("?")[0] or url
    words = "Listen to the recording" if kind == "audio" else "Watch the video"
    return f'<p><a href="{html.escape(url)}">{words} ({html.escape(name)})</a></p>'


def link_card(url, changes):
    """An embed as a plain link: nothing loads from the other site until a reader clicks."""
    url = html.unescape(url.strip())
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    words = next(
        (
            w
            for domain, w in OEMBED_PROVIDERS.items()
            if host == domain or host.endswith("." + domain)
        ),
        None,
    )
    changes.add(f"embed from {host or 'elsewhere'} → a link")
    label = f"{words}: {url}" if words else url
    return f'\n\n<p><a href="{html.escape(url)}">{html.escape(label)}</a></p>\n\n'


def autop(text):
    """Wrap loose lines in paragraphs, as WordPress's wpautop() does for classic content."""
    # Block elements stand apart from the text around them, as in wpautop().
    text = BLOCK_END.sub("\\1\n\n", BLOCK_START.sub("\n\n\\1", text))
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    return "\n".join(
        chunk if BLOCK_TAG.match(chunk) else f"<p>{chunk.replace(chr(10), '<br>')}</p>"
        for chunk in chunks
    )
