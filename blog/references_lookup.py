"""
A source's details from its DOI (Crossref's REST API) or its PubMed ID (NCBI E-utilities'
esummary), for the "Look up" button of the sources table and for a save with empty fields.

The base addresses come from settings (CROSSREF_API_URL, PUBMED_API_URL), never from what an
editor typed: the identifier only ever becomes a quoted path segment or query value, so these
requests do not go through blog/outbound.py. Both services are slow now and then and the site
may be offline: every request has a short timeout and failure is a message, never an exception
that could stop an editor's save.
"""

import json
import re
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import quote, urlencode

from django.conf import settings

from .models import normalize_doi, normalize_pmid

DOI = re.compile(r"10\.\d{4,9}/\S+")
PMID = re.compile(r"[1-9]\d{0,10}")
MAX_AUTHORS = 6  # Vancouver style: six names, then "et al."
MAX_ANSWER_BYTES = 2 * 1024 * 1024


class LookupFailed(Exception):
    """Why nothing was filled in, in words for the editor; `status` is the HTTP status to answer."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


@dataclass
class SourceDetails:
    title: str = ""
    authors: str = ""
    publisher: str = ""
    year: int | None = None
    url: str = ""
    doi: str = ""
    pmid: str = ""

    def as_dict(self):
        return asdict(self)


def parse_identifier(text):
    """("doi", "10.…") or ("pmid", "123…") for what an editor pasted, else LookupFailed."""
    text = (text or "").strip()
    doi = normalize_doi(text)
    if DOI.fullmatch(doi):
        return "doi", doi
    pmid = normalize_pmid(text)
    if PMID.fullmatch(pmid):
        return "pmid", pmid
    raise LookupFailed(
        "That is neither a DOI (10.1001/jama.2016.2323, doi:… or https://doi.org/…) nor a "
        "PubMed ID (26977696, PMID: … or a pubmed.ncbi.nlm.nih.gov address)."
    )


def look_up(text):
    """The details for a pasted DOI or PMID; LookupFailed with the reason otherwise."""
    kind, identifier = parse_identifier(text)
    return crossref(identifier) if kind == "doi" else pubmed(identifier)


def crossref(doi):
    url = f"{settings.CROSSREF_API_URL.rstrip('/')}/works/{quote(doi, safe='')}"
    work = _get_json(url, "Crossref", f"DOI {doi}").get("message") or {}
    issued = (work.get("issued") or work.get("published") or {}).get("date-parts") or [[None]]
    return SourceDetails(
        title=_first(work.get("title")),
        authors=_author_list(
            " ".join(filter(None, [a.get("family"), _initials(a.get("given", ""))]))
            or a.get("name", "")
            for a in work.get("author") or []
        ),
        publisher=_first(work.get("container-title")) or work.get("publisher", ""),
        year=_year(issued[0][0] if issued and issued[0] else None),
        url=f"https://doi.org/{doi}",
        doi=doi,
    )


def pubmed(pmid):
    query = urlencode({"db": "pubmed", "id": pmid, "retmode": "json", "tool": "backandneck"})
    url = f"{settings.PUBMED_API_URL.rstrip('/')}/esummary.fcgi?{query}"
    answer = _get_json(url, "PubMed", f"PMID {pmid}").get("result") or {}
    record = answer.get(pmid) or {}
    if not record or record.get("error"):
        raise LookupFailed(f"PubMed knows no PMID {pmid}. Check it for typos.", 404)
    ids = {i.get("idtype"): i.get("value", "") for i in record.get("articleids") or []}
    return SourceDetails(
        title=(record.get("title") or "").rstrip("."),
        authors=_author_list(a.get("name", "") for a in record.get("authors") or []),
        publisher=record.get("fulljournalname") or record.get("source", ""),
        year=_year((record.get("pubdate") or "")[:4]),
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/",
        doi=normalize_doi(ids.get("doi", "")),
        pmid=pmid,
    )


def _get_json(url, service, what):
    request = urllib.request.Request(
        url,
        headers={
            "Accept": "application/json",
            # Crossref's "polite pool" asks for a contact address in the User-Agent.
            "User-Agent": f"BackAndNeck/1.0 (+{settings.SITE_URL}; mailto:"
            f"{settings.REFERENCE_LOOKUP_CONTACT})",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.REFERENCE_LOOKUP_TIMEOUT) as answer:
            body = answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise LookupFailed(f"{service} knows no {what}. Check it for typos.", 404) from error
        raise LookupFailed(
            f"{service} answered with an error (HTTP {error.code}). Try again later, or fill "
            "in the fields by hand.",
            502,
        ) from error
    except (OSError, ValueError) as error:  # Offline, refused, timed out, bad address.
        raise LookupFailed(
            f"{service} could not be reached, so nothing was filled in. The site may be "
            "offline; fill in the fields by hand or try again later.",
            504,
        ) from error
    try:
        if len(body) > MAX_ANSWER_BYTES:
            raise ValueError("too large")
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError as error:
        raise LookupFailed(f"{service} sent an answer that could not be read.", 502) from error
    return data


def _first(values):
    if isinstance(values, list):
        values = values[0] if values else ""
    return " ".join(str(values or "").split())


def _initials(given):
    return "".join(part[0] for part in re.split(r"[\s.-]+", given) if part)


def _author_list(names):
    names = [" ".join(name.split()) for name in names if name and name.strip()]
    shown = ", ".join(names[:MAX_AUTHORS]) + (", et al." if len(names) > MAX_AUTHORS else "")
    return shown[:500]


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1800 <= year <= 2100 else None
