"""Environmental noise (GB 3096-2008)."""

from .gb3096 import NoiseCompliance, compliance, compliance_rate, night_maximum_compliant, noise_limit

__all__ = ["NoiseCompliance", "compliance", "compliance_rate", "night_maximum_compliant", "noise_limit"]
