"""schema.org data for search engines, embedded in pages as JSON-LD."""

from django.conf import settings
from django.urls import reverse


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def organization(site_settings):
    return {
        "@type": "Organization",
        "@id": absolute("/#organization"),
        "name": site_settings.site_name,
        "url": absolute("/"),
        "logo": absolute(settings.STATIC_URL + "img/logo.svg"),
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
    data = {
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.description,
        "url": absolute(post.get_absolute_url()),
        "mainEntityOfPage": absolute(post.get_absolute_url()),
        "datePublished": post.published_at.isoformat() if post.published_at else None,
        "dateModified": post.updated_at.isoformat(),
        "author": {"@type": "Person", "name": post.author_name},
        "publisher": {"@id": absolute("/#organization")},
        "articleSection": post.category.name,
        "wordCount": post.word_count,
        "inLanguage": "en",
    }
    if post.featured_image:
        data["image"] = absolute(post.featured_image.url)
    return data


def graph(*nodes):
    return {"@context": "https://schema.org", "@graph": list(nodes)}


def website(site_settings):
    return {
        "@type": "WebSite",
        "name": site_settings.site_name,
        "url": absolute("/"),
        "publisher": {"@id": absolute("/#organization")},
    }
