"""
PostgreSQL: the word counts of migration 0003 (search_word, for spelling suggestions) no longer
make concurrent post saves queue behind each other. The triggers upserted each word's shared
count row and held its lock until commit, so two editors or two importers saving different posts
that share common words ("the", "pain") waited for each other's commit.

Now a save appends its changes to search_word_delta (rows nobody else touches), then folds the
pending changes into search_word only if no other transaction is folding at that moment; the
others leave theirs for the next fold. search_word_count (a view) adds what is pending to the
folded counts, so readers always see every committed change. Does nothing on other databases.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE search_word_delta (word text NOT NULL, documents integer NOT NULL);
CREATE INDEX search_word_delta_word ON search_word_delta (word);

CREATE VIEW search_word_count AS
  SELECT word, sum(documents)::integer AS documents
    FROM (SELECT word, documents FROM search_word
          UNION ALL SELECT word, documents FROM search_word_delta) AS counted
   GROUP BY word;

-- One folder at a time, and nobody ever waits for it: the lock is tried, not awaited, and only
-- a fold writes search_word. The fold's row locks then block no save.
CREATE FUNCTION search_fold_word_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('search_fold_word_counts')) THEN
    RETURN;
  END IF;
  WITH moved AS (DELETE FROM search_word_delta RETURNING word, documents)
  INSERT INTO search_word AS w (word, documents)
    SELECT word, sum(documents) FROM moved GROUP BY word HAVING sum(documents) <> 0
    ON CONFLICT (word) DO UPDATE SET documents = w.documents + EXCLUDED.documents;
  DELETE FROM search_word WHERE documents <= 0;
END $$;

CREATE OR REPLACE FUNCTION search_word_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO search_word_delta (word, documents)
      SELECT word, count(*) FROM new_rows, unnest(search_post_words(title, excerpt, body)) word
       WHERE status = 'published' GROUP BY word;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO search_word_delta (word, documents)
      SELECT word, -count(*) FROM old_rows, unnest(search_post_words(title, excerpt, body)) word
       WHERE status = 'published' GROUP BY word;
  ELSE
    -- Only rows whose words or visibility changed; touching a row to re-index it costs nothing.
    INSERT INTO search_word_delta (word, documents)
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
       GROUP BY word HAVING sum(delta) <> 0;
  END IF;
  PERFORM search_fold_word_counts();
  RETURN NULL;
END $$;
"""

# Migration 0003's counting, after folding what is pending.
BACKWARD = r"""
CREATE OR REPLACE FUNCTION search_word_counts() RETURNS trigger LANGUAGE plpgsql AS $$
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
SELECT pg_advisory_xact_lock(hashtext('search_fold_word_counts'));
SELECT search_fold_word_counts();
DROP FUNCTION search_fold_word_counts();
DROP VIEW search_word_count;
DROP TABLE search_word_delta;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("search", "0012_documents_without_shortcodes")]

    operations = [migrations.RunPython(forward, backward)]
