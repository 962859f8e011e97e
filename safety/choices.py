"""Fixed values of the safety app (平安建设 and 应急工作): no bare status strings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeKind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    LAND = "land", _("土地山林纠纷")
    CONTRACT = "contract", _("合同债务纠纷")
    LABOUR = "labour", _("劳动争议")
    OTHER = "other", _("其他纠纷")


class DisputeSource(models.TextChoices):
    SCREENING = "screening", _("定期排查发现")
    APPLICATION = "application", _("当事人申请")
    ASSIGNMENT = "assignment", _("上级指派")


class Gravity(models.TextChoices):
    ORDINARY = "ordinary", _("一般")
    MAJOR = "major", _("重大疑难复杂")


class DisputeState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    REPORTED = "reported", _("已上报镇(街道)")
    MEDIATING = "mediating", _("调解中")
    CONCLUDED = "concluded", _("调解结束待回访")
    VISITED = "visited", _("已回访")
    ARCHIVED = "archived", _("已归档")


class MediationMeans(models.TextChoices):
    FACE = "face", _("面对面调解")
    BACK_TO_BACK = "back_to_back", _("背对背调解")
    JOINT = "joint", _("联合调解")
    REFERRAL = "referral", _("引导诉讼或仲裁")


class MediationResult(models.TextChoices):
    AGREED = "agreed", _("达成调解协议")
    NOT_AGREED = "not_agreed", _("未达成协议,已告知其他解决途径")


class PetitionChannel(models.TextChoices):
    VISIT = "visit", _("来访")
    LETTER = "letter", _("来信")
    ONLINE = "online", _("网上信访")


class Acceptance(models.TextChoices):
    ACCEPT = "accept", _("受理")
    NOT_ACCEPT = "not_accept", _("不予受理")


class PetitionState(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    HANDLING = "handling", _("办理中")
    REPLIED = "replied", _("已答复")
    REVIEW = "review", _("复查中")
    ARCHIVED = "archived", _("已归档")


class CorrectionState(models.TextChoices):
    INVESTIGATED = "investigated", _("审前调查")
    UNDER = "under", _("矫正中")
    RELEASED = "released", _("已解除矫正")
    TERMINATED = "terminated", _("已终止矫正")


class TerminationReason(models.TextChoices):
    REVOKED = "revoked", _("撤销缓刑、假释或暂予监外执行,收监执行")
    DEATH = "death", _("社区矫正对象死亡")
    OTHER = "other", _("其他依法终止的情形")


class GroupRole(models.TextChoices):
    """Who a member of a correction group (矫正小组) is (社区矫正法实施办法 第二十条)."""

    JUSTICE = "justice", _("司法所工作人员")
    VILLAGE = "village", _("村(居)委会人员")
    GRID = "grid", _("网格员")
    SOCIAL_WORKER = "social_worker", _("社会工作者")
    VOLUNTEER = "volunteer", _("志愿者")
    FAMILY = "family", _("家庭成员或监护人、保证人")
    EMPLOYER = "employer", _("所在单位或就读学校人员")
    OTHER = "other", _("其他")


class CorrectionActivityKind(models.TextChoices):
    CHECK_IN = "check_in", _("抽查点验")
    VISIT = "visit", _("走访")
    WELFARE = "welfare", _("公益活动")
    EDUCATION = "education", _("教育帮扶")
    ASSESSMENT = "assessment", _("考核奖惩")


class CheckInMethod(models.TextChoices):
    PLATFORM = "platform", _("信息化平台")
    PHONE = "phone", _("电话")
    HOME = "home", _("上门")


class CheckInResult(models.TextChoices):
    NORMAL = "normal", _("正常")
    ABNORMAL = "abnormal", _("异常")


class EducationKind(models.TextChoices):
    COLLECTIVE = "collective", _("集中教育")
    INDIVIDUAL = "individual", _("个别教育")
    HELP = "help", _("困难帮扶")


class AssessmentOutcome(models.TextChoices):
    """考核奖惩 as 社区矫正法 第二十八条 lists them (decided by the judicial office)."""

    NONE = "none", _("无奖惩")
    PRAISE = "praise", _("表扬")
    ADMONISH = "admonish", _("训诫")
    WARNING = "warning", _("警告")
    PENALTY = "penalty", _("提请治安管理处罚")
    REVOKE = "revoke", _("提请撤销缓刑、假释或收监执行")


class AfterAssessment(models.TextChoices):
    CONTINUE = "continue", _("继续监督管理")
    RELEASE = "release", _("矫正期满,办理解除")


class PartySide(models.TextChoices):
    """Which side of a dispute a party is on."""

    APPLICANT = "applicant", _("申请人(一方)")
    RESPONDENT = "respondent", _("被申请人(另一方)")
    OTHER = "other", _("其他当事人")


class IncidentKind(models.TextChoices):
    DISPUTE = "dispute", _("矛盾纠纷")
    HAZARD = "hazard", _("安全隐患")
    SECURITY = "security", _("治安问题")
    PETITION = "petition", _("信访苗头")
    EMERGENCY = "emergency", _("突发事件")
    OTHER = "other", _("其他")


class IncidentState(models.TextChoices):
    HANDLED = "handled", _("已就地处置")
    PENDING = "pending", _("待处置")
    REPORTED = "reported", _("已上报")


class EducationActivityKind(models.TextChoices):
    COLLECTIVE_STUDY = "collective_study", _("两委集体学习")
    VILLAGER_PUBLICITY = "villager_publicity", _("深入群众宣传教育")
    LEGAL_EDUCATION = "legal_education", _("普法教育")
    LAW_DAY = "law_day", _("法律宣传日活动")


class EmergencyKind(models.TextChoices):
    NATURAL = "natural", _("自然灾害")
    ACCIDENT = "accident", _("事故灾难")
    HEALTH = "health", _("公共卫生事件")
    SECURITY = "security", _("社会安全事件")


class IncidentCategory(models.TextChoices):
    EMERGENCY = "emergency", _("突发事件")
    FIRE = "fire", _("火灾")


class InstructionStatus(models.TextChoices):
    """Whether the village had received the township's instructions when it relayed them."""

    RECEIVED = "received", _("已收到镇(街道)等上级指示")
    PENDING = "pending", _("尚未收到指示,按应急预案先行处置")


class IncidentStage(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    REPORTED = "reported", _("已上报")
    RESPONDING = "responding", _("处置中")
    AFTERMATH = "aftermath", _("善后处理")
    CLOSED = "closed", _("已总结归档")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("排查发现")
    REPORT = "report", _("群众举报")
    GRID = "grid", _("网格员上报")


class HazardState(models.TextChoices):
    OPEN = "open", _("整改中")
    REWORK = "rework", _("复查未通过,重新整改")
    CLOSED = "closed", _("已销号")


class InspectionResult(models.TextChoices):
    FOUND = "found", _("发现隐患")
    NONE = "none", _("未发现隐患")


class Reinspection(models.TextChoices):
    PASSED = "passed", _("复查合格")
    FAILED = "failed", _("复查不合格")


class SafetyRuleKind(models.TextChoices):
    RESPONSIBILITY = "responsibility", _("安全生产责任制")
    HAZARD = "hazard", _("隐患排查治理制度")
    PLAN = "plan", _("应急预案")
    TRAINING = "training", _("安全教育培训制度")
    FIRE = "fire", _("消防安全制度")
    CHECK = "check", _("安全检查考核制度")


class SafetyRecordKind(models.TextChoices):
    RULES = "rules", _("制度建设")
    TRAINING = "training", _("宣传培训")
    CHECK = "check", _("检查落实")


class TrainingKind(models.TextChoices):
    TRAINING = "training", _("安全生产培训")
    PUBLICITY = "publicity", _("安全生产宣传")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("落实到位")
    PROBLEMS = "problems", _("发现问题,限期整改")


class GridEnd(models.TextChoices):
    MERGED = "merged", _("网格合并")
    REDRAWN = "redrawn", _("重新划分")
    OTHER = "other", _("其他")


class GridWorkerKind(models.TextChoices):
    FULL_TIME = "full_time", _("专职网格员")
    PART_TIME = "part_time", _("兼职网格员")


class GridWorkerEnd(models.TextChoices):
    RESIGNED = "resigned", _("辞职")
    REASSIGNED = "reassigned", _("调整岗位")
    DISMISSED = "dismissed", _("解聘")
    OTHER = "other", _("其他")
