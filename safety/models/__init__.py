from .correction import CorrectionActivity, CorrectionPerson
from .disputes import Dispute, MediationRecord, Petition
from .education import LegalEducationActivity
from .emergency import Hazard, Incident, SafetyProductionRecord
from .grid import Grid, GridIncident, GridWorker

__all__ = [
    "CorrectionActivity",
    "CorrectionPerson",
    "Dispute",
    "Grid",
    "GridIncident",
    "GridWorker",
    "Hazard",
    "Incident",
    "LegalEducationActivity",
    "MediationRecord",
    "Petition",
    "SafetyProductionRecord",
]
