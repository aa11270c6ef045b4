"""
What content is: the models whose rows can show on a public page. Each app declares its own in
its AppConfig.ready() with declare_content(); a save, a delete, a change of a many-to-many
relation (a post's tags, a page's sites) or a bulk change of one of them starts a new content
generation (pagecache/generations.py) and tells a shared cache in front
(pagecache/shared_cache.py).

Bulk changes send no signals, so the managers of the project's own content models use
ContentQuerySet, whose update(), bulk_create() and bulk_update() start the generation
themselves (delete() sends post_delete for each row already); a system check fails for a
declared model whose managers do not. Models of other packages (Django's flatpages and sites,
taggit, the user model) keep their own managers: declared with external=True, they are watched
through their signals, and nothing of ours changes them in bulk.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.core import checks
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import generations, shared_cache


@dataclass(frozen=True)
class Content:
    model: type
    # Fields no page shows (a user's last login, a newsletter's deferral count): a save or bulk
    # update of only these starts no generation.
    unseen_fields: frozenset = field(default_factory=frozenset)
    # change_tags(instance, before, deleted, relation): the cache tags of the pages a change of
    # the row shows on (pagecache/shared_cache.py); by default every page ("site").
    change_tags: object = None
    # Read the row as stored before each save, so that change_tags can compare (one query,
    # only with a purging shared cache in front).
    compare_with_stored: bool = False
    external: bool = False


_declared = {}


def declare_content(
    *models, unseen_fields=(), change_tags=None, compare_with_stored=False, external=False
):
    """
    Declare models whose rows can show on public pages (from the owning app's, or for another
    package's model the showing app's, AppConfig.ready()). See the module's docstring.
    """
    for model in models:
        content = Content(
            model,
            frozenset(unseen_fields),
            change_tags,
            compare_with_stored,
            external,
        )
        label = model._meta.label
        _declared[label] = content
        post_save.connect(saved, sender=model, dispatch_uid=f"page-cache-{label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{label}")
        if compare_with_stored:
            pre_save.connect(
                shared_cache.remember_before_save,
                sender=model,
                dispatch_uid=f"shared-cache-before-{label}",
            )
    m2m_changed.connect(relation_changed, dispatch_uid="page-cache-m2m")


def declared(model):
    """The declaration of a content model, or None for a model no page shows."""
    return _declared.get(model._meta.label)


def content_models():
    return [content.model for content in _declared.values()]


def shows(model, fields):
    """Whether changing `fields` (names, or None for every field) of `model`'s rows shows."""
    content = declared(model)
    if content is None:
        return False
    return fields is None or not set(fields) <= content.unseen_fields


def content_changed(**kwargs):
    """
    Start a new generation now, and again once the current transaction commits (a signal
    receiver too). The first makes the change visible at once to this process (the editor's own
    next request, and tests); the second makes sure no page rendered from the database before
    the commit, and stored meanwhile, outlives it. Inside changes_batched(), only once, at its end.
    """
    if getattr(_batch, "depth", 0):
        _batch.changed = True
        return
    generations.new_generation()
    transaction.on_commit(generations.new_generation, using=kwargs.get("using"))
    # A shared cache in front (nginx, Varnish, a CDN) hears of it after the commit.
    shared_cache.changed(**kwargs)


_batch = threading.local()


@contextmanager
def changes_batched():
    """
    Save many content rows and start one new generation at the end, instead of two per save:
    for bulk work such as a WordPress import, where thousands of saves made the generations
    (each a file rename or a Redis write) a quarter of the time (bench/wordpress_import.py).
    """
    depth = getattr(_batch, "depth", 0)
    if depth == 0:
        _batch.changed = False
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth
        if depth == 0 and _batch.changed:
            content_changed()


def saved(sender, update_fields=None, **kwargs):
    # Logging in only records the time on the user, say: no page changes.
    if shows(sender, update_fields):
        content_changed(sender=sender, **kwargs)


def relation_changed(instance, action, **kwargs):
    if action.startswith("post_") and declared(type(instance)) is not None:
        content_changed(instance=instance, **kwargs)


class ContentQuerySet(models.QuerySet):
    """
    The queryset of every content model of ours (its managers' base): bulk changes start a new
    content generation as saves do, so no caller has to remember to.
    """

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows and shows(self.model, kwargs):
            content_changed(using=self.db)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created and shows(self.model, None):
            content_changed(using=self.db)
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows and shows(self.model, fields):
            content_changed(using=self.db)
        return rows

    bulk_update.alters_data = True


@checks.register(checks.Tags.caches)
def check_content_querysets(app_configs, **kwargs):
    """A content model of ours changed in bulk without ContentQuerySet would keep stale pages."""
    return content_problems(list(_declared.values()), apps.get_models())


def content_problems(declarations, models):
    """The system check's errors for these declarations (Content) among these models."""
    errors = []
    for content in declarations:
        if content.external:
            continue
        for manager in content.model._meta.managers:
            if not isinstance(manager.get_queryset(), ContentQuerySet):
                errors.append(
                    checks.Error(
                        f"{content.model._meta.label} is declared content, but its manager "
                        f"'{manager.name}' does not use pagecache.ContentQuerySet: its bulk "
                        "changes (update, bulk_create, bulk_update) would leave stale pages.",
                        hint="Base its queryset on pagecache.ContentQuerySet (or use "
                        "ContentQuerySet.as_manager()).",
                        obj=content.model,
                        id="pagecache.E003",
                    )
                )
    declared_models = {content.model for content in declarations}
    for model in models:
        queryset = model._default_manager.get_queryset()
        if isinstance(queryset, ContentQuerySet) and model not in declared_models:
            errors.append(
                checks.Error(
                    f"{model._meta.label} uses pagecache.ContentQuerySet but is not declared "
                    "content: its saves and deletes would leave stale pages.",
                    hint="Call pagecache.declare_content() for it in its app's AppConfig.ready().",
                    obj=model,
                    id="pagecache.E004",
                )
            )
    return errors
