from django.urls import path

from workflows import views

urlpatterns = [
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
]
