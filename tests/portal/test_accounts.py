import datetime as dt

import pytest
import time_machine
from django.test import Client

from portal.demo import DEMO_PASSWORD


@pytest.fixture
def client_ip():
    def make(ip="10.1.1.1"):
        return Client(REMOTE_ADDR=ip)
    return make


def test_anonymous_home_redirects_to_chinese_login(demo, client):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    body = response.content.decode()
    assert 'name="username"' in body
    assert 'name="password"' in body
    assert "登录" in body


def test_login_and_logout(demo, client):
    response = client.post("/accounts/login/", {"username": "dc_th_branch_secretary",
                                                 "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_message_is_chinese(demo, client):
    response = client.post("/accounts/login/", {"username": "dc_th_branch_secretary",
                                                 "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_lockout_is_keyed_on_username_and_ip(demo, client_ip, settings):
    settings.AXES_FAILURE_LIMIT = 3
    attacker = client_ip("10.9.9.9")
    for _ in range(3):
        attacker.post("/accounts/login/", {"username": "dc_th_mediator", "password": "bad"})
    locked = attacker.post("/accounts/login/", {"username": "dc_th_mediator",
                                                "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    # a colleague behind the same township NAT address is not locked out
    colleague = client_ip("10.9.9.9")
    ok = colleague.post("/accounts/login/", {"username": "dc_th_grid_worker",
                                             "password": DEMO_PASSWORD})
    assert ok.status_code == 302
    # and the same user from another address still gets in
    elsewhere = client_ip("10.1.2.3")
    assert elsewhere.post("/accounts/login/", {"username": "dc_th_mediator",
                                               "password": DEMO_PASSWORD}).status_code == 302


def test_idle_session_times_out(demo, client, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    start = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.post("/accounts/login/", {"username": "dc_th_branch_secretary",
                                         "password": DEMO_PASSWORD})
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=9))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=11))
        response = client.get("/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_session_is_written_at_most_once_a_minute(demo, client, settings):
    from django.contrib.sessions.models import Session

    settings.SESSION_IDLE_TIMEOUT = 600
    start = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.post("/accounts/login/", {"username": "dc_th_branch_secretary",
                                         "password": DEMO_PASSWORD})
        client.get("/")
        key = client.session.session_key

        def stored():
            return Session.objects.get(session_key=key).session_data

        first = stored()
        clock.shift(dt.timedelta(seconds=30))
        client.get("/")
        assert stored() == first  # within the minute: not rewritten
        clock.shift(dt.timedelta(seconds=31))
        client.get("/")
        assert stored() != first  # a minute on: the time of last use moves


def test_deactivated_user_is_refused_on_next_request(demo, client, user):
    client.post("/accounts/login/", {"username": "dc_th_branch_secretary",
                                     "password": DEMO_PASSWORD})
    assert client.get("/").status_code == 200
    cadre = user("dc_th_branch_secretary")
    cadre.is_active = False
    cadre.save()
    assert client.get("/").status_code == 302


def test_password_change(demo, client, user):
    client.post("/accounts/login/", {"username": "dc_th_grid_worker", "password": DEMO_PASSWORD})
    page = client.get("/accounts/password/")
    assert "修改密码" in page.content.decode()
    response = client.post("/accounts/password/", {
        "old_password": DEMO_PASSWORD,
        "new_password1": "Xin-mima-2026-abc",
        "new_password2": "Xin-mima-2026-abc",
    })
    assert response.status_code == 302
    assert user("dc_th_grid_worker").check_password("Xin-mima-2026-abc")


def test_english_is_available(demo, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'lang="en"' in page.content.decode()
