"""The source of every number, and texts a user can read (issue 11, points 9 and 12).

Every number of every procedure says where it comes from (a law with its article, the
model text's words, or the district's own choice); the risk, control, summary and measure
texts take their numbers from the params (``{param_name}``), so that a district that
lengthens a window never reads a text that still states the old number; and no text a
user reads carries an internal code or a working note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from workflows.registry import registry
from workflows.spec import PLACEHOLDER, FieldSpec, ProcedureSpec, SourceKind

SPECS = sorted(registry.all(), key=lambda s: s.code)
CODES = [s.code for s in SPECS]

# a number with a unit of time or a count of days, typed into a text instead of taken
# from a param: "7天", "7个工作日", "3个月", "1小时", "10分钟", "七天", "六个月"
TYPED_NUMBER = re.compile(
    r"(\d+|[一二三四五六七八九十两]+)\s*(个工作日|天|日内|个月|小时|分钟)")
# an internal code shown to a user: "(too_early)", "(criticism_incomplete)"
INTERNAL_CODE = re.compile(r"[((][a-z][a-z0-9]*(_[a-z0-9]+)+[))]")
WORKING_NOTES = ("流程图缺失", "按风险点构建", "TODO", "FIXME", "待补充")


def _fields(fields: tuple[FieldSpec, ...]) -> Iterator[tuple[str, str]]:
    for fs in fields:
        yield f"field {fs.name}.label", fs.label
        yield f"field {fs.name}.help", fs.help
        for choice in fs.choices:
            yield f"field {fs.name} choice {choice.value}", choice.label
        yield from _fields(fs.columns)


def user_texts(spec: ProcedureSpec) -> Iterator[tuple[str, str]]:
    """Every text of a spec a user reads, with where it is."""
    yield "name", spec.name
    yield "summary", spec.summary
    yield "title_example", spec.title_example
    for i, risk in enumerate(spec.risks):
        yield f"risk {i + 1}", risk.text
        yield f"risk {i + 1} control", risk.control
    for i, measure in enumerate(spec.measures):
        yield f"measure {i + 1}", measure
    for step in spec.steps:
        yield f"step {step.code}.name", step.name
        yield f"step {step.code}.stage", step.stage
        yield f"step {step.code}.description", step.description
        for action in step.actions:
            yield f"{step.code}.{action.code}.name", action.name
            yield from ((f"{step.code}.{action.code} {w}", t) for w, t in _fields(action.fields))


def number_texts(spec: ProcedureSpec) -> Iterator[tuple[str, str]]:
    """The texts that state a rule's numbers: these take them from the params."""
    yield "summary", spec.summary
    for i, risk in enumerate(spec.risks):
        yield f"risk {i + 1}", risk.text
        yield f"risk {i + 1} control", risk.control
    for i, measure in enumerate(spec.measures):
        yield f"measure {i + 1}", measure
    for step in spec.steps:
        yield f"step {step.code}.description", step.description


@pytest.mark.parametrize("spec", SPECS, ids=CODES)
def test_every_number_says_its_source(spec):
    missing = [name for name, p in spec.all_params().items() if p.source is None]
    assert not missing, f"{spec.code}: params without a source: {missing}"
    empty = [name for name, p in spec.all_params().items()
             if p.source is not None and len(p.source.text.strip()) < 4]
    assert not empty, f"{spec.code}: a source must name its article, quote or reason: {empty}"


@pytest.mark.parametrize("spec", SPECS, ids=CODES)
def test_a_law_names_its_article_and_the_model_text_is_quoted(spec):
    for name, p in spec.all_params().items():
        if p.source is None:
            continue
        if p.source.kind == SourceKind.LAW:
            assert "《" in p.source.text, f"{spec.code} {name}: name the law in 《》"
        if p.source.kind == SourceKind.MODEL_TEXT:
            assert "“" in p.source.text, f"{spec.code} {name}: quote the model text in “”"


@pytest.mark.parametrize("spec", SPECS, ids=CODES)
def test_texts_take_their_numbers_from_the_params(spec):
    known = spec.all_params()
    typed = [(where, m.group(0)) for where, text in number_texts(spec)
             for m in TYPED_NUMBER.finditer(PLACEHOLDER.sub("", text))]
    assert not typed, f"{spec.code}: numbers typed into texts instead of {{param}}: {typed}"
    unknown = [(where, m.group(1)) for where, text in number_texts(spec)
               for m in PLACEHOLDER.finditer(text) if m.group(1) not in known]
    assert not unknown, f"{spec.code}: placeholders naming no param of the procedure: {unknown}"


@pytest.mark.parametrize("spec", SPECS, ids=CODES)
def test_no_internal_code_or_working_note_in_a_users_text(spec):
    found = [(where, str(text)) for where, text in user_texts(spec)
             if INTERNAL_CODE.search(str(text)) or any(n in str(text) for n in WORKING_NOTES)]
    assert not found, f"{spec.code}: {found}"


def test_a_filled_text_states_the_number_in_force():
    spec = registry.get("03.1")
    param = spec.all_params()["resolution_publicity_days"]
    text = "公示不少于{resolution_publicity_days},期满前不能进入下一步"
    assert spec.fill(text) == f"公示不少于{param.value}天,期满前不能进入下一步"
    assert spec.fill(text, {"resolution_publicity_days": 10}) == \
        "公示不少于10天,期满前不能进入下一步"
