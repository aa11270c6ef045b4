from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"

    def ready(self):
        from anymail.signals import tracking

        from . import webhooks  # noqa: F401 (registers its deployment check)
        from .bounces import handle_tracking_event

        tracking.connect(handle_tracking_event, dispatch_uid="newsletter.bounces")

        import pagecache

        from .models import Issue, IssuePost, SendingSettings

        # The archive shows sent issues; a send's deferral count is the editors' alone.
        pagecache.declare_content(Issue, unseen_fields={"deferred_count"})
        pagecache.declare_content(IssuePost, SendingSettings)
        pagecache.page_parameter("newsletter:issue_list", "page")
