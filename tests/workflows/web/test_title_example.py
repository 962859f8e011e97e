"""The new-case form's 事项标题 placeholder is the procedure's own example (issue 12,
point 2), not the seal example on every procedure."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.driver import opener
from workflows.registry import registry
from workflows.wording import placed


@pytest.mark.parametrize("code", ["01.1", "03.1", "10.4"])
def test_the_new_case_form_shows_the_procedures_own_title_example(web, demo, code):
    spec = registry.get(code)
    assert spec is not None
    page = web(opener(code, demo["dc_th"])).get(f"/procedures/{code}/").content.decode()
    assert f'placeholder="如:{spec.title_example}"' in page
    assert "出具村民居住证明用印" not in page


def test_title_examples_are_translated():
    with translation.override("en"):
        english = [placed(spec, None).title_example for spec in registry.all()]
    chinese = [spec.title_example for spec in registry.all()]
    assert all(e and e != c for e, c in zip(english, chinese, strict=True))
