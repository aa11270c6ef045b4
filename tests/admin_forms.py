"""Form data for the post admin, as a browser would post it."""


def post_form_data(category, **overrides):
    return {
        "title": "How to sit at a desk",
        "slug": "how-to-sit-at-a-desk",
        "category": category.pk,
        "tags": "posture, desk",
        "excerpt": "Sit well.",
        "body": "<p>Feet flat on the floor.</p>",
        "featured_image_alt": "",
        "seo_title": "",
        "meta_description": "",
        "review_interval_months": "12",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "care_cards-TOTAL_FORMS": "0",
        "care_cards-INITIAL_FORMS": "0",
        "preview_links-TOTAL_FORMS": "0",
        "preview_links-INITIAL_FORMS": "0",
        **overrides,
    }
