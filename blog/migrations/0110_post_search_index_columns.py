"""
Post declares the search index's columns. On PostgreSQL they exist already (search migration
0003 added them with their triggers and GIN indexes): only Django's picture of the table
changes. Other databases get them as empty columns, so the table matches the model.
"""

from django.db import migrations

import blog.models


class AddFieldOutsidePostgreSQL(migrations.AddField):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0060_reader_page_indexes"),
        ("search", "0003_postgres_index"),
    ]

    operations = [
        AddFieldOutsidePostgreSQL("post", name, blog.models.SearchIndexField())
        for name in ("search_document", "search_head")
    ]
