#!/usr/bin/env python3
"""Verify a ControlPlane audit export (JSON Lines) without access to the server or its keys.

Usage: scripts/verify-audit-export.py audit.jsonl --digest audit-digest-chain.jsonl --public-key audit-public-key.pem
                                      [--fresh-within MINUTES]
       scripts/verify-audit-export.py audit.jsonl --no-digest

The export must be whole (GET /api/v1/audit/export?format=jsonl, no filters): events numbered 1, 2, 3, ...
from the genesis hash, each linking to the one before. The digests (GET /api/v1/audit/digests) must each be
signed by the public key (GET /api/v1/audit/public-key, obtained from a trusted channel) and chain to the
line before; every digest must name an event of the export, with the same hash. The events up to the newest
digest are then fixed by a signature the database's holders cannot make; later events are only
chain-consistent (the exposure window, docs/audit.md).

Exit 0 when intact, 2 with the first problem found (BROKEN), 3 when nothing anchors the chain (UNANCHORED),
1 for usage errors. Needs python3-cryptography for the signatures.
"""
import hashlib
import json
import sys
from datetime import datetime, timedelta, timezone

GENESIS = "0" * 64
FIELDS = ("occurredAt", "actorId", "actorName", "action", "entityType", "entityId")


class Broken(Exception):
    pass


def s(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def canonical(e):
    parts = [str(e["sequence"])] + [s(e[k]) for k in FIELDS] + [s(e["changes"])]
    parts += [s(e[k]) for k in ("reason", "correlationId", "clientIp")]
    if e.get("keyId") is not None:  # keyed events also commit to their key id and the caller's correlation id
        parts += [s(e["keyId"]), s(e.get("callerCorrelationId"))]
    return "[" + ",".join(parts) + "]"


def read_events(path):
    """The export's (sequence -> hash) after checking numbering, links and hashes; raises Broken."""
    hashes = {}
    previous_hash, expected = GENESIS, 1
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                e = json.loads(line)
                sequence = e["sequence"]
                if not isinstance(sequence, int) or isinstance(sequence, bool):
                    raise ValueError("sequence is not an integer")
                digest = hashlib.sha256(canonical(e).encode("utf-8") + e["previousHash"].encode("ascii")).hexdigest()
            except (ValueError, KeyError, TypeError, AttributeError, UnicodeEncodeError) as error:
                raise Broken(f"line {number} is not an audit event ({error})")
            if sequence != expected:
                raise Broken(f"line {number} holds event {sequence}, expected {expected}: events are missing, repeated or reordered"
                             + (" (the export must start at event 1)" if expected == 1 else ""))
            if e["previousHash"] != previous_hash:
                raise Broken(f"event {sequence} does not link to " + ("the genesis hash" if sequence == 1 else f"event {sequence - 1}"))
            if digest != e["hash"]:
                raise Broken(f"event {sequence}: content does not match its hash")
            hashes[sequence] = e["hash"]
            previous_hash, expected = e["hash"], expected + 1
    return hashes


def read_digests(path, public_key_path):
    """The signed digests [(sequence, hash, utcTime)] after checking signatures and the digest chain; raises Broken."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        print("python3-cryptography is required to check digest signatures (apt-get install python3-cryptography)")
        sys.exit(1)
    with open(public_key_path, "rb") as f:
        key = serialization.load_pem_public_key(f.read())
    if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != "secp256r1":
        print("the public key must be an ECDSA P-256 key")
        sys.exit(1)
    digests, previous = [], GENESIS
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                sequence, digest_hash, time = d["sequence"], d["hash"], d["utcTime"]
                signature = d.get("signature")
                if not isinstance(sequence, int) or isinstance(sequence, bool):
                    raise ValueError("sequence is not an integer")
            except (ValueError, KeyError, TypeError) as error:
                raise Broken(f"digest line {number} is not a digest entry ({error})")
            if signature is None:
                raise Broken(f"digest line {number} is not signed")
            if d.get("previous") != previous:
                raise Broken(f"digest line {number} does not chain to the line before it (a digest was removed, reordered or inserted)")
            payload = f"controlplane-audit-digest\n{sequence}\n{digest_hash}\n{time}\n{previous}".encode("utf-8")
            try:
                import base64
                key.verify(base64.b64decode(signature, validate=True), payload, ec.ECDSA(hashes.SHA256()))
            except (InvalidSignature, ValueError):
                raise Broken(f"digest line {number}: the signature is not valid (edited, or signed with another key)")
            if digests and sequence <= digests[-1][0]:
                raise Broken(f"digest line {number} anchors event {sequence}, not after {digests[-1][0]}")
            digests.append((sequence, digest_hash, time))
            previous = hashlib.sha256(line.encode("utf-8")).hexdigest()
    return digests


def option(argv, name):
    if name not in argv:
        return None
    i = argv.index(name)
    if i + 1 >= len(argv):
        print(__doc__)
        sys.exit(1)
    return argv[i + 1]


def main(argv):
    if len(argv) < 2 or argv[1].startswith("--"):
        print(__doc__)
        return 1
    digest_path, key_path, fresh = option(argv, "--digest"), option(argv, "--public-key"), option(argv, "--fresh-within")
    if "--no-digest" not in argv and (digest_path is None or key_path is None):
        print("--digest FILE and --public-key FILE are required (or --no-digest to check the chain alone)")
        return 1
    try:
        hashes = read_events(argv[1])
        head = max(hashes, default=0)
        if "--no-digest" in argv:
            print(f"UNANCHORED: {head} events chain correctly from the genesis hash, but no signed digest was checked")
            return 3
        digests = read_digests(digest_path, key_path)
        for sequence, digest_hash, time in digests:
            if sequence > head:
                raise Broken(f"a signed digest ({time}) anchors event {sequence}, past the end of the export at {head}: "
                             "the export was cut or is an older one")
            if hashes[sequence] != digest_hash:
                raise Broken(f"event {sequence} differs from the signed digest written at {time}: the chain was rewritten")
    except Broken as problem:
        print(f"BROKEN: {problem}")
        return 2
    if not digests:
        print(f"UNANCHORED: {head} events chain correctly, but the digest file holds no digest")
        return 3
    anchored, _, time = digests[-1]
    if fresh is not None:
        written = datetime.strptime(time[:26] + "Z", "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
        if datetime.now(timezone.utc) - written > timedelta(minutes=float(fresh)):
            print(f"UNANCHORED: the newest digest ({time}) is older than {fresh} minutes: a replayed or stale export")
            return 3
    tail = f"; events {anchored + 1}..{head} follow the newest digest and are only chain-consistent" if head > anchored else ""
    print(f"intact: {head} events, head {hashes.get(head, GENESIS)}, anchored through event {anchored} by a signed digest at {time}{tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
