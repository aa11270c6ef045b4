"""
Smaller copies of an uploaded image ("renditions") for responsive `<picture>` elements.

Renditions are made once, when an image is saved, and stored next to each other under
renditions/<original path without extension>/, named by width and format: a photo at
posts/2025/03/desk.jpg gets renditions/posts/2025/03/desk/480w.webp, …/480w.jpg and so on.
Because the names follow from the original's name and width, which the Post row already
stores, pages can list them without a query or a storage look-up. `manage.py
generate_renditions` makes any that are missing (after a change of WIDTHS, say).
"""

import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

WIDTHS = (480, 800, 1200, 1600)
# The width browsers get when they understand neither srcset nor WebP.
DEFAULT_WIDTH = 1200
WEBP_QUALITY = 80
JPEG_QUALITY = 82


def widths_for(original_width):
    """The rendition widths for an original: each of WIDTHS below it, then its own (capped)."""
    widths = [width for width in WIDTHS if width < original_width]
    widths.append(min(original_width, WIDTHS[-1]))
    return widths


def fallback_format(name):
    """PNG for images that may be transparent or drawn (PNG, GIF), JPEG for the rest."""
    return "png" if PurePosixPath(name).suffix.lower() in {".png", ".gif"} else "jpg"


def folder_for(name):
    return str(PurePosixPath("renditions") / PurePosixPath(name).with_suffix(""))


def rendition_name(name, width, extension):
    return f"{folder_for(name)}/{width}w.{extension}"


@dataclass(frozen=True)
class Picture:
    """What a template needs to show an image responsively; see blog/includes/picture.html."""

    name: str
    width: int
    height: int

    @cached_property
    def widths(self):
        return widths_for(self.width)

    @property
    def webp_srcset(self):
        return self._srcset("webp")

    @property
    def fallback_srcset(self):
        return self._srcset(fallback_format(self.name))

    @property
    def src(self):
        width = max(w for w in self.widths if w <= DEFAULT_WIDTH)
        return default_storage.url(rendition_name(self.name, width, fallback_format(self.name)))

    def _srcset(self, extension):
        return ", ".join(
            f"{default_storage.url(rendition_name(self.name, width, extension))} {width}w"
            for width in self.widths
        )


def generate_renditions(name, storage=default_storage, only_missing=False):
    """
    Write the renditions of the stored image `name`; return how many files were written.
    With only_missing, renditions already in storage are left alone.
    """
    with storage.open(name) as file, Image.open(file) as original:
        original.load()
    if original.mode not in {"RGB", "RGBA"}:
        original = original.convert("RGBA" if has_transparency(original) else "RGB")
    written = 0
    for width in widths_for(original.width):
        height = max(1, round(original.height * width / original.width))
        resized = None
        for extension in ("webp", fallback_format(name)):
            target = rendition_name(name, width, extension)
            if only_missing and storage.exists(target):
                continue
            if resized is None:
                resized = original.resize((width, height), Image.Resampling.LANCZOS)
            if storage.exists(target):
                storage.delete(target)
            storage.save(target, ContentFile(encode(resized, extension)))
            written += 1
    return written


def encode(image, extension):
    buffer = io.BytesIO()
    if extension == "webp":
        image.save(buffer, format="WEBP", quality=WEBP_QUALITY)
    elif extension == "png":
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.convert("RGB").save(
            buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True
        )
    return buffer.getvalue()


def has_transparency(image):
    return image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info


def delete_image(name, storage=default_storage):
    """Delete a stored original and every rendition made from it."""
    folder = folder_for(name)
    try:
        _, files = storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for file_name in files:
        storage.delete(f"{folder}/{file_name}")
    storage.delete(name)
