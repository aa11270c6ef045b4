"""
PostgreSQL's search index: a weighted tsvector on every post, kept by triggers, and the table of
words in published articles for spelling suggestions. Does nothing on other databases.
"""

from django.db import migrations

POST_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'blog' AND model = 'post')"
)

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- search_document: title A, excerpt B, category and tag names C, body D; what matches.
-- search_head: the same without the body. It is small and stays in the row, so ranking
-- thousands of matches by it is cheap, where ranking by the whole (toasted) document is not.
-- The body is HTML: the default parser reads tags and entities as their own token types,
-- which the english configuration skips.
ALTER TABLE blog_post ADD COLUMN search_document tsvector, ADD COLUMN search_head tsvector;
-- Keep rows narrow: bodies and documents move out of the row, the head stays in it. Ranking
-- and counting then read a quarter of the pages (20,000 posts: 9 MB of rows instead of 33 MB).
ALTER TABLE blog_post SET (toast_tuple_target = 256);
ALTER TABLE blog_post ALTER COLUMN search_head SET STORAGE PLAIN;
CREATE FUNCTION search_post_document() RETURNS trigger LANGUAGE plpgsql AS $$
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
  NEW.search_document := NEW.search_head || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'D');
  RETURN NEW;
END $$;

CREATE TRIGGER search_post_document BEFORE INSERT OR UPDATE ON blog_post
  FOR EACH ROW EXECUTE FUNCTION search_post_document();

-- Tags are added after the post is saved, and categories and tags can be renamed: touching the
-- post's row runs the trigger above again.
-- Per statement, so that adding several tags re-indexes a post once, not once per tag.
CREATE FUNCTION search_tagged_items_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' THEN
    UPDATE blog_post SET search_document = NULL
     WHERE id IN (SELECT object_id FROM new_rows WHERE content_type_id = {POST_CONTENT_TYPE});
  END IF;
  IF TG_OP <> 'INSERT' THEN
    UPDATE blog_post SET search_document = NULL
     WHERE id IN (SELECT object_id FROM old_rows WHERE content_type_id = {POST_CONTENT_TYPE});
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER search_tagged_items_inserted AFTER INSERT ON taggit_taggeditem
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_tagged_items_changed();
CREATE TRIGGER search_tagged_items_updated AFTER UPDATE ON taggit_taggeditem
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_tagged_items_changed();
CREATE TRIGGER search_tagged_items_deleted AFTER DELETE ON taggit_taggeditem
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_tagged_items_changed();

CREATE FUNCTION search_tag_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE blog_post SET search_document = NULL WHERE id IN (
    SELECT object_id FROM taggit_taggeditem
     WHERE tag_id = NEW.id AND content_type_id = {POST_CONTENT_TYPE});
  RETURN NULL;
END $$;

CREATE TRIGGER search_tag_renamed AFTER UPDATE OF name ON taggit_tag
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION search_tag_renamed();

CREATE FUNCTION search_category_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE blog_post SET search_document = NULL WHERE category_id = NEW.id;
  RETURN NULL;
END $$;

CREATE TRIGGER search_category_renamed AFTER UPDATE OF name ON blog_category
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION search_category_renamed();

CREATE INDEX search_post_document ON blog_post USING gin (search_document);
CREATE INDEX search_post_head ON blog_post USING gin (search_head);

-- Every word of published posts (as written, not stemmed) with the number of posts using it.
CREATE TABLE search_word (word text PRIMARY KEY, documents integer NOT NULL);
CREATE INDEX search_word_trigram ON search_word USING gin (word gin_trgm_ops);

CREATE FUNCTION search_post_words(title text, excerpt text, body text) RETURNS text[]
  LANGUAGE sql IMMUTABLE AS $$
    SELECT tsvector_to_array(to_tsvector('simple', concat_ws(' ', title, excerpt, body)))
  $$;

-- Counted per statement from transition tables, not per row: an import of many posts then
-- updates each common word once instead of once per post (which, inside one transaction,
-- slows down with every new version of the same row).
CREATE FUNCTION search_word_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_word AS w (word, documents)
      SELECT word, count(*) FROM new_rows, unnest(search_post_words(title, excerpt, body)) word
       WHERE status = 'published' GROUP BY word
      ON CONFLICT (word) DO UPDATE SET documents = w.documents + EXCLUDED.documents;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE search_word AS w SET documents = w.documents - gone.posts
      FROM (SELECT word, count(*) AS posts
              FROM old_rows, unnest(search_post_words(title, excerpt, body)) word
             WHERE status = 'published' GROUP BY word) AS gone
     WHERE w.word = gone.word;
  ELSE
    -- Only rows whose words or visibility changed; touching a row to re-index it costs nothing.
    INSERT INTO search_word AS w (word, documents)
      SELECT word, sum(delta) FROM old_rows o JOIN new_rows n ON n.id = o.id,
        LATERAL (
          SELECT word, -1 AS delta FROM unnest(search_post_words(o.title, o.excerpt, o.body)) word
           WHERE o.status = 'published'
          UNION ALL
          SELECT word, 1 FROM unnest(search_post_words(n.title, n.excerpt, n.body)) word
           WHERE n.status = 'published'
        ) AS change
       WHERE (o.title, o.excerpt, o.body, o.status)
             IS DISTINCT FROM (n.title, n.excerpt, n.body, n.status)
       GROUP BY word HAVING sum(delta) <> 0
      ON CONFLICT (word) DO UPDATE SET documents = w.documents + EXCLUDED.documents;
  END IF;
  DELETE FROM search_word WHERE documents <= 0;
  RETURN NULL;
END $$;

CREATE TRIGGER search_word_counts_insert AFTER INSERT ON blog_post
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_word_counts();
CREATE TRIGGER search_word_counts_update AFTER UPDATE ON blog_post
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION search_word_counts();
CREATE TRIGGER search_word_counts_delete AFTER DELETE ON blog_post
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_word_counts();
-- Rows whose count fell to zero, found without reading the whole table.
CREATE INDEX search_word_unused ON search_word (word) WHERE documents <= 0;

-- Index what exists already.
UPDATE blog_post SET search_document = NULL;
INSERT INTO search_word (word, documents)
  SELECT word, count(*) FROM blog_post, unnest(search_post_words(title, excerpt, body)) AS word
   WHERE status = 'published' GROUP BY word;
"""

BACKWARD = """
DROP TRIGGER search_word_counts_insert ON blog_post;
DROP TRIGGER search_word_counts_update ON blog_post;
DROP TRIGGER search_word_counts_delete ON blog_post;
DROP FUNCTION search_word_counts();
DROP FUNCTION search_post_words(text, text, text);
DROP TABLE search_word;
DROP TRIGGER search_category_renamed ON blog_category;
DROP FUNCTION search_category_renamed();
DROP TRIGGER search_tag_renamed ON taggit_tag;
DROP FUNCTION search_tag_renamed();
DROP TRIGGER search_tagged_items_inserted ON taggit_taggeditem;
DROP TRIGGER search_tagged_items_updated ON taggit_taggeditem;
DROP TRIGGER search_tagged_items_deleted ON taggit_taggeditem;
DROP FUNCTION search_tagged_items_changed();
DROP TRIGGER search_post_document ON blog_post;
DROP FUNCTION search_post_document();
ALTER TABLE blog_post DROP COLUMN search_document, DROP COLUMN search_head;
ALTER TABLE blog_post RESET (toast_tuple_target);
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_starter_synonyms"),
        ("blog", "0002_roles"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
