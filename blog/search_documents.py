"""
PostgreSQL: a reusable snippet's shortcode ("[snippet medical-disclaimer]", blog/snippets.py)
stands for text kept elsewhere, so the search document and the search vocabulary leave it out,
as blog.html.plain_text does for SQLite's index and for word counts; so do flat pages'.

The search app's migrations (0003, 0006, 0007) define the trigger functions; they are redefined here
with the shortcodes taken out of the body, after every migrate (post_migrate), because a blog
migration that depended on the search app's would reorder the whole migration plan. Doing it
again is harmless: the definitions are the same, and only posts with shortcodes are reindexed
when the definition changes.
"""

from django.db import connections

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


def leave_out_shortcodes(using="default", **kwargs):
    """post_migrate: redefine the search functions if the search migrations made them."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.proname IN "
            "('search_post_document', 'search_word_pairs', 'search_page_document')"
        )
        definitions = dict(cursor.fetchall())
        # All exist (search 0007 ran), and the documents do not leave shortcodes out yet.
        if len(definitions) == 3 and "[snippet" not in definitions["search_post_document"]:
            cursor.execute(FUNCTIONS)
