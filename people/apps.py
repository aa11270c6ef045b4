from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "authors and reviewers"

    def ready(self):
        from blog.checklist import check_links_to
        from blog.wordpress import author_imported

        from .models import AuthorProfile, Reviewer

        author_imported.connect(AuthorProfile.add_imported_writer, dispatch_uid="imported-writer")
        # The checklist tells editors when a link to a profile leads nowhere.
        check_links_to(
            "people:author_detail", lambda: AuthorProfile.objects.values_list("slug", flat=True)
        )
        check_links_to(
            "people:reviewer_detail", lambda: Reviewer.objects.values_list("slug", flat=True)
        )
