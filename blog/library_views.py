"""The media library's browse page: CKEditor's "Browse Server" and the featured-image picker."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from stafflogin.access import verified_staff_required

from .media_library import LibraryImage

IMAGES_PER_PAGE = 48
# What CKEditor adds to the browse address, kept through searches and pages.
CKEDITOR_PARAMETERS = ("CKEditor", "CKEditorFuncNum", "langCode")


# Opened by CKEditor in a window of its own, and by the picker in a frame of the post form.
@xframe_options_sameorigin
@never_cache
@verified_staff_required
@require_safe
def library_browse(request):
    if not request.user.has_perm("blog.view_libraryimage"):
        raise PermissionDenied("You may not browse the media library.")
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    images = LibraryImage.objects.search(query) if query else LibraryImage.objects.all()
    page = Paginator(images, IMAGES_PER_PAGE).get_page(request.GET.get("page"))
    kept = {name: request.GET[name][:100] for name in CKEDITOR_PARAMETERS if name in request.GET}
    return render(
        request,
        "blog/library_browse.html",
        {
            "page": page,
            "query": query,
            "kept": kept,
            "can_add": request.user.has_perm("blog.add_libraryimage"),
        },
    )
