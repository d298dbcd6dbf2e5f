"""An email backend for worker tests that need to catch a worker in the middle of sending: it
writes a marker file (in SLOW_MAIL_MARKERS) as it starts each message, waits SLOW_MAIL_SECONDS (a
slow mail server), then writes the message as the file-based backend does."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        markers = Path(os.environ["SLOW_MAIL_MARKERS"])
        markers.mkdir(parents=True, exist_ok=True)
        for _ in email_messages:
            (markers / uuid.uuid4().hex).touch()
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.2")))
        return super().send_messages(email_messages)
