from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "工作流程引擎"

    def ready(self) -> None:
        from workflows import tasks  # noqa: F401 # lazily: the tasks need the models loaded
        from workflows.registry import registry  # lazily: procedures import domain models

        registry.load()  # every procedure, once, before the first request
        from workflows import holidays  # noqa: F401 # lazily: connects a signal, needs models
