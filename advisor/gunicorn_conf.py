"""gunicorn settings: access log on stdout with capability tokens redacted.

Sync workers, one request at a time each: the work is CPU-bound (templates, the engine, PDF
renders), so a worker or so per core serves best; the default of 3 is a core plus one on a
two-core machine, which keeps pages moving while one worker renders a PDF. Measured on two cores
(bench/run.py), 5 workers were slower than 2 or 3. The app is not preloaded in the master:
preloading only changes start-up (time and shared memory), not the time a request takes, and a
graceful reload (HUP) would then keep running the old code. Sync workers close the connection
after each response (no keep-alive); a proxy in front keeps the client's connection open.
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = os.environ.get("ACCESS_LOG", "-")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "advisor.web.redaction.RedactTokensFilter"}},
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
    """Load the price snapshot, WeasyPrint and its fonts once per worker, before it takes
    requests, so that the first costs step, result and PDF download do not pay for them (each
    takes most of a second)."""
    from advisor.engine import known_models
    from advisor.reports.pdf import warm_up

    try:
        known_models()
        warm_up()
    except Exception:  # a failed warm-up only costs the first requests their speed
        worker.log.exception("warm-up failed")
