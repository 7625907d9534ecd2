"""Password encryption of an export file: scrypt for the key, AES-256-GCM in chunks for the content.

An encrypted file is a short plain header (magic, then JSON with the key-derivation parameters, a
random salt and nonce prefix, and a password check) followed by the content in 1 MiB chunks, each
sealed with AES-GCM. The chunk's number and whether it is the last are part of its nonce and the header
is authenticated with every chunk, so reordering, dropping or truncating chunks, or editing the
header, all fail authentication. The password check (an HMAC under a second derived key) tells a wrong
password apart from a changed file. Decryption writes to a file the caller owns and deletes on failure:
nothing half-decrypted is ever used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from clinic_app.exchange.errors import BundleError

MAGIC = b"RUNREADY-ENCRYPTED\n"
CHUNK = 1024 * 1024
_TAG = 16
_MAX_HEADER = 4096


@dataclass(frozen=True, slots=True)
class ScryptCost:
    """scrypt's cost: ``n`` × ``r`` × 128 bytes of memory (the default is 128 MiB, about half a second)."""

    n: int = 2**17
    r: int = 8
    p: int = 1


DEFAULT_COST = ScryptCost()
"""The cost every export uses."""
FAST_TEST_COST = ScryptCost(2**10, 8, 1)
"""A cheap cost for tests only."""
_LIMIT = ScryptCost(2**20, 16, 4)
"""The most a file may ask for (a file must not make the reader allocate gigabytes)."""


def is_encrypted(path: Path) -> bool:
    """True when the file starts with this app's encryption header."""
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _keys(password: str, salt: bytes, cost: ScryptCost) -> tuple[bytes, bytes]:
    material = Scrypt(salt=salt, length=64, n=cost.n, r=cost.r, p=cost.p).derive(password.encode("utf-8"))
    return material[:32], material[32:]


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if final else 0)


def encrypt_file(source: Path, target: IO[bytes], password: str, *, cost: ScryptCost | None = None) -> None:
    """Encrypt ``source`` into the open binary file ``target``.

    Raises:
        ValueError: an empty password.
    """
    if not password:
        raise ValueError("An empty password cannot protect a file.")
    cost = cost or DEFAULT_COST
    salt, prefix = os.urandom(16), os.urandom(7)
    enc_key, check_key = _keys(password, salt, cost)
    fields: dict[str, Any] = {
        "cipher": "AES-256-GCM",
        "chunk": CHUNK,
        "kdf": "scrypt",
        "n": cost.n,
        "r": cost.r,
        "p": cost.p,
        "salt": base64.b64encode(salt).decode(),
        "nonce_prefix": base64.b64encode(prefix).decode(),
    }
    fields["check"] = _check(check_key, fields)
    header = json.dumps(fields, sort_keys=True).encode()
    target.write(MAGIC + struct.pack(">I", len(header)) + header)
    aead = AESGCM(enc_key)
    counter = 0
    with source.open("rb") as plain:
        block = plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK) if len(block) == CHUNK else b""
            final = len(block) < CHUNK
            target.write(aead.encrypt(_nonce(prefix, counter, final), block, header))
            if final:
                return
            counter += 1
            block = following


def _check(check_key: bytes, fields: dict[str, Any]) -> str:
    body = json.dumps({k: v for k, v in fields.items() if k != "check"}, sort_keys=True).encode()
    return hmac.new(check_key, body, hashlib.sha256).hexdigest()


def decrypt_file(source: Path, target: IO[bytes], password: str) -> None:
    """Decrypt ``source`` into the open binary file ``target`` (discard ``target`` on any error).

    Raises:
        BundleError: ``password`` when the password is wrong; ``tampered`` when the file was changed,
            truncated or is not an encrypted export.
    """
    with source.open("rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise BundleError(f"{source.name} is not an encrypted export.", problem="not_a_bundle")
        header, fields = _read_header(handle, source.name)
        cost = ScryptCost(fields["n"], fields["r"], fields["p"])
        enc_key, check_key = _keys(password, fields["salt"], cost)
        if not hmac.compare_digest(_check(check_key, fields["raw"]), fields["raw"]["check"]):
            raise BundleError(
                "The password is not the one this file was encrypted with. Nothing was imported.",
                problem="password",
            )
        aead = AESGCM(enc_key)
        counter = 0
        while True:
            block = handle.read(CHUNK + _TAG)
            final = len(block) < CHUNK + _TAG
            try:
                target.write(aead.decrypt(_nonce(fields["prefix"], counter, final), block, header))
            except (InvalidTag, ValueError):
                raise _tampered(source.name) from None
            if final:
                if handle.read(1):
                    raise _tampered(source.name)
                return
            counter += 1


def _tampered(name: str) -> BundleError:
    return BundleError(
        f"{name} was changed or cut short after it was encrypted (authentication failed). "
        "Nothing was imported.",
        problem="tampered",
    )


def _read_header(handle: IO[bytes], name: str) -> tuple[bytes, dict[str, Any]]:
    raw_length = handle.read(4)
    if len(raw_length) != 4:
        raise _tampered(name)
    (length,) = struct.unpack(">I", raw_length)
    if length > _MAX_HEADER:
        raise _tampered(name)
    header = handle.read(length)
    try:
        raw = json.loads(header)
        salt = base64.b64decode(raw["salt"], validate=True)
        prefix = base64.b64decode(raw["nonce_prefix"], validate=True)
        n, r, p = int(raw["n"]), int(raw["r"]), int(raw["p"])
        ok = (
            raw["kdf"] == "scrypt"
            and raw["cipher"] == "AES-256-GCM"
            and raw["chunk"] == CHUNK
            and isinstance(raw["check"], str)
            and len(salt) == 16
            and len(prefix) == 7
            and 2 <= n <= _LIMIT.n
            and n & (n - 1) == 0
            and 1 <= r <= _LIMIT.r
            and 1 <= p <= _LIMIT.p
        )
    except (ValueError, KeyError, TypeError):
        raise _tampered(name) from None
    if not ok:
        raise _tampered(name)
    return header, {"raw": raw, "salt": salt, "prefix": prefix, "n": n, "r": r, "p": p}
