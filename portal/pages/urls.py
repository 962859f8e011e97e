"""Oversight pages at the site root: dashboard, audit, registers, and the public board."""

from django.urls import path

from portal.pages import audit, board, dashboard, registers

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("audit/", audit.audit_index, name="audit_index"),
    path("audit/<int:region_id>/", audit.audit, name="audit"),
    path("audit/case/<int:case_id>.pdf", audit.audit_case_pdf, name="audit_case_pdf"),
    path("registers/", registers.registers, name="registers"),
    path("registers/<str:code>/<int:region_id>.<str:fmt>", registers.register_export,
         name="register_export"),
    path("registers/jobs/<int:job_id>/", registers.register_job, name="register_job"),
    path("registers/jobs/<int:job_id>/status/", registers.register_job_status,
         name="register_job_status"),
    path("registers/jobs/<int:job_id>/download/", registers.register_job_download,
         name="register_job_download"),
    path("board/", board.board_index, name="board_index"),
    path("board/<int:region_id>/", board.public_board, name="board"),
    path("board/<int:region_id>/past/", board.board_past, name="board_past"),
    path("board/<int:region_id>/notices/<int:notice_id>/", board.board_notice,
         name="board_notice"),
    path("board/<int:region_id>/poster.pdf", board.board_poster, name="board_poster"),
]
