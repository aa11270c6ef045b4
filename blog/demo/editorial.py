"""
Demo content for the editors' tools (`manage.py seed_demo`): reusable snippets and where they
are used, a draft awaiting review, and a draft with an outside reviewer's note.
"""

# ruff: noqa: E501

SNIPPETS = [
    {
        "name": "Medical disclaimer",
        "slug": "medical-disclaimer",
        "body": "<p><strong>This article is general information, not medical advice.</strong> Ask your GP or physiotherapist about your own symptoms, and get urgent help if you have numbness between your legs, new problems with your bladder or bowels, or weakness in your legs.</p>",
    },
    {
        "name": "How we review",
        "slug": "how-we-review",
        "body": "<p><strong>How we review our articles:</strong> every article is checked by a clinician (a physiotherapist or doctor) against current guidelines before it is published, and again at least once a year. We list the sources we rely on under each article and correct mistakes openly.</p>",
    },
    {
        "name": "Disclosures",
        "slug": "disclosures",
        "body": "<p><strong>Disclosures:</strong> Back &amp; Neck takes no money from makers of treatments, devices or supplements, and publishes no sponsored content. Our writers and reviewers declare any conflicts of interest to the editors.</p>",
    },
]

# Shortcodes added at the end of these articles' bodies and pages' content when they are created.
SNIPPETS_IN_ARTICLES = {
    "lifting-without-hurting-your-back": ["how-we-review"],
    "tech-neck-phones-laptops-and-your-neck": ["medical-disclaimer"],
}
SNIPPETS_IN_PAGES = {"/about/": ["how-we-review", "disclosures"]}

# A writer's draft waiting for an editor.
AWAITING_REVIEW = {
    "slug": "tech-neck-phones-laptops-and-your-neck",
    "message": "Could a physio check the part about pillows? I wasn't sure how strongly to put it.",
}

# A draft an outside reviewer read through a preview link, with their note on a paragraph.
REVIEWER_NOTE = {
    "slug": "lifting-without-hurting-your-back",
    "shared_with": "Dr Amara Osei, physiotherapist (demo)",
    "paragraph": 2,
    "text": "Worth adding that people recovering from a recent disc injury may need to build up to lifting gradually, with advice from their physio.",
}


def with_snippets(html, keys):
    return html + "".join(f"\n<p>[snippet {key}]</p>" for key in keys)
