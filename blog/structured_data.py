"""
schema.org data for search engines, embedded in pages as JSON-LD. It states what the page
shows and nothing more: no FAQPage or HowTo markup (Google shows those for a few government
and health sites only, and an article is neither), no review it did not have.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def organization(site_settings):
    return {
        "@type": "Organization",
        "@id": absolute("/#organization"),
        "name": site_settings.site_name,
        "url": absolute("/"),
        "logo": urljoin(settings.SITE_URL, static("img/logo.svg")),
        "email": site_settings.contact_email,
        "sameAs": [link.url for link in site_settings.social_links.all()],
    }


def breadcrumbs(*trail):
    """A BreadcrumbList from (name, path) pairs, starting after Home."""
    items = [("Home", reverse("home")), *trail]
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(path)}
            for i, (name, path) in enumerate(items, start=1)
        ],
    }


def blog_posting(post, site_settings):
    url = absolute(post.get_absolute_url())
    profile = post.author_profile
    data = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": post.title,
        "description": post.description,
        "url": url,
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.last_updated.isoformat(),  # The "Last updated" readers see.
        "author": person(profile) if profile else {"@type": "Person", "name": post.author_name},
        "publisher": {"@id": absolute("/#organization")},
        "articleSection": post.category.name,
        "wordCount": post.word_count,
        "inLanguage": "en",
    }
    if post.featured_image:
        data["image"] = absolute(post.featured_image.url)
    return data


def medical_web_page(post):
    """
    The page around the article. schema.org puts review facts on the page (WebPage.reviewedBy,
    WebPage.lastReviewed), not on the BlogPosting, so health pages say who checked them here,
    with the sources the page lists. An article overdue for review still says when it was
    last reviewed: the page says so too, with the date.
    """
    url = absolute(post.get_absolute_url())
    data = {
        "@type": "MedicalWebPage",
        "@id": f"{url}#webpage",
        "url": url,
        "name": post.display_title,
        "description": post.description,
        "mainEntity": {"@id": f"{url}#article"},
        "isPartOf": {"@id": absolute("/#website")},
        "dateModified": post.last_updated.isoformat(),
        "inLanguage": "en",
    }
    if post.reviewed_by and post.last_reviewed:
        data["reviewedBy"] = person(post.reviewed_by)
        data["lastReviewed"] = post.last_reviewed.isoformat()
    if citations := [citation(reference) for reference in post.references.all()]:
        data["citation"] = citations
    return data


def person(profile):
    """A Person for an author profile or a reviewer, credentials as the honorific suffix."""
    data = {
        "@type": "Person",
        "name": profile.name,
        "url": absolute(profile.get_absolute_url()),
    }
    if profile.credentials:
        data["honorificSuffix"] = profile.credentials
    if getattr(profile, "profile_url", ""):
        data["sameAs"] = [profile.profile_url]
    if profile.photo:
        data["image"] = absolute(profile.photo.url)
    return data


def profile_page(profile):
    return {
        "@type": "ProfilePage",
        "url": absolute(profile.get_absolute_url()),
        "mainEntity": person(profile),
    }


def citation(reference):
    data = {"@type": "CreativeWork", "name": reference.title}
    if reference.link:
        data["url"] = reference.link
    if reference.publisher:
        data["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if reference.year:
        data["datePublished"] = str(reference.year)
    if reference.doi:
        data["sameAs"] = reference.doi_url
    return data


def graph(*nodes):
    return {"@context": "https://schema.org", "@graph": list(nodes)}


def website(site_settings):
    return {
        "@type": "WebSite",
        "@id": absolute("/#website"),
        "name": site_settings.site_name,
        "url": absolute("/"),
        "publisher": {"@id": absolute("/#organization")},
    }
