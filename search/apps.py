from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .engines.sqlite import register_functions

        register_functions(connection.connection)


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Site search"

    def ready(self):
        # The SQLite full-text triggers call a Python function to turn article HTML into text;
        # every connection Django opens gets it (a plain sqlite3 shell does not: write through
        # Django).
        connection_created.connect(register_sqlite_functions)
        import pagecache
        from blog import readability

        from .models import Recommendation, Synonym

        pagecache.declare_content(Recommendation, Synonym)
        # The editorial checklist suggests the plainer phrase of a synonym group (blog never
        # imports search).
        readability.add_synonym_source(Synonym.objects.groups)
