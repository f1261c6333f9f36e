"""Codes: USCC (GB 32100-2015) and organisation code (GB 11714-1997)."""

from .gb32100 import uscc_check_character, validate_org_code, validate_uscc

__all__ = ["uscc_check_character", "validate_org_code", "validate_uscc"]
