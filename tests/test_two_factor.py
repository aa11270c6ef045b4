"""Staff sign-in with a second factor (TOTP) and the self-service password reset."""

import re
import time
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import default_task_backend

from stafflogin import views as staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def editor(make_user):
    return make_user(role="Editor", username="editor", email="editor@backandneck.example")


def log_in(client, password="pw", username="editor"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def code_for(key):
    """What an authenticator app shows now for this secret (bytes)."""
    return f"{TOTP(key).token():06d}"


def enter(client, code):
    return client.post("/admin/login/code/", {"code": code})


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def test_a_right_password_alone_signs_nobody_in(client, editor, two_factor):
    response = log_in(client)
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/code/"
    assert "_auth_user_id" not in client.session
    assert not is_signed_in(client)
    # Nor do staff-only views outside the admin see a staff member.
    assert client.get("/ckeditor/browse/").status_code == 302


def test_staff_without_an_authenticator_set_one_up_at_their_first_sign_in(
    client, editor, two_factor
):
    log_in(client)
    page = client.get("/admin/login/code/").content.decode()
    assert "Set up two-factor sign-in" in page
    assert "<svg" in page  # The QR code for the app.
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page)[1]

    response = enter(client, code_for(b32decode(secret)))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert is_signed_in(client)
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed
    # Next time the code is asked for, and the secret is never shown again.
    client.logout()
    log_in(client)
    page = client.get("/admin/login/code/").content.decode()
    assert "Enter the 6-digit code" in page
    assert secret not in page


def test_staff_with_an_authenticator_sign_in_with_its_code(client, editor, two_factor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    log_in(client)
    wrong = enter(client, f"{(int(code_for(device.bin_key)) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert not is_signed_in(client)
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # Skip the wait django-otp imposes.
    device.save()
    assert enter(client, code_for(device.bin_key))["Location"] == "/admin/"
    assert is_signed_in(client)


def test_a_code_works_once(client, editor, two_factor):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    code = code_for(device.bin_key)
    log_in(client)
    enter(client, code)
    assert is_signed_in(client)
    client.logout()
    log_in(client)
    assert enter(client, code).status_code == 200  # Replayed: refused.
    assert not is_signed_in(client)


def test_wrong_codes_send_the_guesser_back_to_the_password(client, editor, two_factor):
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    log_in(client)
    for _ in range(staff_login.CODE_TRIES - 1):
        assert enter(client, "000000").status_code == 200
    response = enter(client, "000000")
    assert response["Location"] == "/admin/login/"
    assert client.get("/admin/login/code/")["Location"] == "/admin/login/"


def test_the_code_step_expires(client, editor, two_factor, monkeypatch):
    log_in(client)
    later = time.time() + staff_login.PENDING_SECONDS + 1
    monkeypatch.setattr(staff_login.time, "time", lambda: later)
    assert client.get("/admin/login/code/")["Location"] == "/admin/login/"


def test_a_session_without_the_second_factor_is_not_let_into_the_admin(client, editor, settings):
    log_in(client)  # Signed in while the code was not required…
    assert is_signed_in(client)
    settings.STAFF_REQUIRE_2FA = True  # …is not enough once it is.
    assert not is_signed_in(client)


def test_without_the_setting_a_password_signs_staff_in(client, editor):
    assert log_in(client)["Location"] == "/admin/"


def test_check_deploy_warns_while_staff_sign_in_with_a_password_alone(settings):
    assert [w.id for w in staff_login.check_second_factor(None)] == ["stafflogin.W001"]
    settings.STAFF_REQUIRE_2FA = True
    assert staff_login.check_second_factor(None) == []


# Password reset ---------------------------------------------------------------------------


def ask_for_reset(client, email):
    return client.post("/admin/password_reset/", {"email": email})


def test_the_login_page_offers_a_password_reset(client):
    page = client.get("/admin/login/").content.decode()
    assert 'href="/admin/password_reset/"' in page


def test_a_reset_answers_the_same_for_known_and_unknown_addresses(client, editor):
    default_task_backend.clear()
    known = ask_for_reset(client, "editor@backandneck.example")
    unknown = ask_for_reset(client, "nobody@backandneck.example")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/admin/password_reset/done/"
    # Nothing is looked up or mailed in the request: both only queue the same task.
    assert mail.outbox == []
    assert [r.args for r in default_task_backend.results] == [
        ["editor@backandneck.example"],
        ["nobody@backandneck.example"],
    ]
    done = client.get("/admin/password_reset/done/")
    assert "Back &amp; Neck administration" in done.content.decode()


def test_the_reset_mail_lets_staff_choose_a_new_password(client, editor, settings):
    staff_login.send_password_reset.call("Editor@backandneck.example")
    staff_login.send_password_reset.call("nobody@backandneck.example")
    [message] = mail.outbox
    assert message.to == ["editor@backandneck.example"]
    link = re.search(r"http://127\.0\.0\.1:8000(/admin/reset/\S+/)", message.body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "a-much-better-passphrase-42"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/admin/reset/done/"
    assert log_in(client, password=new)["Location"] == "/admin/"


def test_only_staff_and_only_one_mail_in_five_minutes_per_address(client, editor, make_user):
    make_user(username="reader", email="reader@example.com")  # Not staff.
    staff_login.send_password_reset.call("reader@example.com")
    for _ in range(3):
        staff_login.send_password_reset.call("editor@backandneck.example")
    assert [m.to for m in mail.outbox] == [["editor@backandneck.example"]]


def test_reset_requests_are_rate_limited(client):
    for _ in range(10):
        assert ask_for_reset(client, "someone@example.com").status_code == 302
    assert ask_for_reset(client, "someone@example.com").status_code == 429


def test_a_session_without_the_second_factor_reaches_no_editor_tool(
    client, editor, settings, make_post
):
    draft = make_post(status="draft")
    log_in(client)  # Signed in while the code was not required…
    assert client.get(draft.get_absolute_url()).status_code == 200  # A preview of the draft.
    settings.STAFF_REQUIRE_2FA = True  # …opens none of the editor's tools once it is.
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/ckeditor/browse/").status_code == 302
    upload = client.post("/ckeditor/upload/", HTTP_ORIGIN="http://testserver")
    assert upload.status_code == 302 and "/login/" in upload["Location"]
