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

ALTER TABLE blog_post ADD COLUMN search_document tsvector;

-- Title A, excerpt B, category and tag names C, body D. The body is HTML: the default parser
-- reads tags and entities as their own token types, which the english configuration skips.
CREATE FUNCTION search_post_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_document :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.excerpt, '')), 'B') ||
    setweight(to_tsvector('english', concat_ws(' ',
      (SELECT name FROM blog_category WHERE id = NEW.category_id),
      (SELECT string_agg(tag.name, ' ') FROM taggit_taggeditem item
         JOIN taggit_tag tag ON tag.id = item.tag_id
        WHERE item.object_id = NEW.id AND item.content_type_id = {POST_CONTENT_TYPE})
    )), 'C') ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'D');
  RETURN NEW;
END $$;

CREATE TRIGGER search_post_document BEFORE INSERT OR UPDATE ON blog_post
  FOR EACH ROW EXECUTE FUNCTION search_post_document();

-- Tags are added after the post is saved, and categories and tags can be renamed: touching the
-- post's row runs the trigger above again.
CREATE FUNCTION search_tagged_item_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  item taggit_taggeditem;
BEGIN
  IF TG_OP = 'DELETE' THEN item := OLD; ELSE item := NEW; END IF;
  IF item.content_type_id = {POST_CONTENT_TYPE} THEN
    UPDATE blog_post SET search_document = NULL WHERE id = item.object_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER search_tagged_item_changed AFTER INSERT OR DELETE OR UPDATE ON taggit_taggeditem
  FOR EACH ROW EXECUTE FUNCTION search_tagged_item_changed();

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

-- Every word of published posts (as written, not stemmed) with the number of posts using it.
CREATE TABLE search_word (word text PRIMARY KEY, documents integer NOT NULL);
CREATE INDEX search_word_trigram ON search_word USING gin (word gin_trgm_ops);

CREATE FUNCTION search_post_words(title text, excerpt text, body text) RETURNS text[]
  LANGUAGE sql IMMUTABLE AS $$
    SELECT tsvector_to_array(to_tsvector('simple', concat_ws(' ', title, excerpt, body)))
  $$;

CREATE FUNCTION search_word_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_words text[] := '{{}}';
  new_words text[] := '{{}}';
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.title, OLD.excerpt, OLD.body, OLD.status)
      IS NOT DISTINCT FROM (NEW.title, NEW.excerpt, NEW.body, NEW.status) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
    old_words := search_post_words(OLD.title, OLD.excerpt, OLD.body);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
    new_words := search_post_words(NEW.title, NEW.excerpt, NEW.body);
  END IF;
  UPDATE search_word SET documents = documents - 1
   WHERE word = ANY (old_words) AND NOT word = ANY (new_words);
  DELETE FROM search_word WHERE documents <= 0 AND word = ANY (old_words);
  INSERT INTO search_word (word, documents)
    SELECT word, 1 FROM unnest(new_words) AS word WHERE NOT word = ANY (old_words)
    ON CONFLICT (word) DO UPDATE SET documents = search_word.documents + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER search_word_counts AFTER INSERT OR DELETE OR UPDATE ON blog_post
  FOR EACH ROW EXECUTE FUNCTION search_word_counts();

-- Index what exists already.
UPDATE blog_post SET search_document = NULL;
INSERT INTO search_word (word, documents)
  SELECT word, count(*) FROM blog_post, unnest(search_post_words(title, excerpt, body)) AS word
   WHERE status = 'published' GROUP BY word;
"""

BACKWARD = """
DROP TRIGGER search_word_counts ON blog_post;
DROP FUNCTION search_word_counts();
DROP FUNCTION search_post_words(text, text, text);
DROP TABLE search_word;
DROP TRIGGER search_category_renamed ON blog_category;
DROP FUNCTION search_category_renamed();
DROP TRIGGER search_tag_renamed ON taggit_tag;
DROP FUNCTION search_tag_renamed();
DROP TRIGGER search_tagged_item_changed ON taggit_taggeditem;
DROP FUNCTION search_tagged_item_changed();
DROP TRIGGER search_post_document ON blog_post;
DROP FUNCTION search_post_document();
ALTER TABLE blog_post DROP COLUMN search_document;
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
