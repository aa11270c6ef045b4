from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from .models import Category, Post
from .widgets import TagAutocompleteWidget


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class PublicationStatusFilter(admin.SimpleListFilter):
    title = "publication"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Live")]

    def queryset(self, request, queryset):
        return {
            "draft": queryset.drafts,
            "scheduled": queryset.scheduled,
            "live": queryset.published,
        }.get(self.value(), queryset.all)()


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "publication_state",
        "category",
        "author",
        "published_at",
        "is_featured",
        "thumbnail",
    ]
    list_filter = [PublicationStatusFilter, "category", "author", "is_featured"]
    list_select_related = ["category", "author"]
    search_fields = ["title", "excerpt"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["category"]
    readonly_fields = ["thumbnail", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["blog/admin/post.css"]}

    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "tags", "excerpt", "body"]}),
        ("Featured image", {"fields": ["featured_image", "thumbnail", "featured_image_alt"]}),
        ("Publication", {"fields": ["status", "published_at", "is_featured", "author"]}),
        (
            "Search engines",
            {"fields": ["seo_title", "meta_description"], "classes": ["collapse"]},
        ),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # Authors write; only users with "publish_post" (Editors) publish. Every route that could
    # make a post public checks this: the form fields, saving, and the bulk actions.
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            kwargs["widget"] = TagAutocompleteWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def can_publish(self, request):
        return request.user.has_perm("blog.publish_post")

    def has_publish_permission(self, request):
        return self.can_publish(request)

    def get_queryset(self, request):
        posts = super().get_queryset(request)
        return posts if self.can_publish(request) else posts.filter(author=request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or self.can_publish(request):
            return allowed
        # An author may edit only their own posts, and only while no reader can see them.
        return allowed and obj.author_id == request.user.pk and obj.status == Post.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(
            request, obj
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.can_publish(request):
            fields += ["status", "published_at", "is_featured", "author"]
        return fields

    def get_changeform_initial_data(self, request):
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if not self.can_publish(request):
            obj.status = Post.Status.DRAFT
            if not change:
                obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="state", ordering="published_at")
    def publication_state(self, post):
        if post.status == Post.Status.DRAFT:
            return "Draft"
        if post.is_scheduled:
            local = timezone.localtime(post.published_at)
            return format_html("Scheduled for {}", local.strftime("%-d %b %Y, %H:%M"))
        return "Live"

    @admin.display(description="image")
    def thumbnail(self, post):
        if not post.featured_image:
            return "—"
        return format_html(
            '<img src="{}" alt="" style="max-height:48px;max-width:80px;object-fit:cover">',
            post.featured_image.url,
        )

    @admin.action(description="Publish selected posts now", permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        count = 0
        for post in queryset.filter(status=Post.Status.DRAFT):
            post.status = Post.Status.PUBLISHED
            post.published_at = post.published_at or now
            post.save()
            count += 1
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected posts (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        count = 0
        for post in queryset.filter(status=Post.Status.PUBLISHED):
            post.status = Post.Status.DRAFT
            post.save()
            count += 1
        self.message_user(request, f"Moved {count} post(s) back to draft.", messages.SUCCESS)
