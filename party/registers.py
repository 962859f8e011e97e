"""The party app's ledgers (台账), exported as PDF and Excel by the engine."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from core.models import Region
from core.roles import Level
from party import pool
from party.choices import MeetingKind
from party.models import (
    BranchMeeting,
    DuesPayment,
    DuesRemittance,
    FloatingMember,
    MemberAppraisal,
    PartyMember,
    RectificationItem,
    ReportAppraisal,
    ThemedPartyDay,
    TrainingRecord,
    TransferRecord,
)
from workflows.registers import RegisterSpec, register


def _name(member: PartyMember | None) -> str:
    return member.name if member is not None else ""


def member_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = (PartyMember.objects.filter(region=region)
          .select_related("contact_1", "contact_2", "introducer_1", "introducer_2")
          .order_by("status", "name"))
    for m in qs.iterator(2000):
        status = m.get_status_display() + ("(流动)" if m.floating else "")
        if m.transferred_to:
            status += f"(转往{m.transferred_to})"
        yield (m.name, m.masked_id, status, m.application_date, m.activist_date,
               m.target_date, m.admission_date, m.conversion_date, m.standing_from,
               "、".join(filter(None, (_name(m.contact_1), _name(m.contact_2)))),
               "、".join(filter(None, (_name(m.introducer_1), _name(m.introducer_2)))),
               m.transferred_out_date)


def training_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = TrainingRecord.objects.filter(member__region=region).select_related("member")
    for r in qs.order_by("member__name", "on", "pk").iterator(2000):
        yield (r.member.name, r.get_kind_display(), r.on, r.reporter, r.summary, r.recorded_by)


def dues_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = DuesPayment.objects.filter(region=region).select_related("member", "remittance")
    for p in qs.order_by("period", "member__name").iterator(2000):
        yield (p.period, p.member.name, p.category, p.income, p.standard, p.amount,
               "是" if p.certificate_filled else "否", p.recorded_by, p.recorded_on,
               p.remittance.receipt_no)


def remittance_rows(region: Region) -> Iterable[Sequence[Any]]:
    for r in DuesRemittance.objects.filter(region=region).order_by("period").iterator(2000):
        yield (r.period, r.total, r.remitted_on, r.receipt_no, r.receipt_amount,
               r.district_remitted_on, r.district_voucher)


def transfer_rows(direction: str) -> Any:
    def rows(region: Region) -> Iterable[Sequence[Any]]:
        qs = TransferRecord.objects.filter(region=region, direction=direction).order_by("pk")
        for t in qs.iterator(2000):
            yield (t.name, t.get_scope_display(), t.other_org, t.letter_no, t.issued_on,
                   "是" if t.system_confirmed else "", t.receipt_due, t.receipt_on,
                   t.reported_on, t.get_state_display())

    return rows


def floating_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = FloatingMember.objects.filter(region=region).select_related("member")
    for r in qs.order_by("member__name").iterator(2000):
        yield (r.member.name, r.destination, r.work, r.left_on, r.phone, r.branch_contact,
               r.certificate_no, r.host_branch, r.host_reported_on, r.last_contact_on,
               "是" if r.reserve_nominated else "", r.get_state_display())


def meeting_rows(region: Region) -> Iterable[Sequence[Any]]:
    for m in BranchMeeting.objects.filter(region=region).order_by("held_on", "pk").iterator(2000):
        yield (m.held_on, str(MeetingKind(m.kind).label), m.topics, m.chair, m.due, m.present,
               m.absentees, m.decisions, m.followed_up)


def report_rows(region: Region) -> Iterable[Sequence[Any]]:
    for r in ReportAppraisal.objects.filter(region=region).order_by("year"):
        yield (r.year, r.reporter, r.forms, r.get_grade_display(), r.use_of_result,
               r.rectification)


def themed_rows(region: Region) -> Iterable[Sequence[Any]]:
    for t in ThemedPartyDay.objects.filter(region=region).order_by("held_on", "pk"):
        yield (t.month, t.theme, t.get_form_display(), t.held_on, t.due, t.present,
               t.absentees, t.content)


def rectification_rows(region: Region) -> Iterable[Sequence[Any]]:
    for r in RectificationItem.objects.filter(region=region).order_by("case_id", "number"):
        yield (r.number, r.problem, r.measure, r.owner, r.due_on, r.done_on, r.result)


def appraisal_rows(region: Region) -> Iterable[Sequence[Any]]:
    qs = MemberAppraisal.objects.filter(region=region).select_related("member")
    for a in qs.order_by("-year", "member__name"):
        yield (a.year, a.member.name, a.grade, a.follow_up)


TRANSFER_COLUMNS = (
    ("name", "姓名"), ("scope", "途径"), ("org", "转往(转出)党组织"), ("letter", "介绍信编号"),
    ("issued", "开具(接收)日期"), ("green", "系统路径全绿"), ("due", "回执应交回"),
    ("receipt", "回执交回"), ("reported", "报到日期"), ("state", "状态"),
)

for _spec in (
    RegisterSpec("party_members", "党员名册", "01.1", (
        ("name", "姓名"), ("id", "身份证号"), ("status", "状态"), ("applied", "申请入党"),
        ("activist", "积极分子"), ("target", "发展对象"), ("admitted", "预备党员"),
        ("converted", "转正"), ("standing", "党龄起算"), ("contacts", "培养联系人"),
        ("introducers", "入党介绍人"), ("out", "转出日期"),
    ), member_rows),
    RegisterSpec("party_training", "入党积极分子培养教育考察记录", "01.1", (
        ("name", "姓名"), ("kind", "类别"), ("on", "日期"), ("reporter", "汇报(报告)人"),
        ("summary", "内容"), ("by", "登记人"),
    ), training_rows),
    RegisterSpec("party_dues", "党费收缴台账", "01.2", (
        ("period", "月份"), ("name", "姓名"), ("category", "类别"), ("income", "月收入"),
        ("standard", "应交标准"), ("amount", "实交金额"), ("certificate", "党费证"),
        ("by", "登记人"), ("on", "登记日期"), ("receipt", "镇党委收据号"),
    ), dues_rows),
    RegisterSpec("party_dues_remittance", "党费上缴记录", "01.2", (
        ("period", "月份"), ("total", "合计"), ("remitted", "交至镇党委"),
        ("receipt", "收据号"), ("receipt_amount", "收据金额"),
        ("district", "上缴区委组织部"), ("voucher", "上缴凭证号"),
    ), remittance_rows),
    RegisterSpec("party_transfer_out", "党组织关系转出台账", "01.3", TRANSFER_COLUMNS,
                 transfer_rows("out")),
    RegisterSpec("party_transfer_in", "党组织关系接收台账", "01.4", TRANSFER_COLUMNS,
                 transfer_rows("in")),
    RegisterSpec("party_floating", "流动党员台账", "01.5", (
        ("name", "姓名"), ("destination", "流入地"), ("work", "从事工作"), ("left", "外出日期"),
        ("phone", "联系方式"), ("contact", "支部联系人"), ("certificate", "活动证编号"),
        ("host", "流入地党组织"), ("reported", "报到日期"), ("last", "最近联系"),
        ("reserve", "纳入后备力量"), ("state", "状态"),
    ), floating_rows),
    RegisterSpec("party_meetings", "三会一课台账", "02.1", (
        ("on", "日期"), ("kind", "类别"), ("topics", "议题"), ("chair", "主持人"),
        ("due", "应到"), ("present", "实到"), ("absent", "请假人员及事由"),
        ("decisions", "议定事项"), ("follow", "落实情况"),
    ), meeting_rows),
    RegisterSpec("party_report_appraisal", "述职评议台账", "02.2", (
        ("year", "年度"), ("reporter", "述职人"), ("forms", "评议形式"), ("grade", "等次"),
        ("use", "结果运用"), ("rectification", "整改落实"),
    ), report_rows),
    RegisterSpec("party_themed_days", "主题党日活动台账", "02.3", (
        ("month", "月份"), ("theme", "主题"), ("form", "形式"), ("on", "日期"),
        ("due", "应到"), ("present", "实到"), ("absent", "请假人员及事由"),
        ("content", "活动情况"),
    ), themed_rows),
    RegisterSpec("party_rectification", "组织生活会整改台账", "02.4", (
        ("number", "序号"), ("problem", "问题"), ("measure", "整改措施"), ("owner", "责任人"),
        ("due", "完成时限"), ("done", "完成日期"), ("result", "整改结果"),
    ), rectification_rows),
    RegisterSpec("party_member_appraisal", "民主评议党员台账", "02.5", (
        ("year", "年度"), ("name", "姓名"), ("grade", "等次"), ("follow", "结果运用"),
    ), appraisal_rows),
):
    register(_spec)

# 01.1: the township's yearly analysis of the activist pool, and each village's activists.
register(RegisterSpec("party_activist_pool", "入党积极分子队伍年度分析", "01.1",
                      pool.POOL_COLUMNS, pool.pool_rows, level=Level.TOWNSHIP))
register(RegisterSpec("party_activist_pool_summary", "入党积极分子队伍年度统计", "01.1",
                      pool.SUMMARY_COLUMNS, pool.summary_rows, level=Level.TOWNSHIP))
register(RegisterSpec("party_activists", "入党积极分子名册", "01.1", pool.ACTIVIST_COLUMNS,
                      pool.activist_rows))
