"""Rows for tests, made with keyword defaults: state only what matters to the test.

Plain functions, so that module-scoped fixtures can use them too; tests/conftest.py hands them
to tests as the make_* fixtures.
"""

from datetime import timedelta
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.models import Category, Post

_sequence = count(1)


def make_user(role=None, **kwargs):
    n = next(_sequence)
    kwargs.setdefault("username", f"user{n}")
    kwargs.setdefault("first_name", "Alex")
    kwargs.setdefault("last_name", f"Writer{n}")
    kwargs.setdefault("is_staff", role is not None)
    user = get_user_model().objects.create_user(password="pw", **kwargs)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_category(**kwargs):
    n = next(_sequence)
    kwargs.setdefault("name", f"Category {n}")
    kwargs.setdefault("slug", f"category-{n}")
    return Category.objects.create(**kwargs)


def make_post(tags=(), **kwargs):
    """Create a post; published an hour ago unless told otherwise."""
    n = next(_sequence)
    kwargs.setdefault("title", f"Post number {n}")
    kwargs.setdefault("excerpt", "A short summary.")
    kwargs.setdefault("body", "<p>Some helpful text about back pain.</p>")
    kwargs.setdefault("status", Post.Status.RELEASED)
    if kwargs["status"] == Post.Status.RELEASED:
        kwargs.setdefault("published_at", timezone.now() - timedelta(hours=1))
    if "author" not in kwargs:
        kwargs["author"] = make_user()
    if "category" not in kwargs:
        kwargs["category"] = make_category()
    post = Post.objects.create(**kwargs)
    if tags:
        post.tags.add(*tags)
    return post


def make_reviewer(**kwargs):
    from people.models import Reviewer

    n = next(_sequence)
    kwargs.setdefault("name", f"Dr Sam Reviewer{n}")
    kwargs.setdefault("slug", f"reviewer-{n}")
    kwargs.setdefault("credentials", "PT, DPT")
    return Reviewer.objects.create(**kwargs)


def make_author_profile(user=None, **kwargs):
    from people.models import AuthorProfile

    return AuthorProfile.objects.create(user=user or make_user(role="Author"), **kwargs)
