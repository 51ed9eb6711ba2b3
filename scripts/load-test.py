#!/usr/bin/env python3
"""Load campaign (issue 16 §5): DURATION s at CONNECTIONS keep-alive connections of
random-code lookups (scripts/load/yima-load.c, a closed-loop client that counts every
answer exactly) while WRITERS threads post signed events to the write API. Reports
errors and 5xx (goal: zero), p50 and p99, the server's peak RSS, and checks that the
scans stored after a graceful stop equal exactly the lookups the client made.

    scripts/load-test.py YIMA_BIN   (make load)
    env: UNITS=100000 DURATION=60 CONNECTIONS=256 WRITERS=2 SEED_CACHE=DIR
Loopback only; every loop is bounded in count and time."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "campaign"))
from yimafarm import GTIN, Farm, Server, free_port  # noqa: E402



def china_now():
    import datetime
    moment = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) + datetime.timedelta(seconds=1)
    return moment.replace(microsecond=0).isoformat()


def main():
    yima = os.path.abspath(sys.argv[1])
    units = int(os.environ.get("UNITS", "100000"))
    duration = float(os.environ.get("DURATION", "60"))
    connections = int(os.environ.get("CONNECTIONS", "256"))
    writers = int(os.environ.get("WRITERS", "2"))
    repository = os.path.dirname(HERE)
    tool_dir = os.path.join(repository, ".build-load")
    os.makedirs(tool_dir, exist_ok=True)
    tool = os.path.join(tool_dir, "yima-load")
    subprocess.run(["gcc", "-O2", "-Wall", "-o", tool, os.path.join(HERE, "load", "yima-load.c")], check=True)

    work = tempfile.mkdtemp(prefix="yima-load-")
    lots = ["LOAD"] + [f"WRITER-{i}" for i in range(writers)]
    farm = Farm(yima, work, lots)
    cache = os.environ.get("SEED_CACHE")
    try:
        if cache and os.path.exists(os.path.join(cache, "labels", "codes.txt")) and os.path.exists(os.path.join(cache, "coop.key")):
            print(f"== copying the seeded store from {cache}", flush=True)
            for name in ("data", "labels", "coop.key", "coop.pub"):
                source = os.path.join(cache, name)
                (shutil.copytree if os.path.isdir(source) else shutil.copy2)(source, os.path.join(work, name))
            farm.kid = __import__("hashlib").sha256(subprocess.run(
                ["openssl", "pkey", "-in", farm.key, "-pubout", "-outform", "DER"], capture_output=True, check=True).stdout).hexdigest()[:16]
        else:
            print(f"== seeding {units} codes in {work}", flush=True)
            farm.seed()
            farm.run("issue", "--batch", f"{GTIN}/LOAD", "--key", farm.key, "--count", str(units), "--format", "txt",
                     "--out", os.path.join(work, "labels"))
            if cache:
                os.makedirs(cache, exist_ok=True)
                for name in ("data", "labels", "coop.key", "coop.pub"):
                    source = os.path.join(work, name)
                    (shutil.copytree if os.path.isdir(source) else shutil.copy2)(source, os.path.join(cache, name), )
        paths = os.path.join(work, "paths.txt")
        with open(os.path.join(work, "labels", "codes.txt")) as codes, open(paths, "w") as out:
            for line in codes:
                if line.strip():
                    out.write("/" + line.strip().split("://", 1)[1].split("/", 1)[1] + "\n")
        with farm.db() as db:
            scans_before = db.execute("SELECT COALESCE(SUM(count), 0) FROM scans").fetchone()[0]

        port = free_port()
        server = Server(farm, port)
        pid = server.process.pid
        stop = threading.Event()
        tally = {"posted": 0, "stored": 0, "refused_4xx": 0, "status_5xx": 0, "errors": 0}
        lock = threading.Lock()

        def writer(lot):
            prev, _ = farm.head(lot)
            while not stop.is_set():
                envelope, record_id = farm.signed_event(lot, prev, china_now(), "负载测试写入")
                request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/records", data=envelope,
                                                 headers={"Content-Type": "application/json"}, method="POST")
                key = "errors"
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        if answer.status == 201:
                            key, prev = "stored", record_id
                except urllib.error.HTTPError as error:
                    key = "status_5xx" if error.code >= 500 else "refused_4xx"
                except OSError:
                    key = "errors"
                with lock:
                    tally["posted"] += 1
                    tally[key] += 1

        def load_average():
            with open("/proc/loadavg") as f:
                return " ".join(f.read().split()[:3])
        load_before = load_average()
        rss_peak = 0
        threads = [threading.Thread(target=writer, args=(f"WRITER-{i}",)) for i in range(writers)]
        print(f"== {duration:.0f} s at {connections} connections of random-code lookups, {writers} writers posting events",
              flush=True)
        for thread in threads:
            thread.start()
        load = subprocess.Popen([tool, "127.0.0.1", str(port), paths, str(connections), str(duration)],
                                stdout=subprocess.PIPE, text=True)
        while load.poll() is None:
            time.sleep(0.5)
        result = json.loads(load.stdout.read())
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    rss_peak = int(line.split()[1])  # kB
        alive = server.process.poll() is None
        code = server.stop(signal.SIGTERM)
        with farm.db() as db:
            scans_after = db.execute("SELECT COALESCE(SUM(count), 0) FROM scans").fetchone()[0]
        stored_scans = scans_after - scans_before
        lookups = result["status_2xx"]
        errors = (result["errors_connect"] + result["errors_read"] + result["errors_parse"] + result["unfinished"]
                  + result["status_other"] + tally["errors"])
        fivexx = result["status_5xx"] + tally["status_5xx"]
        report = dict(result, units=units, writers=writers, events_posted=tally["posted"], events_stored=tally["stored"],
                      events_refused_4xx=tally["refused_4xx"], errors=errors, status_5xx_all=fivexx,
                      server_peak_rss_mib=round(rss_peak / 1024, 1), server_survived=alive, server_exit=code,
                      scans_stored=stored_scans, lookups_answered_200=lookups,
                      load_average_before=load_before, load_average_after=load_average())
        print(json.dumps(report, indent=1))
        failures = []
        if errors:
            failures.append(f"{errors} errors")
        if fivexx:
            failures.append(f"{fivexx} answers 5xx")
        if result["status_4xx"] or result["status_3xx"]:
            failures.append(f"{result['status_4xx']} 4xx and {result['status_3xx']} 3xx lookups of genuine codes")
        if stored_scans != lookups:
            failures.append(f"{stored_scans} scans stored for {lookups} lookups answered")
        if not alive or code != 0:
            failures.append(f"the server did not stop cleanly (alive {alive}, exit {code})")
        if tally["stored"] == 0 and writers:
            failures.append("no event was stored by the writers")
        print(f"lookups {lookups} at {result['per_second']}/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; "
              f"events stored {tally['stored']} of {tally['posted']}; errors {errors}; 5xx {fivexx}; "
              f"peak RSS {rss_peak / 1024:.0f} MiB; scans stored {stored_scans} = lookups {lookups}: "
              f"{'yes' if stored_scans == lookups else 'NO'}")
        if failures:
            print("FAILED: " + "; ".join(failures))
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
