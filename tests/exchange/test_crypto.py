"""Encryption of exports: AES-256-GCM in chunks under a scrypt key; wrong password and tampering say so."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from clinic_app.exchange import crypto
from clinic_app.exchange.errors import BundleError
from clinic_app.services import exchange
from clinic_app.storage import exchange as store
from clinic_app.storage.database import Database
from tests.exchange.conftest import demo_user

COST = crypto.FAST_TEST_COST


def _encrypted(tmp_path: Path, content: bytes, password: str = "pass phrase") -> Path:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(content)
    target = tmp_path / "secret.enc"
    with target.open("wb") as handle:
        crypto.encrypt_file(plain, handle, password, cost=COST)
    return target


@pytest.mark.parametrize("size", [0, 5, crypto.CHUNK, 2 * crypto.CHUNK + 7])
def test_round_trip(tmp_path: Path, size: int) -> None:
    """Any length, including exact chunk multiples, decrypts to the same bytes."""
    content = os.urandom(size)
    out = io.BytesIO()
    crypto.decrypt_file(_encrypted(tmp_path, content), out, "pass phrase")
    assert out.getvalue() == content


def test_wrong_password_says_so(tmp_path: Path) -> None:
    """A wrong password is named as such (not as damage)."""
    with pytest.raises(BundleError) as caught:
        crypto.decrypt_file(_encrypted(tmp_path, b"abc"), io.BytesIO(), "other")
    assert caught.value.problem == "password" and "password" in str(caught.value)


@pytest.mark.parametrize("where", ["body", "truncate", "drop_chunk", "header"])
def test_tampering_is_detected(tmp_path: Path, where: str) -> None:
    """A flipped byte, a cut, a dropped chunk or an edited header fails authentication."""
    path = _encrypted(tmp_path, os.urandom(2 * crypto.CHUNK + 10))
    data = bytearray(path.read_bytes())
    header_end = (
        len(crypto.MAGIC) + 4 + int.from_bytes(data[len(crypto.MAGIC) : len(crypto.MAGIC) + 4], "big")
    )
    if where == "body":
        data[header_end + 100] ^= 1
    elif where == "truncate":
        del data[-1 - crypto.CHUNK // 2 :]
    elif where == "drop_chunk":
        del data[header_end : header_end + crypto.CHUNK + 16]
    else:
        data[header_end - 3] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError) as caught:
        crypto.decrypt_file(path, io.BytesIO(), "pass phrase")
    assert caught.value.problem in ("tampered", "password")
    if where != "header":
        assert caught.value.problem == "tampered" and "changed or cut short" in str(caught.value)


def test_encrypted_bundle_imports_and_wrong_password_writes_nothing(
    demo: Database, empty: Database, tmp_path: Path
) -> None:
    """An encrypted export imports with its password; with a wrong one nothing is written."""
    path = tmp_path / "clinic.enc"
    exchange.export_bundle(demo, path, password="s3cret words", cost=COST)
    assert crypto.is_encrypted(path) and b"family_name" not in path.read_bytes()
    user = demo_user(demo)
    with empty.reads.begin() as session:
        before = store.count_rows(session)
    with pytest.raises(BundleError) as caught:
        exchange.import_bundle(empty, path, user, password="wrong")
    assert caught.value.problem == "password"
    with empty.reads.begin() as session:
        assert store.count_rows(session) == before
    outcome = exchange.import_bundle(empty, path, user, password="s3cret words")
    assert outcome.plan.visits_added


def test_default_cost_is_memory_hard() -> None:
    """The default scrypt cost needs at least 64 MiB (n × r × 128 bytes)."""
    cost = crypto.DEFAULT_COST
    assert cost.n * cost.r * 128 >= 64 * 1024 * 1024
