"""Cases made through the one gate for the oversight pages: tests and the dev server share it.

``build(demo)`` creates, in 桃花村 (dc_th): a 四议两公开 case closed after a return and
a redone step with an answered objection; one whose resolution is in publicity (its
text holds an ID number and a mobile to be masked) with an early-end attempt; seal
cases (one refused for separation of duties); and seal cases in 杨柳村 and 清泉社区.
Every action is sent exactly as written here (``samples=False``) and must be accepted,
or refused with the code named.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from core.models import Membership, Region
from core.scope import forget_scope
from tests.driver import GATE, CaseDriver, open_case, person
from tests.driver import meeting as m
from tests.samples import upload_pdf, upload_png


def four_and_two(village: Region, slug: str, title: str, resolution: str, *,
                 finish: bool, redo: bool = False) -> int:
    sec, director, member = (f"{slug}_branch_secretary", f"{slug}_committee_director",
                             f"{slug}_committee_member")
    case = open_case("03.1", village, sec, title=title, via=GATE)
    case.do(sec, "propose", samples=False, matter="assets", proposal="村集体鱼塘公开发包,期限五年",
            consultation="走访农户30户", meeting=m(3, 3, 3), minutes=upload_pdf("支部会议记录.pdf"))
    case.do(sec, "deliberate", samples=False, body="two_committees", vote_method="hands",
            meeting=m(5, 4, 3, 1), opinion="同意提交党员大会",
            minutes=upload_pdf("两委会议记录.pdf"))
    if redo:
        case.do(sec, "return", samples=False, step="deliberate",
                comment="商议会议记录缺少表决情况,请补正后重新商议")
        case.do(sec, "deliberate", samples=False, body="two_committees", vote_method="secret",
                meeting=m(5, 5, 4, 1), opinion="同意提交党员大会,底价不低于每年2万元",
                minutes=upload_pdf("两委会议记录(补正).pdf", text="fixed"))
    case.do(sec, "review", samples=False, members_informed=True, informed_on="2026-03-01",
            meeting=m(7, 6, 5, 1, observers=1),
            revised_proposal="鱼塘公开发包,期限五年,底价每年2万元",
            minutes=upload_pdf("党员大会记录.pdf"))
    case.do(director, "decide", samples=False, body="representatives",
            meeting=m(present=19, yes=17, no=1, abstain=1), resolution=resolution,
            minutes=upload_pdf("村民代表会议记录.pdf"))
    case.do(member, "record_posting", samples=False, location="村务公开栏",
            photo=upload_png("张贴照片.png"))
    # ended before its time: refused, and the supervisors alerted (试图提前结束公示)
    case.refused(member, "publicity_open", "publicity_done", samples=False, location="村务公开栏",
                 photo=upload_png("期满照片.png"))
    if not finish:
        return case.id
    case.do(member, "record_objection", samples=False, content="发包期限是否过长?",
            raised_by="村民")
    case.do(director, "answer_objection", samples=False,
            answer="期限五年经村民代表会议表决通过,符合章程。")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        case.do(member, "publicity_done", samples=False, location="村务公开栏",
                photo=upload_png("期满照片.png"))
        case.do(director, "publish_result", samples=False,
                result="已于公开招标后签订发包合同,承包方按年缴纳承包费2.1万元。",
                published_on=timezone.localdate().isoformat(), location="村务公开栏")
    return case.id


def seal(village: Region, slug: str, title: str, *, finish: bool) -> int:
    return seal_case(village, slug, title, finish=finish).id


def seal_case(village: Region, slug: str, title: str, *, finish: bool) -> CaseDriver:
    applicant = f"{slug}_committee_member"
    case = open_case("04.2", village, applicant, title=title, via=GATE)
    case.do(applicant, "apply", samples=False, purpose=title, matter="routine", copies=2,
            document=upload_pdf("证明.pdf"))
    if finish:
        case.do(f"{slug}_committee_director", "approve", samples=False, opinion="同意")
        case.do(f"{slug}_seal_keeper", "stamp", samples=False, copies_stamped=2,
                papers_kept=True)
    return case


def build(demo: dict[str, Region]) -> dict[str, int]:
    return {**build_closed(demo), **build_open(demo)}


def build_closed(demo: dict[str, Region]) -> dict[str, int]:
    """The closed 四议两公开 case (its last two steps happen eight days later)."""
    return {"closed_redo": four_and_two(demo["dc_th"], "dc_th", "村集体鱼塘发包",
                                        "同意鱼塘公开发包,期限五年,底价每年2万元。", finish=True,
                                        redo=True)}


def build_open(demo: dict[str, Region]) -> dict[str, int]:
    th, yl, qq = demo["dc_th"], demo["dc_yl"], demo["xh_qq"]
    ids: dict[str, int] = {}
    ids["in_publicity"] = four_and_two(
        th, "dc_th", "村道硬化工程",
        "同意实施村道硬化工程,由张三(身份证号 330102199001011234,电话 13812345678)负责联络。",
        finish=False)
    ids["seal_closed"] = seal(th, "dc_th", "出具居住证明", finish=True)
    ids["seal_open"] = seal(th, "dc_th", "出具收入证明", finish=False)
    # 一肩挑: the committee member is also director; approving own application is refused
    member = person("dc_th_committee_member")
    Membership.objects.get_or_create(user=member, region=th, role="committee_director")
    forget_scope(member)
    sep = seal_case(th, "dc_th", "出具低保证明", finish=False)
    ids["seal_sep"] = sep.id
    sep.refused("dc_th_committee_member", "separation_of_duties", "approve", samples=False,
                opinion="同意")  # an alert for the supervisors
    Membership.objects.filter(user=member, region=th, role="committee_director").delete()
    ids["yl_seal"] = seal(yl, "dc_yl", "出具困难证明", finish=True)
    ids["qq_seal"] = seal(qq, "xh_qq", "出具就业证明", finish=False)
    ids["qq_four"] = four_and_two(qq, "xh_qq", "社区停车位改造", "同意停车位改造方案。",
                                  finish=False)
    return ids
