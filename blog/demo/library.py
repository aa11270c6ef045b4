"""
The demo's media library: credits and licences for the generated featured images, and a few
illustrations placed in article bodies with captions, so the library, its "needs attention"
filter and body images can be seen at once. One featured image is left without a credit on
purpose: the filter then has something to list.
"""

FEATURED_CREDIT = "Illustration: Back & Neck studio"
FEATURED_LICENCE = "Our own illustration, CC BY 4.0"
# Its featured image has no credit yet, as happens when a writer uploads in a hurry.
UNCREDITED = "tech-neck-phones-laptops-and-your-neck"

# Illustrations placed in bodies after the given paragraph (counted from 1).
BODY_IMAGES = [
    {
        "slug": "setting-up-a-desk-that-is-kind-to-your-back",
        "after_paragraph": 2,
        "motif": "desk",
        "palette": ("#3a5a40", "#dad7cd"),
        "title": "Desk and chair, green",
        "alt": "A desk with the screen raised on a stand at eye level and a chair pulled close",
        "caption": "Raise the screen so that its top is at about eye level.",
        "credit": "Illustration: Back & Neck studio",
        "licence": "Our own illustration, CC BY 4.0",
    },
    {
        "slug": "neck-stretches-for-desk-work",
        "after_paragraph": 1,
        "motif": "neck",
        "palette": ("#1d3557", "#f1faee"),
        "title": "Neck in profile, blue",
        "alt": "A head and neck in profile, the chin gently drawn back",
        "caption": "A chin tuck: draw the chin straight back, not down.",
        "credit": "Illustration: Back & Neck studio",
        "licence": "Our own illustration, CC BY 4.0",
    },
    {
        "slug": "sleeping-positions-for-back-and-neck-pain",
        "after_paragraph": 2,
        "motif": "bed",
        "palette": ("#4a4e69", "#f2e9e4"),
        "title": "Bed under a crescent moon",
        "alt": "",
        "decorative": True,
        "caption": "",
        "credit": "Illustration: Back & Neck studio",
        "licence": "Our own illustration, CC BY 4.0",
    },
]


def with_image_after_paragraph(body, paragraph, image_html):
    """The body with image_html inserted after its n-th paragraph (or at its end)."""
    end = -1
    for _ in range(paragraph):
        end = body.find("</p>", end + 1)
        if end == -1:
            return body + image_html
    return body[: end + 4] + image_html + body[end + 4 :]
