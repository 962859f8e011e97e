from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "工作流程引擎"

    def ready(self) -> None:
        from workflows import tasks  # noqa: F401 - register Celery tasks
