"""
Is the sending domain set up the way Gmail's and Outlook's bulk-sender rules ask?

Looks up the From domain's SPF, DKIM (for the selector in NEWSLETTER_DKIM_SELECTOR) and DMARC
records and says in plain words what is missing. `manage.py check_sender` runs it and stores the
result (SenderCheck), which the admin dashboard shows: no DNS lookup happens in a page view.
"""

from dataclasses import asdict, dataclass
from email.utils import parseaddr

import dns.exception
import dns.resolver
from django.conf import settings

# Mailbox providers whose own domains may not be used as the From of bulk mail: their DMARC
# policies reject it, and Gmail's rules say so outright.
FREE_MAIL_DOMAINS = {
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "aol.com",
    "icloud.com",
    "gmx.de",
    "web.de",
}
DNS_TIMEOUT = 5.0  # seconds for each lookup


@dataclass(frozen=True)
class Finding:
    name: str  # What was checked, e.g. "SPF"
    ok: bool
    message: str  # Plain words: what was found, or what to add


@dataclass(frozen=True)
class SenderReport:
    domain: str
    findings: list

    @property
    def ok(self):
        return all(finding.ok for finding in self.findings)

    @property
    def missing(self):
        return [finding for finding in self.findings if not finding.ok]

    def as_dict(self):
        return {"domain": self.domain, "findings": [asdict(f) for f in self.findings]}


def from_domain():
    """The domain in NEWSLETTER_FROM_EMAIL: the one the mailbox providers judge."""
    return parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1].rpartition("@")[2].lower()


def make_resolver(nameserver=None):
    """The system's resolver, or one that asks only `nameserver` ("host" or "host:port")."""
    if not nameserver:
        resolver = dns.resolver.Resolver()
    else:
        host, _, port = nameserver.partition(":")
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [host]
        resolver.port = int(port or 53)
    resolver.lifetime = resolver.timeout = DNS_TIMEOUT
    return resolver


def txt_records(resolver, name):
    """The TXT strings at `name` (each record's pieces joined), [] when there are none."""
    try:
        answer = resolver.resolve(name, "TXT")
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer, dns.resolver.NoNameservers):
        return []
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def tags(record):
    """A DKIM or DMARC record's tags, `v=DMARC1; p=none` -> {"v": "DMARC1", "p": "none"}."""
    pairs = (part.partition("=") for part in record.split(";"))
    return {key.strip().lower(): value.strip() for key, eq, value in pairs if eq}


def check_sender(domain=None, selector=None, provider_include=None, resolver=None):
    """
    Look the records up and return a SenderReport. Raises dns.exception.Timeout when no
    nameserver answers (the caller says so, rather than calling every record missing).
    """
    domain = domain or from_domain()
    selector = settings.NEWSLETTER_DKIM_SELECTOR if selector is None else selector
    provider_include = (
        settings.NEWSLETTER_SPF_INCLUDE if provider_include is None else provider_include
    )
    resolver = resolver or make_resolver()
    dkim = _check_dkim(resolver, domain, selector)
    findings = [
        _check_from(domain),
        _check_spf(resolver, domain, provider_include),
        dkim,
        _check_dmarc(resolver, domain),
        Finding(
            "Alignment",
            dkim.ok,
            f"Mail is signed for {domain}, the domain in the From address (DMARC alignment)."
            if dkim.ok
            else f"Without a DKIM key under {domain}, the From domain is not aligned: "
            "DMARC passes only when SPF or DKIM passes for the From domain itself.",
        ),
        _check_one_click(),
    ]
    return SenderReport(domain=domain, findings=findings)


def _check_from(domain):
    if domain in FREE_MAIL_DOMAINS:
        return Finding(
            "From address",
            False,
            f"The From address is at {domain}, a mailbox provider's domain: bulk mail from it "
            "is rejected. Send from an address at the site's own domain (NEWSLETTER_FROM_EMAIL).",
        )
    return Finding("From address", True, f"Mail is sent from {settings.NEWSLETTER_FROM_EMAIL}.")


def _check_spf(resolver, domain, provider_include):
    records = [r for r in txt_records(resolver, domain) if r.lower().startswith("v=spf1")]
    if not records:
        return Finding(
            "SPF",
            False,
            f"No SPF record: add a TXT record at {domain} such as "
            f'"v=spf1 include:{provider_include or "your-provider.example"} ~all".',
        )
    if len(records) > 1:
        return Finding(
            "SPF",
            False,
            f"{domain} has {len(records)} SPF records; receivers treat that as no SPF at all. "
            "Merge them into one.",
        )
    terms = records[0].lower().split()
    if provider_include and f"include:{provider_include.lower()}" not in terms:
        return Finding(
            "SPF",
            False,
            f"The SPF record does not include your email provider: add "
            f'"include:{provider_include}" to "{records[0]}".',
        )
    if not any(term.endswith("all") for term in terms):
        return Finding(
            "SPF",
            False,
            f'The SPF record "{records[0]}" does not end with "~all" or "-all".',
        )
    return Finding("SPF", True, f'SPF record found: "{records[0]}".')


def _check_dkim(resolver, domain, selector):
    if not selector:
        return Finding(
            "DKIM",
            False,
            "No DKIM selector is configured: set NEWSLETTER_DKIM_SELECTOR to the selector your "
            "provider signs with (the part before ._domainkey in the record it gave you).",
        )
    name = f"{selector}._domainkey.{domain}"
    keys = [tags(r) for r in txt_records(resolver, name)]
    if not any(key.get("p") for key in keys):
        return Finding(
            "DKIM",
            False,
            f"No DKIM key at {name}: add the TXT (or CNAME) record your email provider gives "
            "you, so that mail is signed for your domain.",
        )
    return Finding("DKIM", True, f"DKIM key found at {name}.")


def _check_dmarc(resolver, domain):
    name = f"_dmarc.{domain}"
    records = [tags(r) for r in txt_records(resolver, name)]
    records = [r for r in records if r.get("v", "").upper() == "DMARC1"]
    if not records:
        return Finding(
            "DMARC",
            False,
            f"No DMARC record: Gmail, Yahoo and Outlook require one of bulk senders. Add a TXT "
            f'record at {name} such as "v=DMARC1; p=none; rua=mailto:dmarc@{domain}".',
        )
    record = records[0]
    if record.get("p", "").lower() not in {"none", "quarantine", "reject"}:
        return Finding(
            "DMARC",
            False,
            f"The DMARC record at {name} has no policy: add p=none (or quarantine, reject).",
        )
    if not record.get("rua"):
        return Finding(
            "DMARC",
            False,
            f"The DMARC record at {name} asks for no reports: add rua=mailto:dmarc@{domain} to "
            "hear when mail fails the checks (Outlook asks for it).",
        )
    return Finding("DMARC", True, f"DMARC policy p={record['p']} with reports to {record['rua']}.")


def _check_one_click():
    from .emails import RenderedIssue
    from .models import Subscriber

    message = RenderedIssue(subject="Check", text="", html="").message_for(
        Subscriber(pk=0, email="check@example.com")
    )
    one_click = message.extra_headers.get("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    https = message.extra_headers.get("List-Unsubscribe", "").startswith("<https://")
    if one_click and https:
        return Finding("One-click unsubscribe", True, "Every issue has one-click unsubscribe.")
    return Finding(
        "One-click unsubscribe",
        False,
        "One-click unsubscribe needs an https:// link: set SITE_URL to the site's https address.",
    )


def run_and_store(nameserver=None):
    """Check, store the result for the dashboard, and return the SenderCheck row."""
    from .models import SenderCheck

    try:
        report = check_sender(resolver=make_resolver(nameserver))
    except dns.exception.DNSException as error:
        return SenderCheck.record(domain=from_domain(), findings=[], error=str(error))
    return SenderCheck.record(domain=report.domain, findings=report.as_dict()["findings"])
