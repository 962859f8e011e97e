from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from portal import views
from portal.health import Healthz
from workflows.urls import api_urls

urlpatterns = [
    path("", views.home, name="home"),
    # 我的待办 of those whose home is the dashboard (district roles land there)
    path("inbox/", views.home, {"land": False}, name="inbox"),
    # browsers ask for /favicon.ico whatever the page says
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}favicon.svg",
                                             permanent=True)),
    # for load balancers (and the bench's baseline): the database and the cache answer
    path("healthz", Healthz.as_view(), name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    # the challenge of the public board's objection form (its image and refresh)
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
    path("", include("workflows.urls")),
    path("", include("portal.pages.urls")),
    path("party/", include("party.urls")),
    *api_urls,
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)

# the portal's own error pages (portal.errors; the API's JSON body under /api/)
handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
