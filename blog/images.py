"""
Checking and cleaning uploaded images, for featured images and CKEditor uploads alike.

Pillow only reads an image's header when it opens it, so the format and the pixel count are
checked before any pixel is decoded: a tiny file that declares 50,000 × 50,000 pixels (a
decompression bomb) is refused without ever being expanded in memory.
"""

import hashlib
import io
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MB
# 40 megapixels: more than any camera photo an article needs, far less than a bomb.
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED_NAMES = "JPEG, PNG, WebP or GIF"


def validate_image(file):
    """
    Raise ValidationError, with a message an editor can act on, unless `file` is a JPEG, PNG,
    WebP or GIF image of at most MAX_UPLOAD_BYTES and MAX_PIXELS.
    """
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {file.size / MB:.1f} MB; images may be at most "
            f"{MAX_UPLOAD_BYTES // MB} MB. Export it smaller and try again.",
            code="too_big",
        )
    file.seek(0)
    head = file.read(1024)
    file.seek(0)
    if PurePath(file.name or "").suffix.lower() == ".svg" or b"<svg" in head.lower():
        raise ValidationError(
            f"SVG drawings are not accepted because they can carry scripts. Upload a "
            f"{ACCEPTED_NAMES} image instead.",
            code="svg",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            width, height = image.size
            image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(too_many_pixels_message(None), code="too_many_pixels") from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(
            f"This file is not an image we can use. Upload a {ACCEPTED_NAMES} image "
            "(renaming a file does not change what it is).",
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"This is a {image_format} image; upload a {ACCEPTED_NAMES} image instead.",
            code="format",
        )
    if width * height > MAX_PIXELS:
        raise ValidationError(too_many_pixels_message((width, height)), code="too_many_pixels")
    try:
        Image.open(file).verify()
    except Exception:
        raise ValidationError(
            "This image is damaged or incomplete; export it again and retry.", code="broken"
        ) from None
    finally:
        file.seek(0)


def too_many_pixels_message(size):
    limit = f"images may have at most {MAX_PIXELS // 1_000_000} megapixels"
    if size is None:  # Pillow refused to open it: far beyond its own bomb limit.
        return f"This image has far too many pixels; {limit}."
    return f"This image is {size[0]:,} × {size[1]:,} pixels, too many pixels; {limit}."


def clean_image(file):
    """
    Return `file` ready to store: turned upright as its EXIF orientation says, with EXIF and
    XMP metadata (GPS location, camera serial numbers) removed, under a name of our choosing
    (see content_name). Files without such metadata keep their bytes, so GIF animations and
    carefully compressed PNGs survive.
    """
    file.seek(0)
    image = Image.open(file)
    image_format = image.format
    if has_metadata(image):
        upright = ImageOps.exif_transpose(image)
        buffer = io.BytesIO()
        options = {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
        if image_format == "JPEG":
            options.update(quality=90, optimize=True)
        upright.save(buffer, format=image_format, **options)
        data = buffer.getvalue()
    else:
        file.seek(0)
        data = file.read()
    file.seek(0)
    return SimpleUploadedFile(
        content_name(data, image_format), data, content_type=Image.MIME.get(image_format)
    )


def content_name(data, image_format):
    """
    The name an image is stored under: a hash of its bytes and the extension of the format
    Pillow decoded, never the uploader's. A GIF that is also valid JavaScript, uploaded as
    note.js, is stored as <hash>.gif, and served as an image, never as a script.
    """
    return f"{hashlib.sha256(data).hexdigest()[:32]}.{ACCEPTED_FORMATS[image_format]}"


def has_metadata(image):
    return bool(image.getexif()) or "xmp" in image.info or "exif" in image.info


class ImageUploadField(forms.ImageField):
    """An image form field that checks with validate_image before Pillow decodes anything."""

    # Not Django's check of the file name's extension: the stored name and extension come from
    # the decoded content (clean_image), and its list (pdf, psd, wmf…) is not ours.
    default_validators = []

    def to_python(self, data):
        if data not in self.empty_values:
            validate_image(data)
        return super().to_python(data)
