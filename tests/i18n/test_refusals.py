"""Refusals in the reader's language (issue 12, point 8).

A refusal's ``detail`` reaches the case page, the forms' error lists and the API body
verbatim, so it is a translated message, built at raise time in the active language; its
``code`` stays the same in every language (contract 5).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.dateparse import parse_datetime

from core.errors import Conflict, NotAllowed, OutOfScope, RuleError
from core.models import Membership, User
from tests.driver import GATE, AsUser, drive, open_case
from tests.driver import meeting as m
from tests.samples import upload_pdf
from tests.seals.helpers import applied
from tests.subsidies.helpers import WANG, end_publicity, open_subsidy, submit_roster, xlsx
from tests.workflows.roster_helpers import id_number, with_rows
from workflows import rosters
from workflows.fields import clean_value
from workflows.messages import Text
from workflows.models import Alert, ExportJob
from workflows.models.exports import FAILED_RENDER, MISSING_REGISTER
from workflows.spec import Format, field

ROOT = Path(settings.BASE_DIR)
APPS = ("core", "workflows", "portal", "party", "decisions", "seals", "personnel",
        "subsidies", "safety")
HAN = re.compile(r"[\u4e00-\u9fff]")
# calls whose string arguments are translated (or marked for translation)
GETTEXT = frozenset({"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext",
                     "pgettext_lazy", "npgettext", "gettext_noop", "_lazy"})
# the refusals of core.errors, the forms' and the API's validation errors, and the problems
# of a roster's Excel import (one per row and column)
REFUSALS = frozenset({"RuleError", "NotAllowed", "Conflict", "OutOfScope", "FieldErrors",
                      "ValidationError", "RowProblem"})


# --- the lint: no refusal is built from untranslated Chinese ---------------------------------


def sources(root: Path | None = None) -> Iterator[Path]:
    for app in APPS:
        for path in sorted(((root or ROOT) / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _untranslated(expr: ast.AST) -> Iterator[ast.AST]:
    """The string literals and f-strings in ``expr`` with Chinese in them that no gettext
    call wraps."""
    if isinstance(expr, ast.Call) and _name(expr.func) in GETTEXT:
        return
    if isinstance(expr, ast.Compare):  # a test (``unit == "户"``), never shown
        return
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        if HAN.search(expr.value):
            yield expr
        return
    if isinstance(expr, ast.JoinedStr) and any(
            isinstance(v, ast.Constant) and HAN.search(str(v.value)) for v in expr.values):
        yield expr
        return
    for child in ast.iter_child_nodes(expr):
        yield from _untranslated(child)


def _assigned(func: ast.AST | None, name: str) -> list[ast.expr]:
    """What ``name`` is set to inside ``func`` (a detail built before the raise)."""
    if func is None:
        return []
    found: list[ast.expr] = []
    for node in ast.walk(func):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found.append(node.value)
    return found


def _enclosing(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.AST | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return node
    return None


def _refusal_classes(trees: list[ast.Module]) -> set[str]:
    """``REFUSALS`` and every class of ours that derives from one of them."""
    names = set(REFUSALS)
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in names
                        and any(_name(b) in names for b in node.bases)):
                    names.add(node.name)
                    grew = True
    return names


def _refusal_helpers(trees: list[ast.Module], classes: set[str]) -> dict[str, list[str]]:
    """Functions that build a refusal whose detail comes from some of their parameters
    (``_invalid(spec, why)``, ``refuse(field, message)``), with those parameters in the
    order of the signature ('' for one that does not make the detail): their callers pass
    the text."""
    helpers: dict[str, list[str]] = {}
    for tree in trees:
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            params = [a.arg for a in (*func.args.args, *func.args.kwonlyargs)]
            used: set[str] = set()
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and _name(node.func) in classes:
                    used |= {n.id for arg in (*node.args, *(k.value for k in node.keywords
                                                           if k.arg != "code"))
                             for n in ast.walk(arg) if isinstance(n, ast.Name)}
            if used & set(params):
                helpers[func.name] = [p if p in used else "" for p in params]
    return helpers


def _detail_args(node: ast.Call, classes: set[str], helpers: dict[str, list[str]]
                 ) -> list[ast.expr]:
    """The arguments of a refusal (every one but ``code``) or of a helper (those bound to a
    parameter that makes the detail; a method's ``self`` is not passed)."""
    name = _name(node.func)
    if name in classes:
        return [*node.args, *(k.value for k in node.keywords if k.arg != "code")]
    params = helpers[name]
    if params and params[0] in ("self", "cls", "") and isinstance(node.func, ast.Attribute):
        params = params[1:]
    chosen = [arg for i, arg in enumerate(node.args) if i >= len(params) or params[i]]
    return chosen + [k.value for k in node.keywords
                     if k.arg is None or (k.arg and k.arg in params)]


def untranslated_refusals(root: Path | None = None) -> list[str]:
    base = root or ROOT
    parsed = [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sources(base)]
    trees = [tree for _, tree in parsed]
    classes = _refusal_classes(trees)
    helpers = _refusal_helpers(trees, classes)
    found = []
    for path, tree in parsed:
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in classes | set(helpers)):
                continue
            args = _detail_args(node, classes, helpers)
            names = {n.id for arg in args for n in ast.walk(arg) if isinstance(n, ast.Name)}
            for name in sorted(names):  # a detail (or a part of it) built before the call
                args += _assigned(_enclosing(node, parents), name)
            for bad in (b for arg in args for b in _untranslated(arg)):
                where = f"{path.relative_to(base)}:{bad.lineno}"
                found.append(f"{where} {_name(node.func)}: {ast.unparse(bad)[:60]}")
    return sorted(set(found))


def test_no_refusal_is_built_from_untranslated_chinese():
    """Every RuleError (and subclass), every refusal helper and every ValidationError gets
    its detail from gettext: a Chinese literal or f-string passed as it is would reach an
    English reader in Chinese."""
    found = untranslated_refusals()
    assert found == [], f"{len(found)} untranslated refusal details:\n" + "\n".join(found)


def test_the_lint_sees_an_untranslated_refusal(tmp_path):
    """The lint's own check, on a small app with each kind of mistake and each right way."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "sample.py").write_text(
        'class Refused(RuleError):\n'
        '    pass\n'
        'def refuse(field, message):\n'
        '    return RuleError("x", message, field=field)\n'
        'def f(n):\n'
        '    raise RuleError("x", f"第{n}行无效")\n'            # an f-string
        'def g():\n'
        '    raise Refused("x", "不行")\n'                      # a subclass, a literal
        'def h(n):\n'
        '    detail = "不行" + str(n)\n'                        # built before the raise
        '    raise RuleError("x", detail)\n'
        'def i():\n'
        '    raise refuse("name", "不行")\n'                    # through a helper
        'def ok(n, unit):\n'
        '    if unit == "户":\n'
        '        raise RuleError("x", _("第%(n)s行无效") % {"n": n})\n'
        '    raise refuse("name", gettext("不行"))\n', encoding="utf-8")
    found = untranslated_refusals(tmp_path)
    assert [line.split(" ")[0] for line in found] == [
        "core/sample.py:10", "core/sample.py:13", "core/sample.py:6", "core/sample.py:8"]


def _imports_eager_gettext(tree: ast.Module) -> set[str]:
    """The names under which a module imports gettext itself (not gettext_lazy)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in {"gettext", "ngettext", "pgettext"}:
                    names.add(alias.asname or alias.name)
    return names


def test_no_message_is_translated_at_import():
    """gettext called at module level runs once, in the default language: a refusal's label
    made so (``_same_amount(_("收据金额"))``) would stay Chinese for an English reader.
    Module-level texts are gettext_lazy or gettext_noop, translated when they are used."""
    found = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        eager = _imports_eager_gettext(tree)
        if not eager:
            continue
        stack: list[ast.AST] = list(tree.body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue  # run when called, in the language of that moment
            if isinstance(node, ast.Call) and _name(node.func) in eager \
                    and isinstance(node.func, ast.Name):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)[:60]}")
            stack.extend(ast.iter_child_nodes(node))
    assert found == [], "\n".join(sorted(found))


# --- refusals read in the request's language, codes unchanged ---------------------------------
#
# Each case is run in English and in Chinese (the default): the code is the same, the detail
# is the reader's. English details carry no Chinese where every value put into them has an
# English name (roster column labels and the roll's source are data still written in Chinese).

HAN_TEXT = re.compile(r"[\u4e00-\u9fff]")
LANGUAGES = ("en", "zh-hans")


def speaking(language: str):
    """API clients of named demo users that ask for ``language`` (Accept-Language)."""
    return lambda username: AsUser(username, HTTP_ACCEPT_LANGUAGE=language)


def refusal(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return str(body["detail"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quorum_not_met(demo, language):
    case = drive(applied("dc_th_branch_deputy", "04.1", demo["dc_th"], matter="major").id,
                 clients=speaking(language))
    detail = refusal(case.post("dc_th_branch_secretary", "decide",
                               {"meeting": m(3, 1, 1), "opinion": "同意"},
                               {"minutes": upload_pdf("会议记录.pdf")}), 400, "quorum_not_met")
    if language == "en":
        assert "did not reach its quorum: 3 due and 1 present" in detail, detail
        assert not HAN_TEXT.search(detail), detail
    else:
        assert "未达到法定人数:应到3人,实到1人" in detail, detail


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_publicity_window_not_yet_over(demo, clock, language):
    case = drive(open_subsidy(demo["dc_th"].pk).id, clients=speaking(language))
    assert submit_roster(case, xlsx([("王建国", WANG, 2)])).status_code == 200
    clock.move_to(parse_datetime("2026-11-09T23:59:59+08:00"))
    response = end_publicity(case)
    detail = refusal(response, 400, "publicity_open")
    assert response.json()["not_before"].startswith("2026-11-10T00:00:00")
    if language == "en":
        assert detail.startswith("The notice period is not over: the notice runs for at "
                                 "least 7 days, so the case can go on after "
                                 "10 Nov 2026, 00:00"), detail
        assert not HAN_TEXT.search(detail), detail
    else:
        assert detail == "公示期未满:公示不少于7天,2026年11月10日 00:00后方可进行下一步。"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invalid_id_number_in_an_imported_row(demo, clock, language):
    case = drive(open_subsidy(demo["dc_th"].pk).id, clients=speaking(language))
    wrong = WANG[:-1] + ("3" if WANG[-1] != "3" else "4")
    detail = refusal(submit_roster(case, xlsx([("王建国", wrong, 2)])), 400, "invalid_roster")
    if language == "en":
        assert detail == "Row 2: ID number \"330299********0013\" is not valid: the check " \
                         "character is wrong.", detail
    else:
        assert detail == "第2行:身份证号“330299********0013”校验位不正确。"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_invalid_id_number_in_a_field(demo, language):
    """The engine's check of an ID-number field (the same on the API and the pages)."""
    spec = field("id_number", "公民身份号码", format=Format.ID_NUMBER)
    with translation.override(language), pytest.raises(RuleError) as refused:
        clean_value(spec, "33029919800101001X", region=demo["dc_th"])
    assert refused.value.code == "invalid_id_number"
    if language == "en":
        assert refused.value.detail.endswith(
            '" is not a valid 18-character resident ID number: the check character is wrong.')
    else:
        assert refused.value.detail == "“公民身份号码”不是有效的18位居民身份证号码:校验位不正确。"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_conflict(demo, language):
    case = drive(applied("dc_th_committee_member", "04.2", demo["dc_th"]).id,
                 clients=speaking(language))
    # acting on the step the client saw (apply) when someone has moved the case on (approve)
    response = case.client("dc_th_committee_director").post(
        f"/api/cases/{case.id}/actions/", {"action": "approve", "data": {}, "step": "apply"},
        format="json")
    detail = refusal(response, 409, "conflict")
    assert detail == ("Someone else has already completed this step. Refresh the page to see "
                      "it." if language == "en" else "该步骤已由他人办理,请刷新后查看。")


@pytest.mark.parametrize("language", LANGUAGES)
def test_permission_denied(demo, language):
    case = drive(applied("dc_th_committee_member", "04.2", demo["dc_th"]).id,
                 clients=speaking(language))
    detail = refusal(case.post("dc_th_grid_worker", "approve", {}), 403, "permission_denied")
    if language == "en":
        assert " must be done by " in detail, detail
        assert not HAN_TEXT.search(detail), detail
    else:
        assert "须由" in detail and "办理" in detail, detail


def test_a_missing_field_of_the_api_body_names_it_in_english(demo):
    response = speaking("en")("dc_th_committee_member").post(
        "/api/cases/", {"procedure": "04.2", "region": demo["dc_th"].pk}, format="json")
    assert refusal(response, 400, "missing_field") == 'Enter "Title".'


def test_the_default_details_are_translated_when_a_refusal_is_made():
    """Made at raise time, not when core.errors was imported (in Chinese)."""
    with translation.override("en"):
        english = [NotAllowed().detail, Conflict().detail, OutOfScope().detail]
    with translation.override("zh-hans"):
        chinese = [NotAllowed().detail, Conflict().detail, OutOfScope().detail]
    assert english == ["You are not allowed to do this.",
                       "Someone else has already completed this step. Refresh the page to "
                       "see it.", "Not found."]
    assert chinese == ["您无权执行此操作。", "该步骤已由他人办理,请刷新后查看。", "未找到。"]
    assert NotAllowed().code == "permission_denied" and Conflict().code == "conflict"


# --- pages -----------------------------------------------------------------------------------


def switched(web, username: str, language: str):
    client = web(username)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refusal_next_to_its_field_on_the_case_page(web, demo, language):
    row = open_case("04.2", demo["dc_th"], "dc_th_committee_member", via=GATE).row
    client = switched(web, "dc_th_committee_member", language)
    response = client.post(f"/cases/{row.pk}/act/", {
        "action": "apply", "step": "apply", "f_purpose": "出具证明", "f_matter": "routine",
        "f_copies": "2"})
    assert response.status_code == 400
    page = response.content.decode()
    error = re.search(r'<p class="error" id="apply-document-error" role="alert">([^<]*)', page)
    assert error is not None, page[-3000:]
    if language == "en":
        assert error.group(1).startswith("Upload &quot;"), error.group(1)
        assert not HAN_TEXT.search(error.group(1)), error.group(1)
    else:
        assert error.group(1) == "请上传“待盖章文件”。"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_roster_imports_problems_are_listed_in_the_readers_language(web, demo, language):
    th = demo["dc_th"]
    spec = rosters.get_roster("household")
    client = switched(web, "dc_th_committee_director", language)
    template = client.get(f"/rosters/household/{th.pk}/template.xlsx").content
    good = id_number(41)
    bad = good[:-1] + ("1" if good[-1] != "1" else "2")
    body = with_rows(template, [{"head_name": "赵一", "head_id_number": good, "members": 3},
                                {"head_name": "孙三", "head_id_number": good, "members": 2},
                                {"head_name": "钱二", "head_id_number": bad, "members": 2}],
                     spec)
    answer = client.post(f"/rosters/household/{th.pk}/import/",
                         {"file": SimpleUploadedFile("名册.xlsx", body,
                                                     content_type=rosters.XLSX)})
    assert answer.status_code == 400
    text = answer.content.decode()
    if language == "en":
        assert "The same as row 3." in text
        assert "is not a valid 18-character resident ID number: the check character is " \
               "wrong." in text
        assert "与第3行重复" not in text and "校验位不正确" not in text
    else:
        assert "与第3行重复。" in text and "不是有效的18位居民身份证号码:校验位不正确。" in text


# --- what is stored is read in each reader's language ----------------------------------------


def test_a_refused_stamping_alert_is_stored_as_a_template(demo, user):
    """The keeper's refusal reaches the actor in English; the alert it leaves for the
    supervisors is stored as a template (with its Chinese rendering), not in the actor's
    language."""
    other = User.objects.create(username="dc_th_keeper2", full_name="孙备用")
    Membership.objects.create(user=other, region=demo["dc_th"], role="seal_keeper")
    case = drive(applied("dc_th_committee_member", "04.2", demo["dc_th"]).id,
                 clients=speaking("en"))
    assert case.post("dc_th_committee_director", "approve", {}).status_code == 200
    detail = refusal(case.post("dc_th_keeper2", "stamp",
                               {"copies_stamped": 1, "papers_kept": True}),
                     403, "permission_denied")
    assert "is in the sole keeping of" in detail and "only they can confirm its use" in detail
    alert = Alert.objects.get(case_id=case.id, dedupe_key__startswith="seal-not-keeper:")
    assert alert.message.startswith("孙备用试图为“用印申请”确认加盖")
    assert alert.message.endswith("系统已拒绝。")
    assert alert.text["t"].startswith("{actor}试图为“{title}”确认加盖{seal}")
    with translation.override("en"):
        english = Text.from_json(alert.text).render()
    assert english.startswith('孙备用 tried to confirm stamping "用印申请" with ')
    assert english.endswith("The portal refused.")


def test_a_failed_exports_reason_is_read_in_each_language(demo, user):
    job = ExportJob(user=user("dc_th_committee_director"), region=demo["dc_th"],
                    register="x", format="xlsx", error=MISSING_REGISTER)
    broken = ExportJob(user=job.user, region=demo["dc_th"], register="x", format="xlsx",
                       error=f"{FAILED_RENDER}disk full")
    with translation.override("en"):
        assert job.status()["error"] == "The register does not exist."
        assert broken.error_text == "The export failed: disk full"
    with translation.override("zh-hans"):
        assert job.status()["error"] == "台账不存在。"
        assert broken.error_text == "生成失败:disk full"
