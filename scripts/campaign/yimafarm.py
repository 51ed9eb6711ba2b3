"""A real data folder driven through the real `yima` binary, for the crash and load
campaigns (scripts/crash-campaign.py, scripts/load-test.py): seeding with the command
line, event envelopes signed by the openssl command line (docs/envelope.md §2: an
independent signer), and the store read back with SQLite itself."""
import base64
import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request

GTIN = "06920000000012"


def canonical(value):
    """RFC 8785 for what these scripts sign: objects, strings and integers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Farm:
    """A data folder with one cooperative, one product and `lots` batches."""

    def __init__(self, yima, work, lots=("CRASH-1",)):
        self.yima = yima
        self.work = work
        self.data = os.path.join(work, "data")
        self.env = dict(os.environ, YIMA_DATA=self.data, YIMA_LANG="en", TZ="Asia/Shanghai")
        self.key = os.path.join(work, "coop.key")
        self.lots = list(lots)

    def run(self, *args, check=True, **kw):
        result = subprocess.run([self.yima, *args], env=self.env, capture_output=True, text=True, **kw)
        if check and result.returncode != 0:
            raise RuntimeError(f"yima {' '.join(args)}: exit {result.returncode}: {result.stderr.strip()}")
        return result

    def write(self, name, value):
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        return path

    def seed(self):
        os.makedirs(self.work, exist_ok=True)
        self.run("init", "--demo-authority")
        self.run("keys", "generate", "--out", os.path.join(self.work, "coop"))
        party = {"id": "crash-coop", "name": "崩溃测试合作社", "roles": ["cooperative", "producer"],
                 "credit_code": "91350100M000100Y43", "address": "陕西省西安市周至县", "public_keys": ["coop.pub"]}
        self.run("party", "add", "--authority-key", os.path.join(self.data, "authority", "authority.key"),
                 "--file", self.write("party.json", party))
        product = {"gtin": GTIN, "name": "猕猴桃", "variety": "徐香", "category": "fruit", "certificates": []}
        self.run("product", "add", "--key", self.key, "--file", self.write("product.json", product))
        for lot in self.lots:
            batch = {"gtin": GTIN, "lot": lot, "season": "2026", "quantity": {"value": "12000", "unit": "KGM"},
                     "origin": {"division": "610124103201", "place": "周一村 3 号地块", "lat": "34.0812", "lon": "108.3305"}}
            self.run("batch", "create", "--key", self.key, "--file", self.write(f"batch-{lot}.json", batch))
        spki = subprocess.run(["openssl", "pkey", "-in", self.key, "-pubout", "-outform", "DER"],
                              capture_output=True, check=True).stdout
        self.kid = hashlib.sha256(spki).hexdigest()[:16]

    # -- the store, read with SQLite itself ------------------------------------------

    def db(self):
        return sqlite3.connect(os.path.join(self.data, "yima.sqlite"), timeout=30)

    def head(self, lot):
        with self.db() as db:
            row = db.execute("SELECT head_id, head_time FROM batches WHERE key = ?", (f"{GTIN}/{lot}",)).fetchone()
        return row[0].hex(), row[1]

    # -- signing, as a third party would ---------------------------------------------

    def signed_event(self, lot, prev, when, note):
        payload = canonical({"actor": "crash-coop", "batch": {"gtin": GTIN, "lot": lot}, "kind": "event",
                             "data": {"activity": "irrigation", "note": note}, "prev": prev, "time": when,
                             "type": "care", "v": 1})
        # openssl 3.0 signs Ed25519 in one shot only from a file (it needs the length first).
        with tempfile.NamedTemporaryFile(dir=self.work) as message:
            message.write(b"yima-record/1\n" + payload)
            message.flush()
            signature = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", self.key, "-in", message.name],
                                       capture_output=True, check=True).stdout
        envelope = canonical({"alg": "ed25519", "kid": self.kid, "payload": b64url(payload),
                              "sig": b64url(signature), "v": 1})
        return envelope, hashlib.sha256(payload).hexdigest()


class Server:
    """`yima serve` on a loopback port, started and stopped (or killed) by the campaign."""

    def __init__(self, farm, port, *extra):
        self.farm, self.port = farm, port
        self.log = open(os.path.join(farm.work, f"serve-{port}.log"), "ab")
        self.process = subprocess.Popen([farm.yima, "serve", "--host", "127.0.0.1", "--port", str(port),
                                         "--log-level", "error", *extra],
                                        env=farm.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"yima serve exited with {self.process.returncode}")
                time.sleep(0.1)
        raise RuntimeError("yima serve did not answer /healthz within 60 s")

    def stop(self, sig):
        self.process.send_signal(sig)
        self.process.wait(timeout=60)
        self.log.close()
        return self.process.returncode


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
