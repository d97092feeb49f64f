"""Helpers for tests that watch welcomes travel through real workers and a real SMTP server."""

import time

from alliance.core.tests.smtp import Mailbox
from alliance.network.models import Welcome


def welcomes_in(mailbox: Mailbox) -> list:
    """The welcome messages the SMTP server accepted (by their Message-ID)."""
    return [m for m in mailbox.messages if str(m["Message-ID"]).startswith("<welcome-")]


def sent_within(welcome: Welcome, seconds: float) -> bool:
    """Wait for the worker to mark the welcome sent; False if it did not within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        welcome.refresh_from_db()
        if welcome.status == Welcome.Status.SENT:
            return True
        time.sleep(0.1)
    return False
