"""
SQLite's search index: FTS5 tables for posts, the words of published posts (for spelling
suggestions) and static pages, kept by triggers. Does nothing on other databases.

The triggers call search_plain_text(), a Python function every Django connection registers
(search/apps.py), to index article text rather than HTML.
"""

from django.db import migrations

TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"
POST_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'blog' AND model = 'post')"
)


def taxonomy(post):
    """SQL for the category and tag names of the post whose id is the SQL `post`."""
    return f"""(
      coalesce((SELECT category.name FROM blog_post p JOIN blog_category category
          ON category.id = p.category_id WHERE p.id = {post}), '') || ' ' ||
      coalesce((SELECT group_concat(tag.name, ' ') FROM taggit_taggeditem item
          JOIN taggit_tag tag ON tag.id = item.tag_id
        WHERE item.object_id = {post} AND item.content_type_id = {POST_CONTENT_TYPE}), ''))"""


def index_post(row):
    return f"""
  INSERT INTO search_post_fts (rowid, title, excerpt, taxonomy, body, post_id)
    VALUES ({row}.id, {row}.title, {row}.excerpt, {taxonomy(f"{row}.id")},
            search_plain_text({row}.body), {row}.id);
  INSERT INTO search_post_words (rowid, words)
    SELECT {row}.id, {row}.title || ' ' || {row}.excerpt || ' ' || search_plain_text({row}.body)
     WHERE {row}.status = 'published';"""


UNINDEX_POST = """
  DELETE FROM search_post_fts WHERE rowid = OLD.id;
  DELETE FROM search_post_words WHERE rowid = OLD.id;"""


def retag(posts):
    return f"""
  UPDATE search_post_fts SET taxonomy = {taxonomy("search_post_fts.rowid")}
   WHERE rowid IN ({posts});"""


TAGGED_POSTS = (
    "SELECT object_id FROM taggit_taggeditem"
    f" WHERE tag_id = NEW.id AND content_type_id = {POST_CONTENT_TYPE}"
)
CATEGORY_POSTS = "SELECT id FROM blog_post WHERE category_id = NEW.id"

STATEMENTS = [
    # post_id repeats the rowid in a column FTS5 cannot look up by, so that SQLite's planner
    # never runs the full-text query once per post: it matches first, then fetches the posts.
    "CREATE VIRTUAL TABLE search_post_fts USING fts5("
    f"title, excerpt, taxonomy, body, post_id UNINDEXED, {TOKENIZE})",
    # Only the vocabulary of this one is used, so it keeps no positions (detail=none).
    "CREATE VIRTUAL TABLE search_post_words USING fts5(words, detail=none,"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE search_post_words_vocab USING fts5vocab(search_post_words, 'row')",
    f"CREATE VIRTUAL TABLE search_page_fts USING fts5(title, content, {TOKENIZE})",
    f"CREATE TRIGGER search_post_inserted AFTER INSERT ON blog_post BEGIN {index_post('NEW')} END",
    f"""CREATE TRIGGER search_post_updated AFTER UPDATE ON blog_post BEGIN
        {UNINDEX_POST} {index_post("NEW")} END""",
    f"CREATE TRIGGER search_post_deleted AFTER DELETE ON blog_post BEGIN {UNINDEX_POST} END",
    # Tags are added after the post is saved, and categories and tags can be renamed.
    f"""CREATE TRIGGER search_post_tagged AFTER INSERT ON taggit_taggeditem
        WHEN NEW.content_type_id = {POST_CONTENT_TYPE} BEGIN {retag("NEW.object_id")} END""",
    f"""CREATE TRIGGER search_post_untagged AFTER DELETE ON taggit_taggeditem
        WHEN OLD.content_type_id = {POST_CONTENT_TYPE} BEGIN {retag("OLD.object_id")} END""",
    f"""CREATE TRIGGER search_tag_renamed AFTER UPDATE OF name ON taggit_tag BEGIN
        {retag(TAGGED_POSTS)} END""",
    f"""CREATE TRIGGER search_category_renamed AFTER UPDATE OF name ON blog_category BEGIN
        {retag(CATEGORY_POSTS)} END""",
    """CREATE TRIGGER search_page_inserted AFTER INSERT ON django_flatpage BEGIN
        INSERT INTO search_page_fts (rowid, title, content)
          VALUES (NEW.id, NEW.title, search_plain_text(NEW.content)); END""",
    """CREATE TRIGGER search_page_updated AFTER UPDATE ON django_flatpage BEGIN
        DELETE FROM search_page_fts WHERE rowid = OLD.id;
        INSERT INTO search_page_fts (rowid, title, content)
          VALUES (NEW.id, NEW.title, search_plain_text(NEW.content)); END""",
    """CREATE TRIGGER search_page_deleted AFTER DELETE ON django_flatpage BEGIN
        DELETE FROM search_page_fts WHERE rowid = OLD.id; END""",
    # Index what exists already.
    f"""INSERT INTO search_post_fts (rowid, title, excerpt, taxonomy, body, post_id)
        SELECT id, title, excerpt, {taxonomy("blog_post.id")}, search_plain_text(body), id
          FROM blog_post""",
    """INSERT INTO search_post_words (rowid, words)
        SELECT id, title || ' ' || excerpt || ' ' || search_plain_text(body) FROM blog_post
         WHERE status = 'published'""",
    """INSERT INTO search_page_fts (rowid, title, content)
        SELECT id, title, search_plain_text(content) FROM django_flatpage""",
]

DROPPED = [
    "search_post_inserted", "search_post_updated", "search_post_deleted", "search_post_tagged",
    "search_post_untagged", "search_tag_renamed", "search_category_renamed",
    "search_page_inserted", "search_page_updated", "search_page_deleted",
]  # fmt: skip


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in STATEMENTS:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for trigger in DROPPED:
            schema_editor.execute(f"DROP TRIGGER {trigger}")
        for table in ["search_post_words_vocab", "search_post_words", "search_post_fts",
                      "search_page_fts"]:
            schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_postgres_index"),
        ("blog", "0002_roles"),
        ("flatpages", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
