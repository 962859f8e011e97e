from .appointees import Appointee, JointVetting

__all__ = ["Appointee", "JointVetting"]
