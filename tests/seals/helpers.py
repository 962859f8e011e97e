"""04.1–04.3 in the tests: a seal case applied for (the purpose, the document, the copies)."""

from __future__ import annotations

from core.models import Region
from tests.driver import CaseDriver, open_case
from tests.samples import upload_pdf

PURPOSE = "出具村民居住证明"


def applied(applicant: str, procedure: str, village: Region | str, matter: str = "routine",
            copies: int = 3) -> CaseDriver:
    """A seal case opened and applied for by ``applicant``, with its 居住证明.pdf."""
    case = open_case(procedure, village, applicant, title="用印申请")
    response = case.post(applicant, "apply",
                         {"purpose": PURPOSE, "matter": matter, "copies": copies},
                         {"document": upload_pdf("居住证明.pdf")})
    assert response.status_code == 200, response.content
    case.case = response.json()
    return case
