from django.urls import path

from party import views

app_name = "party"

urlpatterns = [
    path("pool/<int:township_id>/", views.pool_analysis, name="pool_analysis"),
]
