"""
CKEditor's image upload endpoint, with the same checks as featured images (blog/images.py).

CKEditor 4 posts the file as "upload" and expects JSON ({"uploaded": 1, "url": …} or
{"uploaded": 0, "error": {"message": …}}) when it uploads by XHR, or a script calling
CKEDITOR.tools.callFunction when its image dialog posts into a hidden frame
(https://ckeditor.com/docs/ckeditor4/latest/guide/dev_file_upload.html).
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from stafflogin.access import verified_staff_required

from . import media_library
from .images import validate_image


# CKEditor 4 cannot send Django's CSRF token (its image dialog posts a plain form into a hidden
# frame), so instead of the token this view demands what every browser sends with a POST: an
# Origin (or, failing that, a Referer) naming this site. A page elsewhere cannot forge either,
# so it cannot make a signed-in editor's browser upload. Its answer is shown in a hidden
# same-origin frame, so it alone may be framed.
@csrf_exempt
@xframe_options_sameorigin
@verified_staff_required
@require_POST
def ckeditor_upload(request):
    if not from_this_site(request):
        return HttpResponseForbidden(
            "Uploads are accepted only from this site's own editor. Reload the admin page and "
            "try again."
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return upload_response(request, error="Choose an image to upload.")
    try:
        validate_image(upload)
    except ValidationError as error:
        return upload_response(request, error=" ".join(error.messages))
    # Stored once, in the media library, under a name chosen from the content (never the
    # uploader's); the same image uploaded again gets the library's copy.
    image = media_library.add_upload(upload, user=request.user)
    return upload_response(request, url=image.url, name=image.file.name)


def from_this_site(request):
    origin = request.headers.get("Origin")
    if origin is None and (referer := request.headers.get("Referer")):
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if not origin or origin == "null":
        return False
    this_site = f"{request.scheme}://{request.get_host()}"
    return origin == this_site or origin in settings.CSRF_TRUSTED_ORIGINS


def upload_response(request, url="", name="", error=""):
    func_num = request.GET.get("CKEditorFuncNum", "")
    if func_num.isdigit() and request.GET.get("responseType") != "json":
        # json.dumps makes both strings safe JavaScript literals; "</" is escaped so a file
        # name cannot close the script element.
        arguments = ", ".join(json.dumps(value).replace("</", "<\\/") for value in (url, error))
        call = f"window.parent.CKEDITOR.tools.callFunction({func_num}, {arguments});"
        return HttpResponse(f"<script>{call}</script>")
    if error:
        return JsonResponse({"uploaded": 0, "error": {"message": error}})
    return JsonResponse({"uploaded": 1, "fileName": name.rsplit("/", 1)[-1], "url": url})
