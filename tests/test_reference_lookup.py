"""
Sources filled in from a DOI (Crossref) or a PubMed ID (NCBI E-utilities), against local fakes
of both APIs that replay answers recorded from the real ones (tests/data/references/).
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.messages import get_messages

from blog import references_lookup
from blog.models import Post
from tests.admin_forms import post_form_data

DATA = Path(__file__).parent / "data" / "references"
DOI = "10.1016/S0140-6736(18)30480-X"
PMID = "29573870"

pytestmark = pytest.mark.django_db


class FakeApis(BaseHTTPRequestHandler):
    """/crossref/works/<DOI> and /pubmed/esummary.fcgi?id=<PMID>, as the real services answer."""

    requests = []

    def do_GET(self):
        url = urlsplit(self.path)
        self.requests.append((self.path, self.headers.get("User-Agent", "")))
        if url.path.startswith("/crossref/works/"):
            doi = unquote(url.path.removeprefix("/crossref/works/"))
            if doi.lower() == DOI.lower():
                return self.answer(200, "crossref_work_10.1016_S0140-6736-18-30480-X.json")
            return self.answer(404, None, b"Resource not found.", "text/plain")
        if url.path == "/pubmed/esummary.fcgi":
            pmid = parse_qs(url.query).get("id", [""])[0]
            name = (
                "pubmed_esummary_29573870.json"
                if pmid == PMID
                else "pubmed_esummary_not_found.json"
            )
            return self.answer(200, name)
        if url.path.startswith("/broken/"):
            return self.answer(200, None, b"<html>Service unavailable</html>", "text/html")
        return self.answer(500, None, b"", "text/plain")

    def answer(self, status, name, body=None, content_type="application/json"):
        body = (DATA / name).read_bytes() if name else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def apis(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApis)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CROSSREF_API_URL = f"{base}/crossref"
    settings.PUBMED_API_URL = f"{base}/pubmed"
    FakeApis.requests = []
    yield base
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "pasted, expected",
    [
        (DOI, ("doi", DOI)),
        (f"doi:{DOI}", ("doi", DOI)),
        (f" https://doi.org/{DOI} ", ("doi", DOI)),
        (f"https://dx.doi.org/{DOI}", ("doi", DOI)),
        (PMID, ("pmid", PMID)),
        (f"PMID: {PMID}", ("pmid", PMID)),
        (f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/", ("pmid", PMID)),
    ],
)
def test_dois_and_pubmed_ids_are_recognised_however_they_are_pasted(pasted, expected):
    assert references_lookup.parse_identifier(pasted) == expected


@pytest.mark.parametrize("pasted", ["", "hello", "10.12/x", "0", "https://example.org/10.1000/x"])
def test_anything_else_is_refused_with_a_message(pasted):
    with pytest.raises(references_lookup.LookupFailed, match="neither a DOI"):
        references_lookup.parse_identifier(pasted)


def test_a_doi_fills_in_authors_title_journal_year_and_link_from_crossref(apis):
    details = references_lookup.look_up(f"https://doi.org/{DOI}")
    assert details.title == "What low back pain is and why we need to pay attention"
    assert details.authors == (
        "Hartvigsen J, Hancock MJ, Kongsted A, Louw Q, Ferreira ML, Genevay S, et al."
    )
    assert details.publisher == "The Lancet"
    assert details.year == 2018
    assert details.url == f"https://doi.org/{DOI}"
    # Crossref's polite pool: the requests name the site and a contact address.
    assert "mailto:" in FakeApis.requests[0][1]


def test_a_pubmed_id_fills_in_the_same_from_pubmed_with_the_doi(apis):
    details = references_lookup.look_up(f"PMID: {PMID}")
    assert details.title == "What low back pain is and why we need to pay attention"
    assert details.authors.startswith("Hartvigsen J, Hancock MJ, Kongsted A")
    assert details.publisher == "Lancet (London, England)"
    assert details.year == 2018
    assert details.url == f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/"
    assert details.doi == DOI


def test_unknown_identifiers_say_so(apis):
    with pytest.raises(references_lookup.LookupFailed, match="Crossref knows no DOI") as doi:
        references_lookup.look_up("10.9999/does-not-exist")
    with pytest.raises(references_lookup.LookupFailed, match="PubMed knows no PMID") as pmid:
        references_lookup.look_up("99999999999")
    assert doi.value.status == pmid.value.status == 404


def test_offline_and_garbled_answers_give_a_clear_message(settings, apis):
    settings.CROSSREF_API_URL = "http://127.0.0.1:9"  # Nothing listens: as when offline.
    with pytest.raises(references_lookup.LookupFailed, match="could not be reached"):
        references_lookup.look_up(DOI)
    settings.PUBMED_API_URL = f"{apis}/broken"
    with pytest.raises(references_lookup.LookupFailed, match="could not be read"):
        references_lookup.look_up(PMID)


def test_the_look_up_button_gets_the_details_as_json(client, editor, apis):
    client.force_login(editor)
    answer = client.get("/admin/blog/post/reference-lookup/", {"id": f"doi:{DOI}"})
    assert answer.status_code == 200
    assert answer.json()["source"]["publisher"] == "The Lancet"
    missing = client.get("/admin/blog/post/reference-lookup/", {"id": "10.9999/nothing"})
    assert missing.status_code == 404
    assert "Crossref knows no DOI 10.9999/nothing" in missing.json()["message"]
    assert client.get("/admin/blog/post/reference-lookup/", {"id": "x\0y"}).status_code == 400


def test_the_look_up_is_for_staff_only(client, apis):
    answer = client.get("/admin/blog/post/reference-lookup/", {"id": DOI})
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert FakeApis.requests == []


def test_the_post_form_has_a_look_up_button_script(client, editor):
    client.force_login(editor)
    page = client.get("/admin/blog/post/add/").content.decode()
    assert "blog/admin/reference_lookup.js" in page
    assert 'data-lookup-url="/admin/blog/post/reference-lookup/"' in page


def source_form(category, author, **source):
    fields = {f"references-0-{name}": value for name, value in source.items()}
    return post_form_data(
        category, status="draft", author=author.pk, **{"references-TOTAL_FORMS": "1", **fields}
    )


def test_without_javascript_a_source_saved_with_only_a_pmid_is_filled_in(
    client, editor, category, apis
):
    client.force_login(editor)
    response = client.post("/admin/blog/post/add/", source_form(category, editor, pmid=PMID))
    assert response.status_code == 302
    source = Post.objects.get().references.get()
    assert source.title == "What low back pain is and why we need to pay attention"
    assert source.publisher == "Lancet (London, England)"
    assert (source.year, source.pmid, source.doi) == (2018, PMID, DOI)


def test_what_the_editor_typed_is_kept_and_only_empty_fields_are_filled(
    client, editor, category, apis
):
    client.force_login(editor)
    client.post(
        "/admin/blog/post/add/",
        source_form(category, editor, title="Low back pain (Lancet series)", doi=f"doi:{DOI}"),
    )
    source = Post.objects.get().references.get()
    assert source.title == "Low back pain (Lancet series)"
    assert source.publisher == "The Lancet" and source.authors.startswith("Hartvigsen J")


def test_a_failed_look_up_never_stops_the_save(client, editor, category):
    # No fake API running: the lookup fails as when the site is offline.
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/", source_form(category, editor, doi=DOI), follow=True
    )
    source = Post.objects.get().references.get()
    assert source.title == f"DOI {DOI}" and source.doi == DOI
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("not looked up: Crossref could not be reached" in m for m in warnings)


def test_a_source_needs_a_title_or_an_identifier(client, editor, category):
    client.force_login(editor)
    response = client.post(
        "/admin/blog/post/add/", source_form(category, editor, publisher="NHS", year="2020")
    )
    assert response.status_code == 200
    assert "Give the title, or a DOI or PMID to look it up." in response.content.decode()
    assert not Post.objects.exists()


def test_sources_show_their_authors_and_pubmed_link(client, make_post):
    post = make_post()
    post.references.create(
        title="What low back pain is", authors="Hartvigsen J, et al.", pmid="29573870"
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Hartvigsen J, et al." in page
    assert "https://pubmed.ncbi.nlm.nih.gov/29573870/" in page


def test_a_pubmed_address_pasted_whole_is_kept_as_the_bare_pmid(client, editor, category, apis):
    client.force_login(editor)
    form = source_form(category, editor, pmid=f"https://pubmed.ncbi.nlm.nih.gov/{PMID}/")
    assert client.post("/admin/blog/post/add/", form).status_code == 302
    assert Post.objects.get().references.get().pmid == PMID
    bad = source_form(category, editor, title="X", pmid="PMID: twelve")
    assert "A PubMed ID is a number" in client.post("/admin/blog/post/add/", bad).content.decode()
