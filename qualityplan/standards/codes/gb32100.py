"""Unified social credit code (统一社会信用代码, GB 32100-2015) and organisation code (GB 11714-1997).

Public functions
----------------
``validate_uscc(code, *, lowercase="reject", check_org_code=False) -> (valid, reason)``
    scalar string → ``(bool, str)``; list/array → ``(bool array, object array)``.  ``reason`` is ''
    for a valid code, otherwise the first failure: empty, wrong length, lower case, invalid character
    at position N, positions 3–8 must be digits, check character mismatch (expected X, got Y),
    and with ``check_org_code=True`` the GB 11714 check of positions 9–17.
``uscc_check_character(first17) -> str``
``validate_org_code(code) -> (valid, reason)``  9 characters, optionally "XXXXXXXX-X".

Algorithm (GB 32100-2015 表 1 and 附录): characters 0–9 A–H J–N P–R T U W–Y (no I O S V Z) with
values 0–30; weights W_i = 3^(i−1) mod 31; C18 = 31 − (Σ C_i·W_i mod 31), 31 → 0.
GB 11714: values 0–9, A–Z = 10–35; weights 3 7 9 10 5 8 4 2; C9 = 11 − (Σ mod 11), 10 → 'X', 11 → '0'.
Legacy pilot codes that fail the check character are rejected (open choice; allow-list them upstream).
"""

from __future__ import annotations

from typing import Any

import numpy as np

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_USCC_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _ch in enumerate(USCC_ALPHABET):
    _USCC_VALUE[ord(_ch)] = _i
_ORG_VALUE = np.full(256, -1, dtype=np.int64)
for _i, _ch in enumerate(ORG_ALPHABET):
    _ORG_VALUE[ord(_ch)] = _i


def uscc_check_character(first17: str) -> str:
    """The check character (position 18) for the first 17 characters."""
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - s % 31) % 31]


def _as_matrix(codes: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Codes → (uint8 matrix padded to ``width``, lengths, non-ASCII flag)."""
    enc = np.char.encode(codes.astype(str), "utf-8")
    lengths = np.char.str_len(codes.astype(str))
    non_ascii = np.char.str_len(enc) != lengths
    fixed = enc.astype(f"S{width}")
    mat = (
        np.frombuffer(fixed.tobytes(), dtype=np.uint8).reshape(codes.size, width)
        if codes.size
        else np.zeros((0, width), dtype=np.uint8)
    )
    return mat, lengths, non_ascii


def _first_true(mask: np.ndarray) -> np.ndarray:
    return np.argmax(mask, axis=1)


def _org_check(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GB 11714 check over an (n, 9) matrix: (valid, expected char)."""
    vals = _ORG_VALUE[mat[:, :8]]
    s = (vals * np.asarray(ORG_WEIGHTS)).sum(axis=1)
    c = 11 - s % 11
    expected = np.where(c == 10, ord("X"), np.where(c == 11, ord("0"), c + ord("0")))
    return (mat[:, 8] == expected) & (vals.min(axis=1) >= 0), expected


def validate_uscc(code: Any, *, lowercase: str = "reject", check_org_code: bool = False) -> tuple[Any, Any]:
    """Validate USCCs with a reason for each failure (see module docstring)."""
    scalar = isinstance(code, str)
    codes = np.atleast_1d(np.asarray(code, dtype=object)).astype(str)
    codes = np.char.strip(codes)
    if lowercase == "upper":
        codes = np.char.upper(codes)
    elif lowercase != "reject":
        raise ValueError("lowercase must be 'reject' or 'upper'")
    n = codes.size
    mat, lengths, non_ascii = _as_matrix(codes, 18)
    reason = np.full(n, "", dtype=object)

    def fail(mask: np.ndarray, text: Any) -> None:
        nonlocal reason
        reason = np.where((reason == "") & mask, text, reason)

    fail(lengths == 0, "empty")
    fail((lengths != 18) & (lengths > 0), np.char.mod("wrong length %d (expected 18)", lengths).astype(object))
    fail(non_ascii, "non-ASCII character")
    lower = ((mat >= ord("a")) & (mat <= ord("z"))).any(axis=1)
    fail(lower, "lower-case letters (the standard uses upper case)")
    vals = _USCC_VALUE[mat]
    bad_char = vals < 0
    bad_char[:, 17] = False  # an invalid 18th character is reported as a check-character mismatch
    pos = _first_true(bad_char)
    bad_text = np.char.add(
        np.char.add("invalid character '", np.array([bytes([b]).decode("latin-1") for b in mat[np.arange(n), pos]])),
        np.char.mod("' at position %d", pos + 1),
    ).astype(object) if n else np.array([], dtype=object)  # fmt: skip
    fail(bad_char.any(axis=1), bad_text)
    region_digits = (mat[:, 2:8] >= ord("0")) & (mat[:, 2:8] <= ord("9"))
    fail(~region_digits.all(axis=1), "positions 3-8 (region code) must be digits")
    s = (np.where(bad_char, 0, vals)[:, :17] * np.asarray(USCC_WEIGHTS)).sum(axis=1)
    expected = (31 - s % 31) % 31
    alphabet = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)
    exp_char = alphabet[expected]
    mismatch = mat[:, 17] != exp_char
    exp_text = np.char.add(
        np.char.add("check character mismatch: expected '", np.array([chr(c) for c in exp_char.tolist()]) if n else []),
        np.char.add("', got '", np.char.add(np.array([chr(c) for c in mat[:, 17].tolist()]) if n else [], "'")),
    ).astype(object) if n else np.array([], dtype=object)  # fmt: skip
    fail(mismatch, exp_text)
    if check_org_code:
        ok, _ = _org_check(mat[:, 8:17])
        fail(~ok, "organisation code (positions 9-17) fails the GB 11714 check")
    valid = reason == ""
    if scalar:
        return bool(valid[0]), str(reason[0])
    return valid, reason


def validate_org_code(code: Any) -> tuple[Any, Any]:
    """Validate GB 11714 organisation codes (``"M000100Y4"`` or ``"M000100Y-4"``)."""
    scalar = isinstance(code, str)
    codes = np.char.strip(np.atleast_1d(np.asarray(code, dtype=object)).astype(str))
    hyphen = np.char.str_len(codes) == 10
    dash_ok = np.char.find(codes, "-") == 8
    codes = np.where(hyphen & dash_ok, np.char.replace(codes, "-", ""), codes)
    mat, lengths, non_ascii = _as_matrix(codes, 9)
    reason = np.full(codes.size, "", dtype=object)
    reason = np.where(lengths != 9, "wrong length (expected 9 characters, or 8-1 with a hyphen)", reason)
    reason = np.where((reason == "") & non_ascii, "non-ASCII character", reason)
    bad = _ORG_VALUE[mat[:, :8]] < 0
    reason = np.where((reason == "") & bad.any(axis=1), "invalid character in positions 1-8", reason)
    ok, _ = _org_check(mat)
    reason = np.where((reason == "") & ~ok, "check character mismatch", reason)
    valid = reason == ""
    if scalar:
        return bool(valid[0]), str(reason[0])
    return valid, reason
