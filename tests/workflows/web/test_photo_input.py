"""A photo of a posted notice is taken with the phone's camera (issue 12, point 10): the file
input of a photo field says ``accept="image/*" capture="environment"``; a document field
keeps the file chooser with its exact types."""

from __future__ import annotations

import re

from tests.browser.test_place_words import _to_publicity
from workflows.registry import registry
from workflows.spec import FieldType, posting_fields, publicity_side_actions
from workflows.web.widgets import takes_photo


def _schema(accept: tuple[str, ...]) -> dict[str, object]:
    return {"type": "file", "accept": list(accept)}


def test_the_posting_photo_asks_for_the_camera_and_a_document_does_not():
    posting = [f for f in posting_fields() if f.type == FieldType.FILE]
    recorded = [f for a in publicity_side_actions() for f in a.fields if f.type == FieldType.FILE]
    assert posting and recorded
    assert all(takes_photo(_schema(f.accept)) for f in [*posting, *recorded])
    documents = [f for s in registry.all() for st in s.steps for a in st.actions
                 for f in a.fields if f.type == FieldType.FILE and "照片" not in f.label]
    assert documents and not any(takes_photo(_schema(f.accept)) for f in documents)
    assert not takes_photo(_schema(()))


def test_the_case_page_s_posting_photo_input_opens_the_camera(demo, web):
    case_id = _to_publicity("06", demo["dc_th"])
    html = web("dc_th_committee_member").get(f"/cases/{case_id}/").content.decode()
    photos = re.findall(r'<input id="[^"]*-photo" type="file"[^>]*>', html)
    assert photos, "no photo input on the publicity step"
    for tag in photos:
        assert 'accept="image/*" capture="environment"' in tag
        assert 'data-accept="application/pdf,image/jpeg,image/png"' in tag  # the script's check
    others = [t for t in re.findall(r'<input id="[^"]*" type="file"[^>]*>', html)
              if t not in photos]
    assert all("capture=" not in t for t in others)
