"""Browser pages for working cases: catalogue, case lists, the case page, review queue."""

from django.urls import path

from workflows.web import rosters, settings, tables, views

urlpatterns = [
    path("procedures/", views.procedures, name="procedures"),
    path("procedures/<str:code>/", views.procedure_detail, name="procedure"),
    path("procedures/<str:code>/open/", views.open_case, name="open_case"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/", views.case_act, name="case_act"),
    path("cases/<int:pk>/nudge/", views.case_nudge, name="case_nudge"),
    path("cases/<int:pk>/meeting/<str:action>/", views.meeting_check, name="meeting_check"),
    path("cases/<int:pk>/meeting/<str:action>/<str:field>/roll/", views.meeting_roll,
         name="meeting_roll"),
    path("cases/<int:pk>/table/<str:action>/<str:name>/template.xlsx", tables.table_template,
         name="table_template"),
    path("cases/<int:pk>/table/<str:action>/<str:name>/import/", tables.table_import,
         name="table_import"),
    path("notices/<int:pk>.pdf", views.notice_pdf, name="notice_pdf"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("review/", views.review, name="review"),
    path("review/batch/", views.review_batch, name="review_batch"),
    *rosters.urlpatterns,
    *settings.urlpatterns,
]
