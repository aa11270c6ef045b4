"""
Who counts as signed-in staff: the admin, CKEditor's uploads, the media library and draft previews
all ask is_signed_in_staff(), so a session that skipped the second factor reaches none of them.
"""

from django.conf import settings
from django.contrib.auth.decorators import user_passes_test


def second_factor_required(user):
    return settings.STAFF_REQUIRE_2FA and user.is_staff


def is_signed_in_staff(user):
    """
    Staff whose session the site accepts: signed in with the second factor when it is required.
    The admin, CKEditor's views and draft previews all ask this, so a session from before the
    second factor was switched on reaches none of them.
    """
    verified = not settings.STAFF_REQUIRE_2FA or getattr(user, "is_verified", lambda: False)()
    return user.is_active and user.is_staff and verified


verified_staff_required = user_passes_test(is_signed_in_staff, login_url="admin:login")
