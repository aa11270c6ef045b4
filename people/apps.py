from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "authors and reviewers"

    def ready(self):
        from django.contrib.auth import get_user_model

        import pagecache

        from .models import AuthorProfile, Reviewer

        pagecache.declare_content(AuthorProfile, Reviewer)
        # Pages name authors by their user's name; logging in only records the time on the user.
        pagecache.declare_content(get_user_model(), unseen_fields={"last_login"}, external=True)
        pagecache.tag_pages("people:author_detail", "people:reviewer_detail", slug="author")
