"""Subscriber lists in and out as CSV: export with consent evidence, import marked as imported."""

import csv
import io
from dataclasses import dataclass

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import timezone

from .models import MAX_EMAIL_LENGTH, Subscriber

EXPORT_COLUMNS = [
    ("email", "email"),
    ("name", "name"),
    ("status", "status"),
    ("signed_up", "created_at"),
    ("confirmed", "confirmed_at"),
    ("left", "unsubscribed_at"),
    ("bounced", "bounced_at"),
    ("signup_page", "source_url"),
    ("imported", "imported"),
]
IMPORT_CHUNK = 1000
# Columns a list from elsewhere (WordPress, Mailchimp, Substack) keeps the reader's name in.
NAME_COLUMNS = ["name", "first_name", "first name", "firstname", "fname", "full name"]


class _Echo:
    def write(self, value):
        return value


def export_rows(subscribers):
    """CSV lines for a StreamingHttpResponse: the list is never held in memory at once."""
    writer = csv.writer(_Echo())
    yield writer.writerow([title for title, _ in EXPORT_COLUMNS])
    fields = [field for _, field in EXPORT_COLUMNS]
    for row in subscribers.order_by("pk").values_list(*fields).iterator(chunk_size=2000):
        yield writer.writerow(
            [value.isoformat() if hasattr(value, "isoformat") else _safe(value) for value in row]
        )


def _safe(value):
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@dataclass
class ImportReport:
    added: int = 0
    existing: int = 0
    invalid: int = 0


def import_csv(uploaded_file, source):
    """
    Add the addresses in the file's "email" column (or its first column) as confirmed,
    imported subscribers. Addresses already known are left exactly as they are: an import
    must never resubscribe someone who left.
    """
    report = ImportReport()
    text = io.TextIOWrapper(uploaded_file, encoding="utf-8-sig", errors="replace", newline="")
    rows = csv.reader(text)
    header = next(rows, [])
    lowered = [cell.strip().lower() for cell in header]
    column = lowered.index("email") if "email" in lowered else 0
    names = next((lowered.index(name) for name in NAME_COLUMNS if name in lowered), None)
    chunk = [] if "email" in lowered else [header]
    for row in rows:
        chunk.append(row)
        if len(chunk) == IMPORT_CHUNK:
            _import_chunk(chunk, column, names, source, report)
            chunk = []
    _import_chunk(chunk, column, names, source, report)
    return report


def _name(row, column):
    if column is None or len(row) <= column:
        return ""
    # Kept as written (escaped wherever it is shown), minus what no name holds.
    name = " ".join(row[column].replace("\0", "").split())
    return name[: Subscriber._meta.get_field("name").max_length]


def _import_chunk(rows, column, name_column, source, report):
    now = timezone.now()
    candidates = {}
    for row in rows:
        email = BaseUserManager.normalize_email(row[column] if len(row) > column else "")
        if not _is_valid(email):
            report.invalid += 1
            continue
        candidates.setdefault(email.lower(), (email, _name(row, name_column)))
    known = set(
        Subscriber.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(candidates))
        .values_list("email_lower", flat=True)
    )
    report.existing += len(known)
    new = [
        Subscriber(
            email=email,
            name=name,
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=now,
            created_at=now,
            source_url=source[:500],
            imported=True,
        )
        for lower, (email, name) in candidates.items()
        if lower not in known
    ]
    # ignore_conflicts: an address that signed up while the import ran keeps its own row.
    Subscriber.objects.bulk_create(new, ignore_conflicts=True)
    report.added += len(new)


def _is_valid(email):
    if not email or len(email) > MAX_EMAIL_LENGTH:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True
