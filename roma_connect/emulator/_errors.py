"""ROMA Connect's error dialect: the codes and messages of the source document's examples."""

from __future__ import annotations

from roma_connect_models import ErrorResponse

# The source document's example error bodies (the same as Huawei's API gateway messages).
INVALID_PARAMETER = "ROMA.00013000"
AUTH_FAILED = "ROMA.00012000"
SYSTEM_ERROR = "ROMA.00011000"

MSG_INCORRECT_TOKEN = "Incorrect token or token resolution failed"
MSG_NO_PERMISSION = "No permissions to request this method"
MSG_SYSTEM_ERROR = "System error"

# Not in the source document: the API gateway's own codes, for calls that never reach the service.
THROTTLED = "APIG.0308"
MSG_THROTTLED = "The throttling threshold has been reached"
NO_SUCH_API = "APIG.0101"
MSG_NO_SUCH_API = "The API does not exist or has not been published in the environment"


def invalid_parameter_message(name: str) -> str:
    """The documented 400 message, naming the offending parameter."""
    return (
        f"Invalid parameter value,parameterName:{name}. Please refer to the support documentation"
    )


class RomaError(Exception):
    """An error answer in ROMA's dialect: raise it anywhere in a request to send it."""

    def __init__(
        self,
        status: int,
        error_code: str,
        error_msg: str,
        error_details: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {error_code}: {error_msg}")
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_details = error_details
        self.headers = headers or {}

    def body(self, request_id: str) -> bytes:
        """The JSON body, built by the generated model."""
        model = ErrorResponse(
            error_code=self.error_code,
            error_msg=self.error_msg,
            error_details=self.error_details,
            request_id=request_id,
        )
        return model.model_dump_json(exclude_none=True).encode()


def bad_parameter(name: str, details: str) -> RomaError:
    """400 naming the parameter."""
    return RomaError(400, INVALID_PARAMETER, invalid_parameter_message(name), details)


def unauthorized(error_msg: str = MSG_INCORRECT_TOKEN, details: str | None = None) -> RomaError:
    """401 in the documented form."""
    return RomaError(401, AUTH_FAILED, error_msg, details)


def forbidden(details: str | None = None) -> RomaError:
    """403 in the documented form."""
    return RomaError(403, AUTH_FAILED, MSG_NO_PERMISSION, details)


def not_found(details: str) -> RomaError:
    """404 for a path the service does not have."""
    return RomaError(404, NO_SUCH_API, MSG_NO_SUCH_API, details)


def method_not_allowed(allow: str, details: str) -> RomaError:
    """405 for a method the path does not have, with the ``Allow`` header."""
    return RomaError(405, NO_SUCH_API, MSG_NO_SUCH_API, details, {"Allow": allow})


def for_status(status: int) -> tuple[str, str]:
    """(error_code, error_msg) an injected fault with this status answers by default."""
    if status == 400:
        return INVALID_PARAMETER, invalid_parameter_message("unknown")
    if status == 401:
        return AUTH_FAILED, MSG_INCORRECT_TOKEN
    if status == 403:
        return AUTH_FAILED, MSG_NO_PERMISSION
    if status == 429:
        return THROTTLED, MSG_THROTTLED
    return SYSTEM_ERROR, MSG_SYSTEM_ERROR
