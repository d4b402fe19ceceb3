from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The report built from a stored result: pages, PDF, exports and the advise command."""

    name = "advisor.reports"
    verbose_name = "Reports"
