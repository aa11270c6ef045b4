from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"

    def ready(self):
        from anymail.signals import tracking

        from . import webhooks  # noqa: F401 (registers its deployment check)
        from .bounces import handle_tracking_event

        tracking.connect(handle_tracking_event, dispatch_uid="newsletter.bounces")
