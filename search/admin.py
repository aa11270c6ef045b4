from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from .models import DailySearch, Recommendation, Synonym

REPORT_DAYS = 30


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["__str__"]
    search_fields = ["phrases"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["query", "post", "position"]
    list_editable = ["position"]
    list_select_related = ["post"]
    search_fields = ["query", "post__title"]
    autocomplete_fields = ["post"]


@admin.register(DailySearch)
class DailySearchAdmin(admin.ModelAdmin):
    """What readers search for. Counted by the site; nobody edits it."""

    list_display = ["query", "day", "searches", "results", "fallback"]
    list_filter = ["day", "fallback"]
    search_fields = ["query"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        since = timezone.localdate() - timedelta(days=REPORT_DAYS)
        extra_context = {
            "report_days": REPORT_DAYS,
            "top_searches": DailySearch.objects.top(since),
            "top_without_results": DailySearch.objects.top_without_results(since),
            "top_fallbacks": DailySearch.objects.top_fallbacks(since),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)
