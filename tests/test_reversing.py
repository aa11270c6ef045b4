from django.urls import set_script_prefix

from pagecache.reversing import reverse_cached


def test_remembered_addresses_follow_the_script_prefix():
    assert reverse_cached("blog:post_detail", "neck-stretches") == "/neck-stretches/"
    set_script_prefix("/health/")
    try:
        assert reverse_cached("blog:post_detail", "neck-stretches") == "/health/neck-stretches/"
    finally:
        set_script_prefix("/")
    assert reverse_cached("blog:category_detail", "neck") == "/category/neck/"
