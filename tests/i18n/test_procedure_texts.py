"""The procedures' texts in English (issue 12, point 8): the ``procedures`` catalogue is
complete and in step with the specs, its English is English, and the pages, the API and the
notice PDF read it when English is active (and the Chinese is unchanged otherwise)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import polib
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from core.models import Region
from core.places import PlaceKind, place_words, place_words_en
from tests.driver import GATE, open_case
from workflows import texts
from workflows.management.commands.procedure_texts import wanted
from workflows.models import Case
from workflows.registry import registry
from workflows.spec import Basis, FieldSpec, FieldType, Unit, at_least, more_than, ratio
from workflows.wording import placed, texts_of

PO_FILE = texts.po_path("en")
HAN = re.compile(r"[\u4e00-\u9fff]")
# full-width punctuation and CJK quotes: 、。「」 ，：；（）！？ “” ‘’
FULL_WIDTH = re.compile(r"[\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d]")
PLACEHOLDER = re.compile(r"\{[a-z][a-z0-9_]*\}")


def entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO_FILE)) if e.msgid and not e.obsolete]


def english(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


# --- the catalogue ---------------------------------------------------------------------------


def test_every_spec_text_has_a_translation():
    """A spec text added without its English fails here, with the list of what is missing
    (run ``manage.py procedure_texts`` and translate the new entries)."""
    done = {e.msgid for e in entries() if all(s.strip() for s in english(e))}
    missing = [text for text in wanted() if text not in done]
    assert missing == [], f"{len(missing)} procedure texts without English: {missing[:20]}"


def test_the_walk_finds_every_kind_of_text():
    spec = registry.get("04.2")
    assert spec is not None
    found = set(texts_of(spec))
    step = spec.first_step
    fs = step.actions[0].fields[0]
    assert {spec.name, spec.category, spec.supervisor, step.name, step.actions[0].name,
            fs.label, spec.risks[0].text, spec.risks[0].control, *spec.measures} <= found
    assert fs.name not in found and step.code not in found  # identifiers are not texts


def test_no_translation_has_chinese_or_full_width_punctuation():
    wrong = [(e.msgid, s) for e in entries() for s in english(e)
             if HAN.search(s) or FULL_WIDTH.search(s)]
    assert wrong == []


def test_placeholders_are_kept():
    wrong = [(e.msgid, s) for e in entries() for s in english(e)
             if s and sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(s))]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    """A forgotten ``procedure_texts`` run (which compiles the .mo) fails here."""
    catalogue = texts.catalogue.__wrapped__("en")  # read afresh, not the process's cache
    for e in entries():
        if e.msgid_plural:
            assert catalogue.ngettext(e.msgid, e.msgid_plural, 2) == (e.msgstr_plural[1]
                                                                       or e.msgid)
        elif e.msgstr:
            assert catalogue.gettext(e.msgid) == e.msgstr, e.msgid


def test_both_place_kinds_read_their_own_words_in_english():
    """Where a 村 and a 社区 read a text differently in Chinese, they do in English too, and
    no shared form ("villagers' (residents')") is left once a place is known."""
    shared = re.compile(r"\((residents'?|resident|community|residents' convention)\)", re.I)
    wrong = []
    for e in entries():
        if e.msgid_plural or not e.msgstr:
            continue
        village, community = (place_words_en(e.msgstr, k) for k in PlaceKind)
        if place_words(e.msgid, PlaceKind.VILLAGE) != place_words(e.msgid, PlaceKind.COMMUNITY) \
                and village == community:
            wrong.append(("same in English", e.msgid, e.msgstr))
        for text in (village, community):
            if shared.search(text):
                wrong.append(("shared form left", e.msgid, text))
    assert wrong == []


def test_english_place_words():
    text = "The Villagers' (Residents') Committee posts it; villagers (residents) object"
    assert place_words_en(text, PlaceKind.VILLAGE) == \
        "The Villagers' Committee posts it; villagers object"
    assert place_words_en(text, PlaceKind.COMMUNITY) == \
        "The Residents' Committee posts it; residents object"
    assert place_words_en("This village's villagers' meeting", PlaceKind.COMMUNITY) == \
        "This community's residents' meeting"
    assert place_words_en(text, None) == text


# --- the extractor ---------------------------------------------------------------------------


def test_the_extractor_keeps_translations_and_lists_a_new_text(tmp_path: Path):
    po_path = tmp_path / "procedures.po"
    po_path.write_bytes(PO_FILE.read_bytes())
    spec = registry.get("04.2")
    assert spec is not None
    new_step = spec.first_step.__class__(**{**spec.first_step.__dict__, "name": "新的环节名称"})
    newer = spec.__class__(**{**spec.__dict__, "version": spec.version + 100,
                              "steps": (new_step, *spec.steps[1:])})
    with registry.override(newer):
        with pytest.raises(CommandError, match="新的环节名称"):
            call_command("procedure_texts", "--po", str(po_path), "--check")
        call_command("procedure_texts", "--po", str(po_path), stdout=StringIO())
    po = {e.msgid: e for e in polib.pofile(str(po_path))}
    assert po["新的环节名称"].msgstr == ""
    assert po[spec.name].msgstr == "Use and management of the villagers' committee seal"
    assert (tmp_path / "procedures.mo").exists()


# --- the spec a reader gets ------------------------------------------------------------------


def test_a_translated_spec_is_built_once_per_kind_and_language():
    spec = registry.get("04.1")
    assert spec is not None
    with translation.override("en"):
        first = placed(spec, PlaceKind.VILLAGE)
        assert placed(spec, PlaceKind.VILLAGE) is first
        assert first.name == "Use and management of the Party branch seal"
        assert placed(spec, PlaceKind.COMMUNITY) is not first
    with translation.override("zh-hans"):
        assert placed(spec, PlaceKind.VILLAGE).name == spec.name
        assert placed(spec, None) is spec


def test_place_words_in_english_and_chinese():
    spec = registry.get("04.2")
    assert spec is not None
    with translation.override("en"):
        assert placed(spec, PlaceKind.VILLAGE).name == \
            "Use and management of the villagers' committee seal"
        assert placed(spec, PlaceKind.COMMUNITY).name == \
            "Use and management of the residents' committee seal"
    with translation.override("zh-hans"):
        assert placed(spec, PlaceKind.COMMUNITY).name == "居委会印章使用和管理"
        assert placed(spec, PlaceKind.VILLAGE).name == "村委会印章使用和管理"


def test_numbers_and_thresholds_in_the_readers_language():
    share = ratio("x", "x", 1, 2)
    days = Unit.DAYS
    with translation.override("en"):
        assert days.amount(1) == "1 day" and days.amount(5) == "5 days"
        assert Unit.WORKING_DAYS.amount(7) == "7 working days"
        assert more_than(share, Basis.DUE).describe() == "more than half of those due to attend"
        assert at_least(ratio("y", "y", 2, 3), Basis.PRESENT).describe() == \
            "at least 2/3 of those present"
    with translation.override("zh-hans"):
        assert days.amount(5) == "5天"
        assert more_than(share, Basis.DUE).describe() == "应到人数的半数以上(不含本数)"


# --- pages, API and PDF in English -----------------------------------------------------------


def proper_names() -> list[str]:
    """What stays Chinese in an English page: the names of places and persons, longest
    first, and the language switch's own 中文."""
    from core.models import User

    names = {r.name for r in Region.objects.all()}
    names |= {u.get_full_name() or u.username for u in User.objects.all()}
    names |= {n for u in User.objects.all() for n in (u.first_name, u.last_name) if n}
    names.add("中文")
    return sorted((n for n in names if n), key=len, reverse=True)


def chinese_left(text: str, extra: tuple[str, ...] = ()) -> list[str]:
    text = re.sub(r"<title>.*?</title>", "", text, flags=re.S)
    for name in (*extra, *proper_names()):
        text = text.replace(name, "")
    return sorted({m.group(0) for m in re.finditer(r"[\u4e00-\u9fff（）：，。、]+", text)})


def english_client(web, username: str) -> Client:
    client = web(username)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def seal_case(demo: dict[str, Region]) -> Case:
    return open_case("04.2", demo["dc_th"], "dc_th_committee_member", title="Residence proof",
                     via=GATE).row


def test_the_procedure_page_of_a_seal_is_english(web):
    client = english_client(web, "dc_th_committee_member")
    html = client.get("/procedures/04.2/").content.decode()
    assert "Use and management of the villagers&#x27; committee seal" in html
    assert chinese_left(html) == []


def test_the_case_page_is_english(web, seal_case):
    client = english_client(web, "dc_th_committee_member")
    html = client.get(f"/cases/{seal_case.pk}/").content.decode()
    assert "Submit the seal application" in html  # the action
    assert "Purpose of sealing" in html  # a field's label
    assert chinese_left(html) == []


def test_the_api_procedure_is_english(web):
    client = web("dc_th_committee_member")
    body = client.get("/api/procedures/04.2/", HTTP_ACCEPT_LANGUAGE="en").content.decode(
        "unicode_escape")
    assert "Use and management of the villagers' committee seal" in body
    assert chinese_left(body) == []


def test_the_chinese_api_is_unchanged(web):
    client = web("dc_th_committee_member")
    data = client.get("/api/procedures/04.2/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    spec = registry.get("04.2")
    assert spec is not None
    assert data["name"] == spec.name == "村委会印章使用和管理"
    assert data["steps"][0]["name"] == spec.first_step.name


def test_a_field_of_a_case_reads_english_and_keeps_its_value(seal_case):
    with translation.override("en"):
        spec = Case.objects.get(pk=seal_case.pk).spec
    assert spec is not None
    fs: FieldSpec = next(f for f in spec.first_step.actions[0].fields if f.name == "copies")
    assert (fs.name, fs.type, fs.label) == ("copies", FieldType.INTEGER, "Copies")


def test_the_notice_pdf_is_rendered_in_the_chosen_language(web, monkeypatch):
    from workflows.web import views

    seen: list[str | None] = []

    def fake(notice: object, public: bool = False) -> bytes:
        seen.append(translation.get_language())
        return b"%PDF-1.7"

    monkeypatch.setattr(views, "render_pdf", fake)
    monkeypatch.setattr(views, "access_notice", lambda user, pk: SimpleNamespace(pk=pk))
    client = web("dc_th_committee_member")
    assert client.get("/notices/1.pdf?lang=en").status_code == 200
    assert client.get("/notices/1.pdf?lang=xx", HTTP_ACCEPT_LANGUAGE="zh-hans"
                      ).status_code == 200
    assert seen == ["en", "zh-hans"]
