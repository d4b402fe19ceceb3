from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The report built from a stored result: pages, PDF, exports and the advise command."""

    name = "advisor.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from advisor.assessments.models import result_saved
        from advisor.reports.tasks import render_when_saved

        result_saved.connect(render_when_saved, dispatch_uid="render-pdf-when-saved")
