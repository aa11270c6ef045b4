from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BlogConfig(AppConfig):
    name = "blog"

    def ready(self):
        from .search_documents import leave_out_shortcodes

        post_migrate.connect(leave_out_shortcodes, sender=self)
