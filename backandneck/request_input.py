"""
Requests whose address or form holds characters no page or form of this site can take are
refused here, with one clear 400, before any view, cache or database sees them.

NUL is the one that matters: PostgreSQL refuses it in text, so a NUL that reaches a query
(a flat page or redirect lookup for the path, a token, a form field) would be a 500 there and
a silent success on SQLite. Other control characters in the path (CR, LF, tab…) never belong
to one of our addresses either. A form may hold them (a text area has line breaks), so only NUL
is refused there. Query strings are the views' to read: the search strips control characters
from what a reader typed and answers as usual, and a page number or an old WordPress id that
isn't one is a 404 (tests/test_bad_input_sweep.py holds every view to that). And a request with
the wrong method gets a sentence with its 405, not Django's empty body.
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

REFUSED = (
    "Your request contains characters we can’t accept (such as a null byte or a line break in "
    "the address). Please check what you typed, or start again from the home page."
)
UNREADABLE_FORM = "The form you sent could not be read. Please reload the page and try again."
WRONG_METHOD = (
    "This address doesn’t take that kind of request (it allows {allowed}). If you followed a "
    "link or sent a form here, please go back and try again from the page."
)


def _has_control_character(text):
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def _has_nul(query_dict):
    return any(
        "\0" in key or "\0" in value for key, values in query_dict.lists() for value in values
    )


class RefuseUnreadableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control_character(request.path_info):
            return _refuse(request, REFUSED)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                form = request.POST
            except MultiPartParserError:
                return _refuse(request, UNREADABLE_FORM)
            if _has_nul(form):
                return _refuse(request, REFUSED)
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method != "HEAD"
            and not response.streaming
            and not response.content
        ):
            # Django's require_POST and class views answer an empty 405: say what happened.
            response.content = WRONG_METHOD.format(allowed=response.get("Allow", "other methods"))
            response["Content-Type"] = "text/plain; charset=utf-8"
        return response


def _refuse(request, message):
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": False, "message": message}, status=400)
    # Without the request: the error pages render without context processors or the database.
    return HttpResponseBadRequest(render_to_string("400.html", {"message": message}))
