from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import limits, schedule, signup_brake, signup_sources, tasks, tokens, welcome
from .forms import SubscribeForm
from .models import Issue, Subscriber

ISSUES_PER_PAGE = 20
CHECK_YOUR_INBOX = (
    "Thanks! Please check your inbox: if this address isn’t subscribed yet, we’ve sent it a link "
    "to confirm."
)
# The brake is on (signup_brake.py): the answer is the same for every address.
PROVE_YOU_ARE_HUMAN = (
    "So many sign-ups are arriving at once that we check each one for bots. Your browser can "
    "do the check in a moment: it needs JavaScript. Without it, please try again in an hour; "
    "your address is still in the form."
)


@require_GET
def signup(request):
    return render(
        request,
        "newsletter/signup.html",
        {"form": SubscribeForm(), "send_day": schedule.weekly_send_day()},
    )


# No CSRF token, on purpose: the sign-up form is in the footer of every page, and a token there
# would make every page personal (a cookie and a per-reader token), so no page could be served
# from the page cache. CSRF protects actions that ride on the victim's login; this one uses none.
# It reads no session or user, and its only effect is an email to the address typed in; nobody
# is subscribed until the mailbox's owner opens the signed link and confirms (double opt-in).
# A forged cross-site post can do nothing the attacker could not do by posting here directly, and
# both are held by the per-network and per-address limits in limits.py. Every form that does act
# for someone (confirm, unsubscribe, resubscribe, the admin) keeps its CSRF token.
@csrf_exempt
@require_POST
def subscribe(request):
    """
    The sign-up form's target. The answer is the same whatever the address's state, so the
    form can't be used to find out who is subscribed.
    """
    form = SubscribeForm(request.POST)
    if not limits.allow_signup_from(request):
        message = "Too many sign-ups from your network. Please try again in an hour."
        return _answer(request, form, message, status=429)
    if not form.is_valid():
        return _answer(request, form, form.first_error(), status=400)
    if form.is_bot:
        return _answer(request, form, CHECK_YOUR_INBOX)
    proven = signup_brake.solved(request.POST.get("altcha", ""))
    if not proven and signup_brake.is_on():
        signup_brake.still_braking()
        return _answer(request, form, PROVE_YOU_ARE_HUMAN, status=429, challenge=True)
    # Whatever the address, the same one task: no lookup or mail here that could take
    # longer for some addresses than for others.
    tasks.request_subscription.enqueue(
        form.cleaned_data["email"], form.cleaned_data["source"], proven=proven
    )
    return _answer(request, form, CHECK_YOUR_INBOX)


@never_cache
@require_GET
def challenge(request):
    """A fresh proof-of-work challenge for the sign-up form's ALTCHA widget."""
    return JsonResponse(signup_brake.new_challenge())


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    # Mail scanners follow links: a GET only shows a button; the POST records consent.
    try:
        subscriber = tokens.read_confirm_token(token, Subscriber.objects)
    except tokens.InvalidToken as error:
        return _invalid_link(request, error, "confirm")
    if request.method == "POST":
        signup_sources.confirm(subscriber)
        signup_brake.forget_confirmations(subscriber.email)
        welcome.welcome_after_confirming(subscriber)
        return render(request, "newsletter/confirm_done.html", {"subscriber": subscriber})
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if tokens.is_test_send_token(token):
        return render(request, "newsletter/unsubscribe_test.html")
    try:
        subscriber = tokens.read_unsubscribe_token(token, Subscriber.objects)
    except tokens.InvalidToken as error:
        return _invalid_link(request, error, "unsubscribe")
    if request.method == "POST":
        subscriber.unsubscribe()
        undo_token = tokens.make_resubscribe_token(subscriber)
        return render(
            request,
            "newsletter/unsubscribe_done.html",
            {"subscriber": subscriber, "undo_token": undo_token},
        )
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail providers POST here with no cookies and no CSRF token.
@require_POST
def unsubscribe_one_click(request, token):
    if tokens.is_test_send_token(token):
        return HttpResponse(
            "Test send: the link works; nobody was unsubscribed.\n", content_type="text/plain"
        )
    try:
        subscriber = tokens.read_unsubscribe_token(token, Subscriber.objects)
    except tokens.InvalidToken:
        return HttpResponse(
            "This unsubscribe link is not valid.\n", status=400, content_type="text/plain"
        )
    subscriber.unsubscribe()
    return HttpResponse("You are unsubscribed.\n", content_type="text/plain")


@require_POST
def resubscribe(request):
    try:
        subscriber = tokens.read_resubscribe_token(
            request.POST.get("token", ""), Subscriber.objects
        )
    except tokens.InvalidToken as error:
        return _invalid_link(request, error, "resubscribe")
    subscriber.resubscribe()
    return render(request, "newsletter/resubscribe_done.html", {"subscriber": subscriber})


@require_GET
def issue_list(request):
    issues = Issue.objects.sent().order_by("-sent_at")
    try:
        # page(), not get_page(): every out-of-range number would be one more copy of the
        # last page in the page cache.
        page = Paginator(issues, ISSUES_PER_PAGE, allow_empty_first_page=True).page(
            request.GET.get("page") or 1
        )
    except InvalidPage as error:
        raise Http404("No such page of the archive.") from error
    return render(
        request,
        "newsletter/issue_list.html",
        {"page_obj": page, "issues": page, "send_day": schedule.weekly_send_day()},
    )


@require_GET
def issue_detail(request, pk):
    issue = get_object_or_404(Issue.objects.sent(), pk=pk)
    return render(
        request,
        "newsletter/issue_detail.html",
        {"issue": issue, "posts": issue.featured_posts().for_cards()},
    )


def _answer(request, form, message, status=200, challenge=False):
    """
    Answer the sign-up form: JSON for the page's script, a page without JavaScript. With
    `challenge`, the script shows the proof-of-work widget and sends the form again.
    """
    if request.headers.get("Accept", "").startswith("application/json"):
        answer = {"ok": status == 200, "message": message} | (
            {"challenge": True} if challenge else {}
        )
        return JsonResponse(answer, status=status)
    template = "newsletter/subscribe_done.html" if status == 200 else "newsletter/signup.html"
    context = {
        "form": form,
        "message": message,
        "challenge": challenge,
        "send_day": schedule.weekly_send_day(),
    }
    return render(request, template, context, status=status)


def _invalid_link(request, error, action):
    return render(
        request,
        "newsletter/link_invalid.html",
        {"expired": error.expired, "used": error.used, "action": action},
        status=410 if error.expired or error.used else 400,
    )
