from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "authors and reviewers"

    def ready(self):
        from django.contrib.auth import get_user_model

        import pagecache
        from blog.checklist import check_links_to
        from blog.wordpress import author_imported

        from .models import AuthorProfile, Reviewer

        pagecache.declare_content(AuthorProfile, Reviewer)
        # Pages name authors by their user's name; logging in only records the time on the user.
        pagecache.declare_content(get_user_model(), unseen_fields={"last_login"}, external=True)
        pagecache.tag_pages("people:author_detail", "people:reviewer_detail", slug="author")
        author_imported.connect(AuthorProfile.add_imported_writer, dispatch_uid="imported-writer")
        # The checklist tells editors when a link to a profile leads nowhere.
        check_links_to(
            "people:author_detail", lambda: AuthorProfile.objects.values_list("slug", flat=True)
        )
        check_links_to(
            "people:reviewer_detail", lambda: Reviewer.objects.values_list("slug", flat=True)
        )
