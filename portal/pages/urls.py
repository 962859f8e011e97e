from django.urls import path

from workflows import views

urlpatterns = [
    path("board/<int:region_id>/", views.public_board, name="board"),
]
