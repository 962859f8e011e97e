"""Enumerations of the party app: no bare status strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberStatus(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    TARGET = "target", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    NOT_ADMITTED = "not_admitted", _("未被发展")
    LEFT = "left", _("已减少(去世、出党等)")


# members who belong to the branch and take part in its life (votes, dues, appraisal)
ACTIVE_MEMBER_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


class MemberEnd(models.TextChoices):
    """Why a person left the register other than by a transfer (党员减少)."""

    DIED = "died", _("去世")
    EXPELLED = "expelled", _("开除党籍")
    REMOVED = "removed", _("除名")
    RESIGNED = "resigned", _("退党")
    OTHER = "other", _("其他")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class MemberSource(models.TextChoices):
    RECRUITED = "recruited", _("本支部发展")
    TRANSFER_IN = "transfer_in", _("组织关系转入")
    REGISTER = "register", _("原有党员登记")


class Residence(models.TextChoices):
    RESIDENT = "resident", _("本辖区居住半年以上")
    FLOATING = "floating", _("流动人员")


class TrainingKind(models.TextChoices):
    ACTIVIST_REPORT = "activist_report", _("积极分子思想汇报")
    CONTACT_REPORT = "contact_report", _("培养联系人报告")
    BRANCH_ASSESSMENT = "branch_assessment", _("党支部考察")
    PROBATION_REPORT = "probation_report", _("预备党员教育考察")


class SpecialSituation(models.TextChoices):
    NONE = "none", _("不属于需审查的特殊情况")
    DISAGREEMENT = "disagreement", _("党组织中意见分歧较大")
    RELATIVE = "relative", _("村(社区)两委班子成员的直系亲属")
    PRIVATE_OWNER = "private_owner", _("私营企业主")
    OTHER = "other", _("其他须经镇(街道)党(工)委审查、区委组织部同意的情况")


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class DuesCategory(models.TextChoices):
    EMPLOYED = "在职", _("在职党员(按税后月工资收入)")
    RETIRED = "离退休", _("离退休党员(按月离退休费)")
    FARMER = "农民", _("农民党员")
    STUDENT = "学生", _("学生党员")
    UNEMPLOYED = "下岗失业", _("下岗失业党员")
    SUBSISTENCE = "低保", _("领取最低生活保障金的党员")


class TransferScope(models.TextChoices):
    IN_PROVINCE = "in_province", _("省内(全国党员信息系统)")
    OUT_OF_PROVINCE = "out_of_province", _("省外(纸质党组织关系介绍信)")


class TransferDirection(models.TextChoices):
    OUT = "out", _("转出")
    IN = "in", _("转入")


class TransferState(models.TextChoices):
    ISSUED = "issued", _("已开具介绍信")
    IN_TRANSIT = "in_transit", _("转接中(待回执)")
    DONE = "done", _("已完成")
    PUBLICITY = "publicity", _("转入公示中")
    REPORTED = "reported", _("已报到")


class ContactWay(models.TextChoices):
    """How the branch kept in touch with a floating member (流动党员联系记录)."""

    PHONE = "phone", _("电话联系")
    VISIT = "visit", _("走访家属")
    HOST = "host", _("与流入地党组织沟通")
    ONLINE = "online", _("微信等网络联系")
    OTHER = "other", _("其他")


class FloatingState(models.TextChoices):
    OUT = "out", _("外出流动")
    RETURNED = "returned", _("已返乡")


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("党员大会")
    COMMITTEE = "committee", _("支部委员会会议")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    QUALIFIED = "合格", _("合格")
    BASIC = "基本合格", _("基本合格")
    UNQUALIFIED = "不合格", _("不合格")


class ReportGrade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class ActivityForm(models.TextChoices):
    STUDY = "study", _("集中学习")
    SERVICE = "service", _("志愿服务")
    VISIT = "visit", _("参观教育基地")
    DISCUSSION = "discussion", _("交流研讨")
    PRACTICE = "practice", _("实践活动")
    OTHER = "other", _("其他形式")


class AppraisalForm(models.TextChoices):
    ONSITE = "onsite", _("现场述职")
    WRITTEN = "written", _("书面述职")
    MEMBERS = "members", _("党员群众代表测评")
    QUESTIONS = "questions", _("现场提问点评")
    VIDEO = "video", _("视频述职")
