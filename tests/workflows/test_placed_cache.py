"""``placed()`` builds a spec's words once and keeps them: the cache must never hand one
spec the words of another, even when the first spec is gone and a new one is made in its
place (tests and, with procedures as data, districts make specs at run time)."""

from __future__ import annotations

import gc

from core.places import PlaceKind
from core.roles import Level, Role
from workflows.spec import ActionSpec, ProcedureSpec, StepSpec
from workflows.wording import placed


def made(n: int) -> ProcedureSpec:
    return ProcedureSpec(
        code=f"97.{n}", name=f"测试事项{n}", category="测试", guiding_units=("区委组织部",),
        guiding_roles=(Role.DISTRICT_ORG,), supervisor="村务监督委员会", risks=(), measures=(),
        steps=(StepSpec(code="only", name="唯一环节", level=Level.VILLAGE,
                        roles=(Role.COMMITTEE_MEMBER,),
                        actions=(ActionSpec("done", "办结", to=None),)),),
    )


def test_a_new_spec_never_reads_the_words_of_one_made_before_it():
    wrong = []
    gc.freeze()  # what exists already is left out of the collections below: they stay quick
    try:
        for n in range(300):  # CPython soon gives a new object the address of a freed one
            spec = made(n)
            if placed(spec, PlaceKind.COMMUNITY).code != spec.code:
                wrong.append(n)
            del spec
            gc.collect()  # a spec's parts refer to each other: freed by the collector
    finally:
        gc.unfreeze()
    assert wrong == []
