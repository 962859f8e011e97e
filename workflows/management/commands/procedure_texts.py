"""Write the procedures' texts into their catalogue (issue 12, point 8).

``manage.py procedure_texts`` walks every version of every registered spec
(:func:`workflows.wording.texts_of`) and the spec language's own words
(:data:`workflows.texts.VOCABULARY`, :data:`workflows.texts.UNITS`) and the names and column
headings of every register (:mod:`workflows.registers`), adds each text not yet
in ``locale/en/LC_MESSAGES/procedures.po`` (untranslated), keeps every translation made,
marks texts no spec uses any more obsolete, and compiles the ``.mo`` beside it.
``--check`` changes nothing and fails listing the texts without a translation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows import texts
from workflows.registers import all_registers
from workflows.registry import registry
from workflows.wording import texts_of

HEADER = """Translations of the procedure texts (workflows.texts), domain "procedures".
Update: manage.py procedure_texts (adds new spec texts, keeps translations, compiles the .mo).
msgids are the specs' texts as written, before a place's words: the shared forms of the model
text are kept as "<village> (<community>)" and put in a place's words after translation.

Glossary (use it throughout):
  村(居)民委员会 / 村(居)委会      villagers' (residents') committee
  村民委员会 / 村委会              villagers' committee
  村(居)务监督委员会              village (community) affairs supervisory committee
  村务监督委员会                  village affairs supervisory committee
  村(居)民代表会议 / 村民代表会议  villagers' (residents') representatives' meeting / villagers' ...
  村(居)民会议 / 村民会议          villagers' (residents') meeting / villagers' meeting
  村民小组                        villagers' group
  村(社区) / 村(居)               village (community)
  村规民约(居民公约)              village rules (residents' convention)
  本村                            this village
  两委 / 村两委                   the two committees (Party branch and villagers' committee)
  中国共产党 / 中共               the Communist Party of China / CPC
  党支部 / 党组织 / 党员           Party branch / Party organization / Party member
  乡镇(街道) / 镇(街道)            township (sub-district)
  区 / 区委组织部 / 区民政局       district / District Party Committee Organisation Department /
                                  District Civil Affairs Bureau
  四议两公开                      four deliberations and two disclosures
  三会一课                        three meetings and one lecture
  主题党日                        themed Party day
  公示 / 公开 / 备案 / 审核 / 审批  public notice / disclosure / filing / review / approval
  村民委员会组织法                Organic Law of the Villagers' Committees
  城市居民委员会组织法            Organic Law of the Urban Residents' Committees
  中国共产党章程                  Constitution of the Communist Party of China
  示范文本                        model text
  用印 / 印章                      seal use / seal
  入党积极分子 / 发展对象 / 预备党员 activist applying for Party membership / candidate for
                                  admission / probationary Party member
  会议记录                        minutes
English punctuation only (no ，。：（）、); placeholders {x} kept as they are.
"""


def wanted() -> dict[str, dict[str, Any]]:
    """Every text to translate, with where it is used (procedure codes)."""
    found: dict[str, dict[str, Any]] = {}
    for word in texts.UNITS.values():
        found.setdefault(word, {"where": ["units"], "plural": True})
    for text in texts.VOCABULARY:
        found.setdefault(text, {"where": ["vocabulary"], "plural": False})
    for reg in all_registers():  # the registers' names and headings (workflows.registers)
        for text in (reg.name, *(label for _key, label in reg.columns)):
            entry = found.setdefault(str(text), {"where": [], "plural": False})
            if f"register:{reg.code}" not in entry["where"]:
                entry["where"].append(f"register:{reg.code}")
    for spec in registry.all():
        for version in registry.versions(spec.code):
            for text in texts_of(version):
                entry = found.setdefault(text, {"where": [], "plural": False})
                if spec.code not in entry["where"]:
                    entry["where"].append(spec.code)
    return found


def untranslated(po: polib.POFile, texts_wanted: dict[str, dict[str, Any]]) -> list[str]:
    done = {e.msgid for e in po if not e.obsolete and e.translated()}
    return [t for t in texts_wanted if t not in done]


class Command(BaseCommand):
    help = "Write every procedure text into locale/en/LC_MESSAGES/procedures.po and compile it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--po", default=str(texts.po_path("en")),
                            help="the catalogue to update (default: %(default)s)")
        parser.add_argument("--check", action="store_true",
                            help="change nothing; fail listing the texts not translated")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["po"])
        found = wanted()
        po = polib.pofile(str(path), wrapwidth=100) if path.exists() else self.new_po()
        if options["check"]:
            missing = untranslated(po, found)
            if missing:
                raise CommandError("not translated:\n" + "\n".join(missing))
            self.stdout.write(f"{len(found)} texts, all translated")
            return
        known = {e.msgid: e for e in po}
        added = 0
        for text, info in found.items():
            entry = known.get(text)
            if entry is None:
                entry = polib.POEntry(msgid=text, msgstr="")
                if info["plural"]:
                    entry.msgid_plural = text
                    entry.msgstr_plural = {0: "", 1: ""}
                po.append(entry)
                added += 1
            entry.obsolete = False
            entry.occurrences = [(code, "") for code in info["where"]]
        for entry in po:
            if entry.msgid and entry.msgid not in found:
                entry.obsolete = True
        po.header = HEADER
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
        po.save_as_mofile(str(path.with_suffix(".mo")))
        left = untranslated(po, found)
        self.stdout.write(f"{len(found)} texts, {added} new, {len(left)} not translated")

    @staticmethod
    def new_po() -> polib.POFile:
        po = polib.POFile(wrapwidth=100)
        po.metadata = {
            "Project-Id-Version": "village-duty-portal procedures",
            "Language": "en",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
        return po
