"""gunicorn settings: access log on stdout with capability tokens redacted."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = os.environ.get("ACCESS_LOG", "-")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "advisor.redaction.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(message)s"}},
    "handlers": {
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        },
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
    },
}


def post_worker_init(worker) -> None:
    """Load WeasyPrint and its fonts once per worker, before it takes requests, so the first
    PDF download does not pay for it."""
    from advisor.pdf import warm_up

    try:
        warm_up()
    except Exception:  # a failed warm-up only costs the first download its speed
        worker.log.exception("PDF warm-up failed")
