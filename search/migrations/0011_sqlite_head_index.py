"""
SQLite: a second, small FTS5 index of each post's head (title, excerpt, category and tag
names), kept by the same triggers as search_post_fts. Ranking reads it first: its entries
are a fifteenth of the full index's, so ranking the posts whose head holds the reader's words
costs a fraction of reading their positions in the full index. Does nothing on other databases.
"""

import importlib

from django.db import migrations

first = importlib.import_module("search.migrations.0004_sqlite_index")


def index_post(row):
    return first.index_post(row) + f"""
  INSERT INTO search_post_head (rowid, title, excerpt, taxonomy)
    VALUES ({row}.id, {row}.title, {row}.excerpt, {first.taxonomy(f"{row}.id")});"""


UNINDEX_POST = first.UNINDEX_POST + """
  DELETE FROM search_post_head WHERE rowid = OLD.id;"""


def retag(posts):
    return first.retag(posts) + f"""
  UPDATE search_post_head SET taxonomy = {first.taxonomy("search_post_head.rowid")}
   WHERE rowid IN ({posts});"""


def triggers(index_post, unindex_post, retag):
    content_type = first.POST_CONTENT_TYPE
    return [
        f"CREATE TRIGGER search_post_inserted AFTER INSERT ON blog_post BEGIN"
        f" {index_post('NEW')} END",
        f"CREATE TRIGGER search_post_updated AFTER UPDATE ON blog_post BEGIN"
        f" {unindex_post} {index_post('NEW')} END",
        f"CREATE TRIGGER search_post_deleted AFTER DELETE ON blog_post BEGIN {unindex_post} END",
        f"""CREATE TRIGGER search_post_tagged AFTER INSERT ON taggit_taggeditem
            WHEN NEW.content_type_id = {content_type} BEGIN {retag("NEW.object_id")} END""",
        f"""CREATE TRIGGER search_post_untagged AFTER DELETE ON taggit_taggeditem
            WHEN OLD.content_type_id = {content_type} BEGIN {retag("OLD.object_id")} END""",
        f"""CREATE TRIGGER search_tag_renamed AFTER UPDATE OF name ON taggit_tag BEGIN
            {retag(first.TAGGED_POSTS)} END""",
        f"""CREATE TRIGGER search_category_renamed AFTER UPDATE OF name ON blog_category BEGIN
            {retag(first.CATEGORY_POSTS)} END""",
    ]


POST_TRIGGERS = [
    "search_post_inserted", "search_post_updated", "search_post_deleted", "search_post_tagged",
    "search_post_untagged", "search_tag_renamed", "search_category_renamed",
]  # fmt: skip


def replace_triggers(schema_editor, statements):
    for trigger in POST_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER {trigger}")
    for statement in statements:
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE search_post_head USING fts5(title, excerpt, taxonomy,"
        f" {first.TOKENIZE})"
    )
    schema_editor.execute(
        "INSERT INTO search_post_head (rowid, title, excerpt, taxonomy)"
        " SELECT rowid, title, excerpt, taxonomy FROM search_post_fts"
    )
    replace_triggers(schema_editor, triggers(index_post, UNINDEX_POST, retag))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    replace_triggers(schema_editor, triggers(first.index_post, first.UNINDEX_POST, first.retag))
    schema_editor.execute("DROP TABLE search_post_head")


class Migration(migrations.Migration):
    dependencies = [("search", "0010_more_starter_synonyms")]

    operations = [migrations.RunPython(forward, backward)]
