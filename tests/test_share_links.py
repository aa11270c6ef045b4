"""Share links: plain links to each network's share page with the article's address, and no
third-party script or pixel."""

import re
from urllib.parse import parse_qs, quote, urlsplit

SITE_URL = "https://backandneck.example"


def share_section(html):
    start = html.index('<section class="share"')
    return html[start : html.index("</section>", start)]


def test_an_article_has_plain_share_links_with_its_canonical_address(client, make_post, settings):
    settings.SITE_URL = SITE_URL
    post = make_post(title="Heat & ice: which one?", slug="heat-or-ice")
    html = client.get(post.get_absolute_url()).content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
    assert canonical == f"{SITE_URL}/heat-or-ice/"

    section = share_section(html)
    anchors = re.findall(r'<a class="share__link" href="([^"]+)"[^>]*>(.*?)</a>', section)
    links = {re.sub(r"<[^>]+>", "", name): href.replace("&amp;", "&") for href, name in anchors}
    assert set(links) == {
        "Share by Email",
        "Share on WhatsApp",
        "Share on Facebook",
        "Share on X (Twitter)",
        "Share on LinkedIn",
    }
    encoded = quote(canonical, safe="")
    assert links["Share by Email"] == f"mailto:?subject={quote(post.title, safe='')}&body={encoded}"
    for name, host, key in [
        ("Share on Facebook", "www.facebook.com", "u"),
        ("Share on X (Twitter)", "twitter.com", "url"),
        ("Share on LinkedIn", "www.linkedin.com", "url"),
        ("Share on WhatsApp", "wa.me", "text"),
    ]:
        href = urlsplit(links[name])
        assert href.scheme == "https" and href.netloc == host
        assert encoded in href.query  # Encoded once, whole, so the network gets the address.
        assert canonical in parse_qs(href.query)[key][0]
    # The copy button carries the same address; it stays hidden until site.js can copy.
    assert f'data-copy-link="{canonical}" hidden>Copy link</button>' in section


def test_share_links_load_nothing_from_other_sites(client, make_post):
    post = make_post()
    html = client.get(post.get_absolute_url()).content.decode()
    section = share_section(html)
    assert "<script" not in section and "<img" not in section and "<iframe" not in section
    scripts = re.findall(r"<script([^>]*)>", html)
    runnable = [script for script in scripts if 'type="application/ld+json"' not in script]
    # The site's own script and the view counter (blog/stats.py), both from our static files.
    assert runnable == [
        ' src="/static/js/site.js" defer',
        f' src="/static/blog/js/beacon.js" defer data-count-url="/{post.slug}/view/"',
    ]
