from django.urls import include, path, re_path

from workflows import api, views

app_name = "workflows"

api_patterns = [
    path("", api.index, name="api-index"),
    path("token/", api.TokenView.as_view(), name="api-token"),
    path("schema/", api.SchemaView.as_view(), name="api-schema"),
    path("docs/", api.DocsView.as_view(), name="api-docs"),
    path("procedures/", api.ProcedureList.as_view(), name="api-procedures"),
    path("procedures/<str:code>/", api.ProcedureDetail.as_view(), name="api-procedure"),
    path("cases/", api.CaseList.as_view(), name="api-cases"),
    path("cases/<int:pk>/", api.CaseDetail.as_view(), name="api-case"),
    path("cases/<int:pk>/actions/", api.CaseAction.as_view(), name="api-case-action"),
    path("cases/<int:pk>/nudge/", api.CaseNudge.as_view(), name="api-case-nudge"),
    path("cases/<int:pk>/choices/<str:action>/<str:field>/", api.CaseChoices.as_view(),
         name="api-case-choices"),
    path("notifications/", api.NotificationList.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", api.NotificationRead.as_view(),
         name="api-notification-read"),
    path("registers/", api.RegisterList.as_view(), name="api-registers"),
    path("registers/<str:code>/<int:region>.<str:fmt>", api.RegisterExport.as_view(),
         name="api-register-export"),
    # last: any other address under /api/ answers the API's JSON 404
    re_path(r"^(?P<path>.*)$", api.not_found, name="api-not-found"),
]

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    # case pages (workflows.web) share this namespace
    path("", include("workflows.web.urls")),
]

# API names are global (no namespace) so that reverse("api-register-export") works anywhere.
api_urls = [path("api/", include(api_patterns))]
