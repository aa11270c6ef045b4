from django.shortcuts import get_object_or_404

from blog.views import PostListView

from .models import AuthorProfile, Reviewer


class AuthorDetailView(PostListView):
    """An author's profile and their public articles."""

    template_name = "people/author_detail.html"

    def get_queryset(self):
        self.profile = get_object_or_404(
            AuthorProfile.objects.select_related("user"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(author=self.profile.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.profile, **kwargs)


class ReviewerDetailView(PostListView):
    """A medical reviewer's profile and the public articles they reviewed."""

    template_name = "people/reviewer_detail.html"

    def get_queryset(self):
        self.reviewer = get_object_or_404(Reviewer, slug=self.kwargs["slug"])
        return super().get_queryset().filter(reviewed_by=self.reviewer)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.reviewer, **kwargs)


author_detail = AuthorDetailView.as_view()
reviewer_detail = ReviewerDetailView.as_view()
