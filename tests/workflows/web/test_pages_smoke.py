"""Every page of the browser UI answers, for the users who should see it."""

import pytest


@pytest.mark.parametrize("path", ["/", "/procedures/", "/procedures/04.2/", "/cases/",
                                  "/notifications/"])
def test_pages_answer_for_a_cadre(web, path):
    response = web("dc_th_committee_member").get(path)
    assert response.status_code == 200, response.content[:2000]


def test_review_page_for_township(web):
    assert web("dc_township_party").get("/review/").status_code == 200


def test_review_page_is_404_for_a_village_cadre(web):
    assert web("dc_th_committee_member").get("/review/").status_code == 404
