from .seals import Seal, SealUse

__all__ = ["Seal", "SealUse"]
