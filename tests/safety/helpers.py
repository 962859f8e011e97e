"""Driving safety cases through the API; sample data for any field not given."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

import openpyxl

from tests.walk import post_action
from workflows.models import Alert

# Monday 2026-11-02 10:00 in Shanghai
START = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)


class Case:
    """One case acted on by named demo users; the first forward action unless named."""

    def __init__(self, api: Any, procedure: str, village: Any, opener: str,
                 title: str = "演示") -> None:
        self.api = api
        self.clients: dict[str, Any] = {}
        response = self.client(opener).post(
            "/api/cases/", {"procedure": procedure, "region": village.pk, "title": title},
            format="json")
        assert response.status_code == 201, response.content
        self.case = response.json()
        self.id = self.case["id"]

    def client(self, username: str) -> Any:
        if username not in self.clients:
            self.clients[username] = self.api(username)
        return self.clients[username]

    def fresh(self) -> None:
        self.clients.clear()  # tokens expire when the clock jumps

    def try_(self, username: str, action: str | None = None, **data: Any) -> Any:
        client = self.client(username)
        detail = client.get(f"/api/cases/{self.id}/").json()
        offers = [a for a in detail["actions"] if (action is None and a["kind"] == "forward")
                  or a["code"] == action]
        if not offers:
            return None
        return post_action(client, self.id, offers[0], data)

    def do(self, username: str, action: str | None = None, **data: Any) -> dict[str, Any]:
        response = self.try_(username, action, **data)
        assert response is not None, (username, action, self.step)
        assert response.status_code == 200, response.content.decode()
        self.case = response.json()
        return self.case

    def refused(self, username: str, code: str, action: str | None = None,
                **data: Any) -> dict[str, Any]:
        response = self.try_(username, action, **data)
        assert response is not None, (username, action, self.step)
        assert response.status_code in (400, 403), response.content.decode()
        body = response.json()
        assert body["code"] == code, body
        return dict(body)

    def post(self, username: str, action: str, **data: Any) -> Any:
        """An action posted as is, offered at the current step or not."""
        return self.client(username).post(f"/api/cases/{self.id}/actions/",
                                          {"action": action, "data": data}, format="json")

    def offers(self, username: str) -> list[str]:
        detail = self.client(username).get(f"/api/cases/{self.id}/").json()
        return [a["code"] for a in detail["actions"]]

    @property
    def step(self) -> str:
        return str(self.case["current_step"])


def pdf_text(content: bytes, tmp_path: Any, *, layout: bool = True) -> str:
    """The text of a PDF; without ``layout`` each table cell comes out whole (a wrapped
    cell's lines follow one another), so that whitespace-free text holds every value."""
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def xlsx_cells(content: bytes) -> list[Any]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [c.value for row in sheet.iter_rows() for c in row]


def xlsx_rows(content: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def export(client: Any, code: str, region_id: int) -> tuple[Any, Any]:
    rows = [r for r in client.get("/api/registers/").json()
            if r["code"] == code and r["region"] == region_id]
    assert rows, code
    return client.get(rows[0]["pdf_url"]), client.get(rows[0]["xlsx_url"])


def alerts(case_id: int, kind: str | None = None) -> list[str]:
    qs = Alert.objects.filter(case_id=case_id)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.values_list("message", flat=True))
