"""Players' names, class names and resume codes: checked at the boundary, kept as data."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from sim.classroom.errors import ClassError

MAX_NAME = 40
MAX_CLASS_NAME = 40
# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits
_CODE_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Characters that reorder text (bidirectional overrides) could make one name pass for another.
_BIDI_CONTROLS = {chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def clean_name(text: str, *, what: str = "name", limit: int = MAX_NAME) -> str:
    """A player's name as typed, with outer space trimmed and inner runs of space made single; raises ClassError.

    Markup characters ([b], <script>) are allowed: a name is data, escaped wherever it is shown.
    """
    name = " ".join(text.split())
    if not name:
        raise ClassError(f"Please enter a {what}.")
    if len(name) > limit:
        raise ClassError(f"A {what} has at most {limit} characters; this one has {len(name):,}.")
    for character in name:
        if unicodedata.category(character) in ("Cc", "Cs", "Co", "Cn") or character in _BIDI_CONTROLS:
            raise ClassError(f"A {what} cannot contain control or unassigned characters (found U+{ord(character):04X}).")
    return name


def name_key(name: str) -> str:
    """The form two names are compared in: 'Ana' and 'ANA' are the same player."""
    return unicodedata.normalize("NFKC", name).casefold()


def new_code() -> str:
    """A fresh random resume code, shown as two groups of five (e.g. 7KQ2M-XD4PA)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(text: str) -> str:
    """A resume code as typed, in its one canonical form (case, spaces, dashes and look-alikes ignored)."""
    return "".join(text.split()).replace("-", "").upper().translate(_CODE_LOOKALIKES)


def secret_digest(secret: str) -> str:
    """What the store keeps of a resume code or a browser's seat token: its SHA-256, never the secret itself."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
