"""
PostgreSQL: every pair of words one or two positions apart in a post's search_document is
indexed as one more lexeme ("slip disc"), so a two-word phrase is an exact GIN lookup. A phrase
otherwise needs positions, which the GIN index does not keep: every candidate post's (toasted)
document was read and decompressed to check them (55 ms for "slipped disc" at 20,000 posts,
3 ms with the pairs). Does nothing on other databases.
"""

from django.db import migrations

# As in migration 0003.
POST_CONTENT_TYPE = (
    "(SELECT id FROM django_content_type WHERE app_label = 'blog' AND model = 'post')"
)

PAIRS = r"""
-- Words one position apart ("slip disc") and two apart ("sit _ day", one word between,
-- usually a stop word) as lexemes without positions: exactly what the phrase operators <->
-- and <2> check in the stored vector (its 256-positions-per-word cap included). Readers'
-- words never contain a space, so a pair never matches a single word.
CREATE FUNCTION search_word_pairs(document tsvector) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH word AS (SELECT lexeme, unnest(positions) AS position FROM unnest(document))
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT pair)), '') FROM (
      SELECT first.lexeme || ' ' || second.lexeme
        FROM word AS first JOIN word AS second ON second.position = first.position + 1
      UNION ALL
      SELECT first.lexeme || ' _ ' || second.lexeme
        FROM word AS first JOIN word AS second ON second.position = first.position + 2
    ) AS pairs (pair)
  $$;

-- What websearch_to_tsquery('english', phrase) matches, using the pairs: two words become
-- their pair; a longer phrase (or one with two stop words in a row) also requires its pairs,
-- so that only the few documents having all of them are read to check positions.
CREATE FUNCTION search_phrase(phrase text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH word AS (
      SELECT lexeme, lead(lexeme) OVER following AS next,
             lead(position) OVER following - position AS distance
        FROM unnest(to_tsvector('english', phrase)), unnest(positions) AS position
      WINDOW following AS (ORDER BY position)
    ), pair AS (
      -- As a quoted tsquery lexeme: quotes and backslashes escaped.
      SELECT '''' || replace(replace(
               lexeme || CASE distance WHEN 1 THEN ' ' ELSE ' _ ' END || next,
               '\', '\\'), '''', '''''') || '''' AS lexeme
        FROM word WHERE distance IN (1, 2)
    )
    SELECT CASE
      WHEN (SELECT count(*) FROM word) = 2 AND EXISTS (SELECT FROM pair)
        THEN (SELECT lexeme::tsquery FROM pair)
      WHEN EXISTS (SELECT FROM pair)
        THEN (SELECT string_agg(lexeme, ' & ')::tsquery FROM pair)
             && websearch_to_tsquery('english', phrase)
      ELSE websearch_to_tsquery('english', phrase)
    END
  $$;
"""


def document_function(pairs):
    """search_post_document() of migration 0003, with or without the word pairs."""
    add_pairs = (
        "NEW.search_document := NEW.search_document || search_word_pairs(NEW.search_document);"
        if pairs
        else ""
    )
    return f"""
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
  NEW.search_document :=
    NEW.search_head || setweight(to_tsvector('english', coalesce(NEW.body, '')), 'D');
  {add_pairs}
  RETURN NEW;
END $$;
-- Index what exists already (the trigger computes the document again).
UPDATE blog_post SET search_document = NULL;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAIRS + document_function(pairs=True))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            document_function(pairs=False)
            + "DROP FUNCTION search_phrase(text); DROP FUNCTION search_word_pairs(tsvector);"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_sqlite_index_entry")]

    operations = [migrations.RunPython(forward, backward)]
