"""
PostgreSQL: a reusable snippet's shortcode ("[snippet medical-disclaimer]", blog/snippets.py)
stands for text kept elsewhere, so the search documents and the search vocabulary leave it out,
as blog.html.plain_text does for SQLite's index and for word counts; flat pages' too. Redefines
the functions of migrations 0003, 0006 and 0007 with the shortcodes taken out, and reindexes
the posts and pages that hold one. Does nothing on other databases.
"""

from django.db import migrations

POST_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'blog' AND model = 'post')"
)
WITHOUT_SHORTCODES = (
    r"regexp_replace(coalesce({}, ''), '\[snippet[[:space:]]+[-[:alnum:]_]+[[:space:]]*\]', "
    r"' ', 'g')"
)

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION search_post_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_head :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.excerpt, '')), 'B') ||
    setweight(to_tsvector('english', concat_ws(' ',
      (SELECT name FROM blog_category WHERE id = NEW.category_id),
      (SELECT string_agg(tag.name, ' ') FROM taggit_taggeditem item
         JOIN taggit_tag tag ON tag.id = item.tag_id
        WHERE item.object_id = NEW.id AND item.content_type_id = {POST_CONTENT_TYPE})
    )), 'C');
  NEW.search_document := NEW.search_head
    || setweight(to_tsvector('english', {WITHOUT_SHORTCODES.format("NEW.body")}), 'D');
  NEW.search_document := NEW.search_document || search_word_pairs(NEW.search_document);
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION search_post_words(title text, excerpt text, body text) RETURNS text[]
  LANGUAGE sql IMMUTABLE AS $$
    SELECT tsvector_to_array(to_tsvector('simple',
      concat_ws(' ', title, excerpt, {WITHOUT_SHORTCODES.format("body")})))
  $$;
CREATE OR REPLACE FUNCTION search_page_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_page WHERE flatpage_id = OLD.id;
  ELSE
    INSERT INTO search_page (flatpage_id, document)
      VALUES (NEW.id, setweight(to_tsvector('english', NEW.title), 'A')
        || to_tsvector('english', regexp_replace({WITHOUT_SHORTCODES.format("NEW.content")},
             '<[^>]*>', ' ', 'g')))
      ON CONFLICT (flatpage_id) DO UPDATE SET document = EXCLUDED.document;
  END IF;
  RETURN NULL;
END $$;
UPDATE blog_post SET search_document = NULL WHERE strpos(body, '[snippet') > 0;
UPDATE django_flatpage SET content = content WHERE strpos(content, '[snippet') > 0;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("search", "0011_sqlite_head_index")]

    # Backwards the functions keep leaving shortcodes out, which is harmless.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
