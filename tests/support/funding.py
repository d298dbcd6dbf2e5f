"""Building funding records for tests: small files that are what they say (or not), and a bid
walked along the allowed moves, as the programme manager would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from funding import services
from funding.models import Stage

# The smallest file that is a PDF by its content (filetype reads the magic number).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def program(name="letter.pdf"):
    """A Windows program under a PDF's name."""
    return SimpleUploadedFile(name, b"MZ" + b"\x90" * 62 + b"PE\x00\x00" + b"\x00" * 200)


def take_to(bid, stage, by):
    """Walk `bid` along the allowed moves to `stage`, signing it off on the way if it has not been."""
    for step in (Stage.GO_NO_GO, Stage.FULL_BID, Stage.SUBMITTED, Stage.SUCCESSFUL):
        if step == Stage.SUBMITTED and not bid.is_signed_off:
            services.sign_off(bid=bid, officer="Section 151 officer", on=timezone.localdate(), by=by)
        services.move_bid(bid=bid, to=step, by=by)
        if step == stage:
            break
    return bid
