"""
PostgreSQL: every static page's search vector (title A, text D), stored in search_page and kept
by triggers, instead of computed from the page's HTML by every search (a millisecond of the
database's time for four short pages). Does nothing on other databases.
"""

from django.db import migrations

FORWARD = r"""
-- No foreign key, so that Django's flush (TRUNCATE) of django_flatpage in tests is not refused;
-- the triggers keep the two in step instead.
CREATE TABLE search_page (flatpage_id integer PRIMARY KEY, document tsvector NOT NULL);

CREATE FUNCTION search_page_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM search_page WHERE flatpage_id = OLD.id;
  ELSE
    INSERT INTO search_page (flatpage_id, document)
      VALUES (NEW.id, setweight(to_tsvector('english', NEW.title), 'A')
        || to_tsvector('english', regexp_replace(NEW.content, '<[^>]*>', ' ', 'g')))
      ON CONFLICT (flatpage_id) DO UPDATE SET document = EXCLUDED.document;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER search_page_document AFTER INSERT OR UPDATE OF title, content OR DELETE
  ON django_flatpage FOR EACH ROW EXECUTE FUNCTION search_page_document();

CREATE FUNCTION search_page_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE search_page;
  RETURN NULL;
END $$;
CREATE TRIGGER search_page_truncated AFTER TRUNCATE ON django_flatpage
  FOR EACH STATEMENT EXECUTE FUNCTION search_page_truncated();

-- The pages that exist already.
INSERT INTO search_page (flatpage_id, document)
  SELECT id, setweight(to_tsvector('english', title), 'A')
    || to_tsvector('english', regexp_replace(content, '<[^>]*>', ' ', 'g'))
  FROM django_flatpage;
"""

BACKWARD = """
DROP TRIGGER search_page_truncated ON django_flatpage;
DROP TRIGGER search_page_document ON django_flatpage;
DROP FUNCTION search_page_truncated();
DROP FUNCTION search_page_document();
DROP TABLE search_page;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_postgres_word_pairs"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
