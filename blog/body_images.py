"""
Images in an article's body as readers get them: each image from the media library becomes a
responsive <picture> (WebP and JPEG/PNG renditions, srcset, sizes, its width and height so the
text does not jump as it loads), lazily loaded, with the library's alt text where the editor
gave none, and with the library's caption and credit under it when it stands in a paragraph of
its own. Other images are lazily loaded too.

Done on the sanitised body when the page is rendered, never stored: the body keeps the plain
<img src="/media/…"> the editor inserted, which is also how the library finds where an image is
used. nh3 writes every tag with double-quoted, escaped attribute values, so a tag ends at its
first ">".
"""

import re
from html import unescape

from django.core.files.storage import default_storage
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from .media_library import LibraryImage
from .renditions import Picture

IMG = re.compile(r"<img\b([^>]*)>")
ALONE_IN_PARAGRAPH = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
# The article's text column (static/css/site.css .prose): no body image is shown wider.
BODY_SIZES = "(min-width: 64rem) 42rem, calc(100vw - 2rem)"


def media_name(src):
    """The storage name of an image served from the site's media, or None."""
    # Storages answer url() for names only (S3's refuses an empty one): the prefix is what a
    # name's address adds in front of it.
    prefix = default_storage.url("x")[:-1]
    if src.startswith(prefix) and "?" not in src and "#" not in src:
        return unescape(src.removeprefix(prefix))
    return None


def with_responsive_images(html):
    """The body with its images as readers get them (see the module docstring); one query."""
    html = str(html or "")
    tags = IMG.findall(html)
    if not tags:
        return html
    names = {
        name
        for attributes in tags
        if (name := media_name(unescape(dict(ATTRIBUTE.findall(attributes)).get("src", ""))))
    }
    library = {image.file.name: image for image in LibraryImage.objects.filter(file__in=names)}

    def figure(match):
        tag = match.group(1)
        image = library_image(tag, library)
        if image is None or not (image.caption or image.credit):
            return f"<p>{responsive(tag, library)}</p>"
        credit = format_html('<span class="figure__credit">{}</span>', image.credit)
        caption = format_html_join(
            " ", "{}", ((part,) for part in (image.caption, credit if image.credit else "") if part)
        )
        # responsive() builds its markup from escaped values only.
        picture = mark_safe(responsive(tag, library))  # noqa: S308
        return format_html(
            '<figure class="figure">{}<figcaption>{}</figcaption></figure>', picture, caption
        )

    html = ALONE_IN_PARAGRAPH.sub(figure, html)
    # Images not alone in a paragraph (and those just made into figures: a <picture>'s <img>
    # carries loading="lazy" already and is left alone).
    return IMG.sub(lambda match: responsive(match.group(0), library), html)


def library_image(tag, library):
    attributes = dict(ATTRIBUTE.findall(tag))
    name = media_name(unescape(attributes.get("src", "")))
    return library.get(name) if name else None


def responsive(tag, library):
    attributes = dict(ATTRIBUTE.findall(tag))
    if "loading" in attributes and "decoding" in attributes:
        return tag  # Done already.
    image = library_image(tag, library)
    if image is None or not image.width:
        extra = ' loading="lazy" decoding="async"'
        return tag[:-1].rstrip("/ ") + extra + ">" if "loading" not in attributes else tag
    alt = unescape(attributes.get("alt", "")).strip() or image.reader_alt
    width, height = image.width, image.height
    if attributes.get("width", "").isdigit() and 0 < int(attributes["width"]) < width:
        # The editor made it smaller: that size, in proportion, and no larger rendition.
        width, height = (
            int(attributes["width"]),
            max(1, round(height * int(attributes["width"]) / width)),
        )
        sizes = f"(min-width: {width}px) {width}px, 100vw"
    else:
        sizes = BODY_SIZES
    picture = Picture(image.file.name, image.width, image.height)
    # Already escaped: the attribute is copied as nh3 wrote it.
    title = f' title="{attributes["title"]}"' if attributes.get("title") else ""
    return (
        "<picture>"
        f'<source type="image/webp" srcset="{escape(picture.webp_srcset)}" sizes="{sizes}">'
        f'<img src="{escape(picture.src)}" srcset="{escape(picture.fallback_srcset)}" '
        f'sizes="{sizes}" alt="{escape(alt)}" width="{width}" height="{height}"'
        f'{title} loading="lazy" decoding="async">'
        "</picture>"
    )


def describe_library_images(html):
    """
    Give library images without alt text the alt text the body gives them: an image uploaded
    in the editor is described in its image dialog, after the upload made its library entry.
    """
    described = {}
    for attributes in IMG.findall(str(html or "")):
        found = dict(ATTRIBUTE.findall(attributes))
        name, alt = media_name(unescape(found.get("src", ""))), unescape(found.get("alt", ""))
        if name and alt.strip():
            described.setdefault(name, alt.strip())
    if not described:
        return
    for image in LibraryImage.objects.filter(file__in=described, alt="", decorative=False):
        image.alt = described[image.file.name][: LibraryImage._meta.get_field("alt").max_length]
        image.save(update_fields=["alt"])
