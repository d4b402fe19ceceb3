from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Assessments, their capability links and the wizard. The label stays "advisor" so that the
    tables and migration history of existing databases carry over unchanged."""

    name = "advisor.assessments"
    label = "advisor"
    verbose_name = "RAG or fine-tune advisor"
    default_auto_field = "django.db.models.BigAutoField"
