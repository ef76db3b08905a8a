"""One error type for every refusal a user should read: a stable English code for programs, a Chinese
message for people, and the HTTP status it becomes at the API edge (config.api renders every
DomainError as {"code", "message"}; HTML views show the message). Each domain subclasses it so
callers can catch their own, with a default status where the domain has one."""

from ninja import Field, Schema


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, code: str | None = None, message: str = "", status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class ErrorOut(Schema):
    """The API's error body (every router documents its errors with it)."""

    code: str = Field(description="稳定的错误代码，例如 not_found、implausible_beat、no_attempts_left")
    message: str = Field(description="中文说明")


# The error statuses every operation documents (malformed JSON 400, no or bad credentials 401, refused
# 403, missing 404, a state conflict 409, invalid input 422, rate-limited 429): one table for all routers.
ERRORS = {status: ErrorOut for status in (400, 401, 403, 404, 409, 422, 429)}
