"""Keep capability tokens out of every log line.

Edit and share links carry their token in the path (/a/<token>/..., /s/<token>/...). Anything that
logs a path (Django's request and server loggers, gunicorn's access log) passes through
`RedactTokensFilter`, which replaces the token with a fixed marker before the line is written.
"""

import logging

from advisor.web.capability_urls import TOKEN_IN_PATH

REDACTED = r"\1[redacted]"


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(REDACTED, text)


def _redact_value(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        # Mutate in place: gunicorn passes a dict subclass whose lookups must keep working.
        for key, item in value.items():
            value[key] = _redact_value(item)
        return value
    if isinstance(value, tuple):
        return tuple(_redact_value(item) for item in value)
    return value


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            record.args = _redact_value(record.args)
        # Django attaches the request to error records; its path would be printed by handlers
        # that format it, so replace it with a redacted string.
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = redact(request.path)
        return True
