#!/usr/bin/env python3
"""Crash-safety campaign (issue 16 §4): SIGKILL at random points in real `yima`
processes (issuance, CSV import, posted events, single log appends, scan flushes,
checkpoint signing), and after each restart the store's invariants, checked from the
outside: with SQLite itself, an independent RFC 6962 Merkle computation in Python,
`yima log checkpoint` and `yima chain --verify`.

    scripts/crash-campaign.py YIMA_BIN [--points N] [--seed S] [--keep DIR] [--quick]

--quick (make test) issues at most 1,000 codes and imports at most 50 rows per point.

Prints one line per point and a summary; exits 1 if any invariant was violated.
Loopback only; every loop is bounded."""
import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "campaign"))
from yimafarm import GTIN, Farm, Server, free_port  # noqa: E402

LOTS = ("ISSUE", "DIARY", "POST", "SCAN")
OPERATIONS = ("issue", "import", "post", "append", "scan", "checkpoint")


def now_time():
    """Now plus a second, to the second, in China time: never before a record stamped now."""
    moment = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) + datetime.timedelta(seconds=1)
    return moment.replace(microsecond=0).isoformat()


# -- RFC 6962 / RFC 9162 Merkle tree, written here independently of YimaLedger --------

def leaf_hash(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_root(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = list(leaves)
    # MTH with the largest power of two below n on the left: fold bottom-up by subtree plan.
    def mth(lo, hi):
        if hi - lo == 1:
            return level[lo]
        k = 1
        while k * 2 < hi - lo:
            k *= 2
        return node_hash(mth(lo, lo + k), mth(lo + k, hi))
    return mth(0, len(level))


def stored_hash_index(level, n):
    """Go tlog's StoredHashIndex: where hash (level, n) is kept in the stored sequence."""
    for _ in range(level):
        n = 2 * n + 1
    i = 0
    while n > 0:
        i += n
        n >>= 1
    return i + level


def stored_hash_count(n):
    if n == 0:
        return 0
    count = stored_hash_index(0, n - 1) + 1
    i = n - 1
    while i & 1:
        count += 1
        i >>= 1
    return count


class Campaign:
    def __init__(self, yima, work, rng, quick=False):
        self.rng = rng
        self.issue_counts = [100, 1000] if quick else [100, 1000, 5000, 20000]
        self.import_rows = [10, 50] if quick else [10, 50, 200]
        self.farm = Farm(yima, work, LOTS)
        self.violations = []
        self.observations = []
        self.served_lookups = 0          # genuine lookups answered 200, over the whole campaign
        # Lookups cut by a kill: sent, no answer read. The server counts a scan when it
        # answers, so each may be counted though its answer never arrived (one per client).
        self.cut_lookups = 0
        self.acknowledged = set()        # record ids the server answered 201 for
        self.durations = {}              # an uninterrupted run of each operation, seconds
        self.scan_paths = []
        self.issue_serial = 0
        self.calibrating = False

    # -- setup ---------------------------------------------------------------------

    def setup(self):
        self.farm.seed()
        out = os.path.join(self.farm.work, "scan-labels")
        self.farm.run("issue", "--batch", f"{GTIN}/SCAN", "--key", self.farm.key, "--count", "200",
                      "--format", "txt", "--out", out)
        with open(os.path.join(out, "codes.txt")) as f:
            self.scan_paths = ["/" + line.strip().split("://", 1)[1].split("/", 1)[1] for line in f if line.strip()]
        self.farm.run("log", "checkpoint")

    # -- the operations, each a real process killed at `delay` seconds (None: not killed) --

    def issue(self, delay):
        self.issue_serial += 1
        count = self.issue_counts[-1] if self.calibrating else self.rng.choice(self.issue_counts)
        out = os.path.join(self.farm.work, "labels", f"issue-{self.issue_serial}")
        before = self.snapshot()
        killed = self.kill_after(["issue", "--batch", f"{GTIN}/ISSUE", "--key", self.farm.key, "--count", str(count),
                                  "--format", "txt", "--out", out], delay)
        after = self.snapshot()
        units = after["units"]["ISSUE"] - before["units"]["ISSUE"]
        events = after["events"]["ISSUE"] - before["events"]["ISSUE"]
        if (units, events) not in ((0, 0), (count, 1)):
            self.violate(f"partial issuance: {units} of {count} units, {events} events")
        codes = os.path.join(out, "codes.txt")
        if os.path.exists(out):
            lines = sum(1 for _ in open(codes)) if os.path.exists(codes) else -1
            if lines != count or units != count:
                self.violate(f"output folder with {lines} codes for {units} stored of {count}")
        elif units == count:
            self.observations.append(f"issue killed at {delay:.3f}s after the commit, before the folder was moved "
                                     f"into place: {count} codes stored, no output folder")
        return killed, f"{count} codes: {units} stored"

    def csv_import(self, delay):
        rows = self.import_rows[-1] if self.calibrating else self.rng.choice(self.import_rows)
        when = now_time()
        lines = ["type,gtin,lot,time,data.activity,data.note"]
        lines += [f"care,{GTIN},DIARY,{when},irrigation,第 {i} 行" for i in range(rows)]
        path = self.farm.write("diary.csv", "\n".join(lines) + "\n")
        before = self.snapshot()
        killed = self.kill_after(["event", "import", "--key", self.farm.key, "--csv", path], delay)
        added = self.snapshot()["events"]["DIARY"] - before["events"]["DIARY"]
        if added not in (0, rows):
            self.violate(f"partial import: {added} of {rows} rows stored")
        return killed, f"{rows} rows: {added} stored"

    def append(self, delay):
        draft = {"type": "care", "batch": {"gtin": GTIN, "lot": "DIARY"}, "time": now_time(),
                 "data": {"activity": "weeding", "note": "单条记录"}}
        path = self.farm.write("event.json", draft)
        before = self.snapshot()
        killed = self.kill_after(["event", "record", "--key", self.farm.key, "--file", path], delay)
        added = self.snapshot()["records"] - before["records"]
        if added not in (0, 1):
            self.violate(f"one event appended {added} records")
        return killed, f"{added} stored"

    def checkpoint(self, delay):
        killed = self.kill_after(["log", "checkpoint"], delay)
        return killed, "checkpoint"

    def serve(self, delay, writers, readers):
        """A server with writers posting signed events and readers looking up codes; killed."""
        port = free_port()
        server = Server(self.farm, port, "--scan-flush-ms", str(self.rng.choice([1, 20, 250])))
        stop = threading.Event()
        counts = {"posted": 0, "acknowledged": 0, "lookups": 0, "errors": 0}
        lock = threading.Lock()

        def writer():
            prev, _ = self.farm.head("POST")
            while not stop.is_set():
                envelope, record_id = self.farm.signed_event("POST", prev, now_time(), f"posted {counts['posted']}")
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/records", data=envelope,
                                                 headers={"Content-Type": "application/json"}, method="POST")
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        if answer.status == 201:
                            with lock:
                                self.acknowledged.add(record_id)
                                counts["acknowledged"] += 1
                            prev = record_id
                except urllib.error.HTTPError as error:
                    if error.code >= 500:
                        with lock:
                            counts["errors"] += 1
                    prev, _ = self.farm.head("POST")
                except OSError:
                    return  # killed
                with lock:
                    counts["posted"] += 1

        def reader():
            while not stop.is_set():
                path = self.rng.choice(self.scan_paths)
                request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Accept": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        answer.read()
                        if answer.status == 200:
                            with lock:
                                self.served_lookups += 1
                                counts["lookups"] += 1
                except urllib.error.HTTPError as error:
                    if error.code >= 500:
                        with lock:
                            counts["errors"] += 1
                except OSError:
                    with lock:
                        self.cut_lookups += 1
                    return  # killed

        threads = [threading.Thread(target=writer) for _ in range(writers)]
        threads += [threading.Thread(target=reader) for _ in range(readers)]
        for thread in threads:
            thread.start()
        time.sleep(delay)
        server.stop(signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        if counts["errors"]:
            self.violate(f"{counts['errors']} answers 5xx before the kill")
        return True, f"{counts['acknowledged']} events acknowledged, {counts['lookups']} lookups served"

    def kill_after(self, arguments, delay):
        process = subprocess.Popen([self.farm.yima, *arguments], env=self.farm.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            process.wait(timeout=delay)
            _, err = process.communicate()
            if process.returncode != 0:
                self.violate(f"yima {arguments[0]} failed unkilled: {err.decode().strip()[:300]}")
            return False
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True

    # -- invariants ------------------------------------------------------------------

    def snapshot(self):
        with self.farm.db() as db:
            units = dict(db.execute("SELECT lot, COUNT(*) FROM units GROUP BY lot").fetchall())
            events = dict(db.execute(
                "SELECT batch_key, COUNT(*) FROM records WHERE kind = 'event' GROUP BY batch_key").fetchall())
            records = db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        return {"units": {lot: units.get(lot, 0) for lot in LOTS},
                "events": {lot: events.get(f"{GTIN}/{lot}", 0) for lot in LOTS}, "records": records}

    def violate(self, message):
        self.violations.append(message)

    def check(self):
        """The invariants, read from the store after a kill and before anything else runs."""
        with self.farm.db() as db:
            rows = db.execute("SELECT seq, id, kind, batch_key, envelope FROM records ORDER BY seq").fetchall()
            stored = [row[0] for row in db.execute("SELECT hash FROM ledger_hashes ORDER BY idx").fetchall()]
            indexes = [row[0] for row in db.execute("SELECT idx FROM ledger_hashes ORDER BY idx").fetchall()]
            batches = db.execute("SELECT key, head_id, event_count, unit_count FROM batches").fetchall()
            units = dict(db.execute("SELECT gtin || '/' || lot, COUNT(*) FROM units GROUP BY gtin, lot").fetchall())
            duplicates = db.execute("SELECT COUNT(*) FROM (SELECT gtin, lot, serial FROM units "
                                    "GROUP BY gtin, lot, serial HAVING COUNT(*) > 1)").fetchone()[0]
            scanned = db.execute("SELECT COALESCE(SUM(count), 0) FROM scans").fetchone()[0]
        if duplicates:
            self.violate(f"{duplicates} duplicate serials")
        # Sequence numbers consecutive, ids the SHA-256 of the payload.
        payloads = {}
        for position, (seq, record_id, kind, batch_key, envelope) in enumerate(rows):
            payload = base64.urlsafe_b64decode(json.loads(envelope)["payload"] + "==")
            if hashlib.sha256(payload).digest() != record_id:
                self.violate(f"record {seq}: id is not the SHA-256 of its payload")
            payloads[seq] = json.loads(payload)
        # Every chain link: each batch's records in order, each event's prev the one before.
        issued = {}
        for key, head_id, event_count, unit_count in batches:
            chain = [(row[1], payloads[row[0]]) for row in rows if row[3] == key and row[2] in ("batch", "event")]
            if not chain or chain[0][1]["kind"] != "batch":
                self.violate(f"batch {key}: its chain does not start with the batch record")
                continue
            for (previous_id, _), (record_id, payload) in zip(chain, chain[1:]):
                if payload.get("prev") != previous_id.hex():
                    self.violate(f"batch {key}: broken chain link before {record_id.hex()[:12]}")
            if chain[-1][0] != head_id:
                self.violate(f"batch {key}: the stored head is not the chain's last record")
            if event_count != len(chain) - 1:
                self.violate(f"batch {key}: event_count {event_count} for {len(chain) - 1} events")
            issued[key] = sum(p["data"]["count"] for _, p in chain if p.get("type") == "unit_issuance")
            if not (issued[key] == unit_count == units.get(key, 0)):
                self.violate(f"batch {key}: issuance events say {issued[key]} units, unit_count {unit_count}, "
                             f"units table {units.get(key, 0)}")
        # The log: stored leaf hashes, the root recomputed from the stored records.
        leaves = [leaf_hash(row[4]) for row in rows]
        if indexes != list(range(len(indexes))) or len(stored) != stored_hash_count(len(leaves)):
            self.violate(f"ledger_hashes holds {len(stored)} hashes for {len(leaves)} records "
                         f"(expected {stored_hash_count(len(leaves))})")
        else:
            for i, leaf in enumerate(leaves):
                if stored[stored_hash_index(0, i)] != leaf:
                    self.violate(f"log leaf {i} is not the hash of record {i}")
                    break
        # The saved checkpoint: one the log extends.
        saved = os.path.join(self.farm.data, "log", "checkpoint")
        if os.path.exists(saved):
            lines = open(saved).read().split("\n")
            size, root = int(lines[1]), base64.b64decode(lines[2])
            if size > len(leaves) or tree_root(leaves[:size]) != root:
                self.violate(f"saved checkpoint of size {size} is not a prefix of the log ({len(leaves)} records)")
        # Acknowledged writes survive; scans never ahead of the lookups served.
        ids = {row[1].hex() for row in rows}
        lost = self.acknowledged - ids
        if lost:
            self.violate(f"{len(lost)} records answered 201 are not stored")
        if self.served_lookups < scanned <= self.served_lookups + self.cut_lookups:
            self.observations.append("a lookup counted by the server whose answer the kill cut before the client read it")
        if scanned > self.served_lookups + self.cut_lookups:
            self.violate(f"{scanned} scans stored for {self.served_lookups} lookups served "
                         f"and {self.cut_lookups} cut by a kill")
        return tree_root(leaves), len(leaves), scanned

    def restart_checks(self, root, size):
        """A fresh process on the store: a checkpoint over the whole log with our root,
        and every chain verified by `yima chain --verify` on one of its codes."""
        result = self.farm.run("log", "checkpoint", check=False)
        if result.returncode != 0:
            self.violate(f"yima log checkpoint after the restart: exit {result.returncode}: {result.stderr.strip()[:200]}")
            return
        lines = result.stdout.split("\n")
        if int(lines[1]) != size or base64.b64decode(lines[2]) != root:
            self.violate(f"checkpoint says {lines[1]} {lines[2]}, the records give {size} {base64.b64encode(root).decode()}")
        code = "http://x" + self.rng.choice(self.scan_paths)
        chain = self.farm.run("chain", code, "--verify", check=False)
        if chain.returncode != 0:
            self.violate(f"yima chain --verify: exit {chain.returncode}: {chain.stderr.strip()[:200]}")

    # -- the campaign ----------------------------------------------------------------

    def point(self, operation, delay):
        if operation == "issue":
            return self.issue(delay)
        if operation == "import":
            return self.csv_import(delay)
        if operation == "append":
            return self.append(delay)
        if operation == "checkpoint":
            return self.checkpoint(delay)
        if operation == "post":
            return self.serve(delay, writers=1, readers=1)
        return self.serve(delay, writers=0, readers=4)

    def calibrate(self):
        """One unkilled run of each process-bounded operation, at its largest size, to
        spread kills over its life."""
        self.calibrating = True
        for operation in ("issue", "import", "append", "checkpoint"):
            started = time.time()
            self.point(operation, 600)
            self.durations[operation] = time.time() - started
        self.calibrating = False
        self.durations["post"] = self.durations["scan"] = 3.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("yima")
    parser.add_argument("--points", type=int, default=100)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", help="keep the data folder here")
    parser.add_argument("--quick", action="store_true", help="smaller issuances and imports (make test)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    work = args.keep or tempfile.mkdtemp(prefix="yima-crash-")
    campaign = Campaign(os.path.abspath(args.yima), work, rng, quick=args.quick)
    started = time.time()
    tried = {operation: 0 for operation in OPERATIONS}
    killed_count = failed_points = 0
    try:
        campaign.setup()
        campaign.calibrate()
        print(f"seed {seed}; uninterrupted durations: " +
              ", ".join(f"{k} {v:.2f}s" for k, v in campaign.durations.items()), flush=True)
        for number in range(1, args.points + 1):
            operation = OPERATIONS[(number - 1) % len(OPERATIONS)]
            delay = rng.uniform(0.01, 1.1 * campaign.durations[operation])
            before = len(campaign.violations)
            killed, what = campaign.point(operation, delay)
            root, size, scans = campaign.check()
            campaign.restart_checks(root, size)
            tried[operation] += 1
            killed_count += killed
            new = campaign.violations[before:]
            failed_points += bool(new)
            print(f"{number:4d} {operation:10s} kill at {delay:6.3f}s {'killed' if killed else 'ended '} "
                  f"{what}; log {size}, scans stored {scans} for {campaign.served_lookups} served "
                  f"+ {campaign.cut_lookups} cut"
                  + (f"  VIOLATION: {'; '.join(new)}" if new else ""), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\npoints tried: {sum(tried.values())} ({', '.join(f'{k} {v}' for k, v in tried.items())}); "
          f"processes killed mid-run: {killed_count}; violations: {len(campaign.violations)}; "
          f"{time.time() - started:.0f} s")
    for observation in sorted(set(campaign.observations)):
        print(f"observed: {observation}")
    for violation in campaign.violations:
        print(f"VIOLATION: {violation}")
    print(f"crash-campaign: {sum(tried.values()) - failed_points} passed, {failed_points} failed")
    sys.exit(1 if campaign.violations else 0)


if __name__ == "__main__":
    main()
