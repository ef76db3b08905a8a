"""The rotating check-in code (签到码): a signed, short-lived token in a QR code, and a 6-digit number for
phones that cannot scan. Pure functions of the window and the clock: nothing is stored per code.

- The QR encodes /classroom/checkin/<token>/; the token (django.core.signing.TimestampSigner) names the
  session and the check-in window and is accepted for TOKEN_SECONDS after it was minted. The trainer's
  screen fetches a fresh one every ROTATE_SECONDS, so a photo forwarded to someone at home has expired
  by the time it arrives (the design of Moodle's attendance plugin).
- The number is an HMAC of (window, time step): it changes every CODE_STEP_SECONDS and is accepted in
  its own step and the next, i.e. for 15–30 seconds. A trainee types it on /classroom/checkin/; it is
  checked only against the open windows of the trainee's own classes.
- Closing check-in (or opening a new window) ends every token and number of the old window at once.
"""

import datetime as dt

from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.utils.crypto import constant_time_compare, salted_hmac

TOKEN_SECONDS = 30
ROTATE_SECONDS = 10
CODE_STEP_SECONDS = 15
CODE_DIGITS = 6
EXPIRED_LOOKBACK_STEPS = 8  # a number from the last two minutes is "expired", anything else "wrong"
PENDING_SECONDS = 600  # a scan by someone not signed in waits this long for them to sign in
SALT = "classroom.checkin"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def mint_token(*, session_id: int, window_id: int) -> str:
    return TimestampSigner(salt=SALT).sign_object({"s": session_id, "w": window_id})


def read_token(token: str, *, max_age: float = TOKEN_SECONDS) -> tuple[int, int]:
    """(session id, window id) of a token minted less than `max_age` seconds ago."""
    try:
        payload = TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenExpired from exc
    except (BadSignature, ValueError, TypeError) as exc:
        raise TokenInvalid from exc
    try:
        return int(payload["s"]), int(payload["w"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid from exc


def step_at(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // CODE_STEP_SECONDS


def code_for(window_id: int, step: int) -> str:
    digest = salted_hmac(f"{SALT}.code", f"{window_id}:{step}").hexdigest()
    return f"{int(digest[:12], 16) % 10 ** CODE_DIGITS:0{CODE_DIGITS}d}"


def current_code(window_id: int, moment: dt.datetime) -> str:
    return code_for(window_id, step_at(moment))


def code_age(window_id: int, code: str, moment: dt.datetime) -> int | None:
    """How many steps ago `code` was shown for `window_id` (0: this step), within the lookback; None if never."""
    step = step_at(moment)
    for age in range(EXPIRED_LOOKBACK_STEPS + 1):
        if constant_time_compare(code_for(window_id, step - age), code):
            return age
    return None


def code_valid(age: int | None) -> bool:
    return age is not None and age <= 1


def normalise_code(text: str) -> str:
    """Digits only: full-width digits and spaces as people type them on a phone."""
    text = (text or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())[: CODE_DIGITS + 2]
