from .appointees import Appointee, JointVetting
from .delegates import Delegate

__all__ = ["Appointee", "Delegate", "JointVetting"]
