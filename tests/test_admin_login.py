import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def axes_on(settings):
    settings.AXES_ENABLED = True


def log_in(client, password, username="editor", ip="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_repeated_wrong_passwords_lock_the_login_for_a_while(client, make_user, settings):
    make_user(role="Editor", username="editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong").status_code == 200  # The form again, with an error.
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    assert "paused for 30 minutes" in locked.content.decode()
    # Even the right password is refused until the pause ends.
    assert log_in(client, "pw").status_code == 429


def test_a_lockout_affects_only_the_address_that_guessed(client, make_user, settings):
    make_user(role="Editor", username="editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    response = log_in(client, "pw", ip="198.51.100.20")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_an_attacker_guessing_at_the_admin_cannot_lock_the_admin_out(client, make_user, settings):
    # Behind nginx (NUM_PROXIES=1) every request comes from 127.0.0.1; the reader's address is
    # the last X-Forwarded-For entry, appended by nginx after whatever the client sent.
    settings.NUM_PROXIES = 1
    make_user(role="Editor", username="admin")

    def attempt(password, forwarded_for):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong", "198.51.100.66")
    assert attempt("pw", "198.51.100.66").status_code == 429  # The attacker's address is locked…
    # …and claiming the admin's address in the header gets the attacker nowhere.
    assert attempt("pw", "203.0.113.7, 198.51.100.66").status_code == 429
    response = attempt("pw", "203.0.113.7")  # The admin, elsewhere, logs in.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_wrong_passwords_for_one_account_do_not_lock_another(client, make_user, settings):
    make_user(role="Editor", username="editor")
    make_user(role="Editor", username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    assert log_in(client, "pw").status_code == 429
    assert log_in(client, "pw", username="colleague").status_code == 302


def test_a_successful_login_forgets_earlier_mistakes(client, make_user, settings):
    make_user(role="Editor", username="editor")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong")
    assert log_in(client, "pw").status_code == 302
    client.logout()
    assert log_in(client, "wrong").status_code == 200


def test_staff_sessions_expire_and_end_with_the_browser(client, make_user):
    make_user(role="Editor", username="editor")
    response = log_in(client, "pw")
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"]  # A browser-session cookie…
    assert client.session.get_expiry_age() == 8 * 60 * 60  # …that the server ends after 8 h.
    assert cookie["httponly"]


def test_one_address_may_try_only_so_many_logins_an_hour(client, make_user):
    from stafflogin.views import LOGINS_PER_HOUR

    make_user(role="Editor", username="editor")
    for n in range(LOGINS_PER_HOUR):
        assert log_in(client, "wrong", username=f"guess{n}").status_code == 200
    assert log_in(client, "pw").status_code == 429
    assert log_in(client, "pw", ip="198.51.100.20").status_code == 302
