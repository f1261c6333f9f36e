"""Masking of the caller's personal data for everyone ``policies.can_see_caller`` does not allow."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a mobile number (138****5678); shorter numbers keep the last 2."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    if len(phone) > 4:
        return "*" * (len(phone) - 2) + phone[-2:]
    return "*" * len(phone)


def mask_name(name: str) -> str:
    """Keep the family name (first character): 张**."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def caller_for(user, order) -> dict:
    """The caller as ``user`` may see it: in clear for the handling unit, the hotline and the office, else masked."""
    from qualityplan.hotline.policies import can_see_caller

    if can_see_caller(user, order):
        return {"name": order.caller_name, "phone": order.caller_phone, "masked": False}
    return {"name": mask_name(order.caller_name), "phone": mask_phone(order.caller_phone), "masked": True}
