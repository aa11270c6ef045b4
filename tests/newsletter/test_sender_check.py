"""manage.py check_sender, against a fake DNS server on 127.0.0.1 (no network)."""

import socket
import threading
from io import StringIO

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from django.core.management import call_command
from django.urls import reverse

from newsletter.models import SenderCheck

pytestmark = pytest.mark.django_db

GOOD_RECORDS = {
    "backandneck.example.": ["v=spf1 include:amazonses.com ~all"],
    "news2026._domainkey.backandneck.example.": ["v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GN"],
    "_dmarc.backandneck.example.": ["v=DMARC1; p=quarantine; rua=mailto:dmarc@backandneck.example"],
}


class FakeDNS:
    """A tiny UDP DNS server answering TXT questions from `records` (name -> strings)."""

    def __init__(self, records):
        self.records = records
        self.questions = []
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                wire, client = self.socket.recvfrom(4096)
            except OSError:  # Closed: the test is over.
                return
            query = dns.message.from_wire(wire)
            response = dns.message.make_response(query)
            question = query.question[0]
            name = question.name.to_text().lower()
            self.questions.append(name)
            answers = self.records.get(name)
            if answers is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT:
                # Long TXT records come in 255-byte pieces; a resolver joins them.
                quoted = [
                    " ".join(f'"{text[i : i + 255]}"' for i in range(0, len(text), 255))
                    for text in answers
                ]
                response.answer.append(
                    dns.rrset.from_text_list(question.name, 300, "IN", "TXT", quoted)
                )
            self.socket.sendto(response.to_wire(), client)

    def close(self):
        self.socket.close()


@pytest.fixture
def sender(settings):
    settings.NEWSLETTER_FROM_EMAIL = "Back & Neck <news@backandneck.example>"
    settings.NEWSLETTER_DKIM_SELECTOR = "news2026"
    settings.NEWSLETTER_SPF_INCLUDE = "amazonses.com"
    settings.SITE_URL = "https://backandneck.example"


@pytest.fixture
def fake_dns():
    servers = []

    def serve(records):
        server = FakeDNS(records)
        servers.append(server)
        return f"127.0.0.1:{server.port}"

    yield serve
    for server in servers:
        server.close()


def check(nameserver):
    out = StringIO()
    call_command("check_sender", nameserver=nameserver, stdout=out, stderr=out)
    return out.getvalue()


def test_a_domain_with_every_record_meets_the_rules(sender, fake_dns):
    output = check(fake_dns(GOOD_RECORDS))
    assert "The domain meets the bulk-sender rules." in output
    assert "MISSING" not in output
    stored = SenderCheck.objects.get()
    assert stored.domain == "backandneck.example"
    assert stored.missing == []


def test_a_bare_domain_is_told_what_to_add(sender, fake_dns):
    output = check(fake_dns({"backandneck.example.": ["google-site-verification=abc"]}))
    assert "No SPF record: add a TXT record at backandneck.example" in output
    assert "include:amazonses.com" in output
    assert "No DKIM key at news2026._domainkey.backandneck.example" in output
    assert "No DMARC record" in output and "_dmarc.backandneck.example" in output
    assert "the From domain is not aligned" in output
    assert "4 thing(s) to fix" in output
    assert "One-click unsubscribe" in output and "MISSING One-click" not in output


def test_spf_without_the_provider_and_dmarc_without_reports_are_named(sender, fake_dns):
    records = {
        **GOOD_RECORDS,
        "backandneck.example.": ["v=spf1 include:_spf.google.com ~all"],
        "_dmarc.backandneck.example.": ["v=DMARC1; p=none"],
    }
    output = check(fake_dns(records))
    assert 'does not include your email provider: add "include:amazonses.com"' in output
    assert "asks for no reports: add rua=mailto:dmarc@backandneck.example" in output
    assert "DKIM key found" in output


def test_two_spf_records_count_as_none(sender, fake_dns):
    records = {**GOOD_RECORDS, "backandneck.example.": ["v=spf1 -all", "v=spf1 mx -all"]}
    assert "has 2 SPF records" in check(fake_dns(records))


def test_a_long_dkim_key_split_into_pieces_is_read_whole(sender, fake_dns):
    key = "v=DKIM1; k=rsa; p=" + "A" * 400
    records = {**GOOD_RECORDS, "news2026._domainkey.backandneck.example.": [key]}
    assert "DKIM key found" in check(fake_dns(records))


def test_no_selector_configured_says_which_setting_to_set(sender, fake_dns, settings):
    settings.NEWSLETTER_DKIM_SELECTOR = ""
    assert "set NEWSLETTER_DKIM_SELECTOR" in check(fake_dns(GOOD_RECORDS))


def test_sending_from_a_free_mailbox_domain_is_refused(settings, fake_dns):
    settings.NEWSLETTER_FROM_EMAIL = "backandneck@gmail.com"
    assert "a mailbox provider's domain" in check(fake_dns({}))


def test_an_http_site_url_breaks_one_click_unsubscribe(sender, fake_dns, settings):
    settings.SITE_URL = "http://backandneck.example"
    assert "needs an https:// link" in check(fake_dns(GOOD_RECORDS))


def test_no_answer_from_dns_is_reported_not_taken_for_missing_records(sender, monkeypatch):
    from newsletter import sender_check

    monkeypatch.setattr(sender_check, "DNS_TIMEOUT", 0.2)
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))  # Receives, never answers.
    try:
        output = check(f"127.0.0.1:{silent.getsockname()[1]}")
    finally:
        silent.close()
    assert "Could not look up the DNS records of backandneck.example" in output
    assert SenderCheck.objects.get().error


def test_the_dashboard_shows_the_stored_result_without_looking_anything_up(
    sender, fake_dns, admin_client, monkeypatch
):
    check(fake_dns({}))
    from newsletter import sender_check

    def no_lookups(*args, **kwargs):
        raise AssertionError("the dashboard must not look up DNS")

    monkeypatch.setattr(sender_check, "check_sender", no_lookups)
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Sending domain backandneck.example" in page
    assert "missing for Gmail’s and Outlook’s bulk-sender rules" in page
    assert "No DMARC record" in page


def test_the_dashboard_asks_for_a_first_check(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "run <code>manage.py check_sender</code>" in page
