#!/usr/bin/env python3
"""Verify a ControlPlane audit export (JSON Lines) without access to the server.

Usage: scripts/verify-audit-export.py audit.jsonl [--digest audit-digest.jsonl]

Recomputes every event's hash from its canonical form (docs/audit.md) and checks that consecutive
events link. Exit 0 when intact, 2 with the first broken sequence number otherwise.
"""
import hashlib
import json
import sys


def canonical(e):
    def s(value):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    parts = [str(e["sequence"])] + [s(e[k]) for k in ("occurredAt", "actorId", "actorName", "action", "entityType", "entityId")]
    parts.append(s(e["changes"]))
    parts += [s(e[k]) for k in ("reason", "correlationId", "clientIp")]
    return "[" + ",".join(parts) + "]"


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 1
    anchors = {}
    if "--digest" in argv:
        with open(argv[argv.index("--digest") + 1], encoding="utf-8") as f:
            anchors = {d["sequence"]: d["hash"] for d in map(json.loads, filter(str.strip, f))}
    previous = None
    count = 0
    with open(argv[1], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            e = json.loads(line)
            count += 1
            digest = hashlib.sha256(canonical(e).encode("utf-8") + e["previousHash"].encode("ascii")).hexdigest()
            if digest != e["hash"]:
                print(f"BROKEN at sequence {e['sequence']}: content does not match its hash")
                return 2
            if previous is not None and previous["sequence"] + 1 == e["sequence"] and e["previousHash"] != previous["hash"]:
                print(f"BROKEN at sequence {e['sequence']}: does not link to {previous['sequence']}")
                return 2
            if e["sequence"] in anchors and anchors[e["sequence"]] != e["hash"]:
                print(f"BROKEN at sequence {e['sequence']}: differs from the digest")
                return 2
            previous = e
    print(f"intact: {count} events" + (f", head {previous['sequence']} {previous['hash']}" if previous else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
