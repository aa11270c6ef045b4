"""
Comparing two saved versions of a post (django-simple-history keeps one per save).

Text is compared word by word, so an editor sees the sentence that changed rather than two
whole articles side by side. Markup is flattened to text first: what matters to a reader is
the words, and comparing raw HTML would flag every re-wrapped paragraph.
"""

import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class FieldDifference:
    label: str
    diff: str  # Safe HTML with <del> and <ins>.


def compare(older, newer):
    """The fields that differ between two historical records of a post, in form order."""
    delta = newer.diff_against(older, foreign_keys_are_objs=True)
    model = older.instance_type
    changed = {change.field: change for change in delta.changes}
    differences = []
    for field in model._meta.fields:
        if field.name in changed:
            change = changed[field.name]
            differences.append(
                FieldDifference(
                    label=capfirst(field.verbose_name),
                    diff=word_diff(as_text(field, change.old), as_text(field, change.new)),
                )
            )
    return differences


def as_text(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(field, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(value, str) and "<" in value:
        return strip_tags(BLOCK_END.sub(lambda match: match.group(0) + "\n", value)).strip()
    return str(value)


def word_diff(old, new):
    """HTML showing how `old` became `new`: removed words in <del>, added ones in <ins>."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        removed = escape("".join(old_words[a_start:a_end]))
        added = escape("".join(new_words[b_start:b_end]))
        if operation == "equal":
            parts.append(removed)
        if operation in {"delete", "replace"}:
            parts.append(f"<del>{removed}</del>")
        if operation in {"insert", "replace"}:
            parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))  # Every piece of text above is escaped.
