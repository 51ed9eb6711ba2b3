#!/usr/bin/env python3
"""Writes the seed corpora (Fuzz/corpus/<target>/) from the published test vectors
(docs/test-vectors) and the shapes the tests use. Run from the repository root:
    python3 Fuzz/make-seeds.py
Deterministic: the same vectors give the same files (named by content hash)."""
import base64, hashlib, json, os, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VECTORS = os.path.join(ROOT, "docs", "test-vectors")
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")


def read(path, mode="r"):
    with open(os.path.join(VECTORS, path), mode) as f:
        return f.read()


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def write(target, seeds):
    folder = os.path.join(CORPUS, target)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for seed in seeds:
        data = seed.encode() if isinstance(seed, str) else seed
        with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
            f.write(data)


spellings = json.loads(read("code-v1/spellings.json"))["cases"]
codes = [read(f"code-v1/{alg}.code.txt").strip() for alg in ("ed25519", "p256", "sm2")]
write("code", codes + [case["input"] for case in spellings])

links = [case["input"] for case in spellings] + [
    "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ?17=271231",
    "https://example.com/01/9506000134352?3103=000195",
    "https://example.com/gtin/09506000134352/lot/ABC%2F1/ser/12",
    "https://example.com/00/106141412345678908",
    "https://example.com/414/9520123456788/254/32a%2Fb",
    "https://example.com/8004/0950600013430000001",
    "https://example.com/01/09506000134352/22/2A?linkType=gs1:pip",
]
write("digital-link", links)

payloads = json.loads(read("envelope-v1/payloads.json"))["cases"]
records = json.loads(read("records-v1/records.json"))
record_payloads = [case["payload"] for case in records["valid"]] + [
    case["payload"] for case in records.get("invalid", []) if "payload" in case]
write("canonical-json", [bytes.fromhex(case["payload_hex"]) for case in payloads] + record_payloads[:12])
write("record", record_payloads)

bundle = read("bundle-v1/unit.bundle", "rb")
bundle_json = json.loads(bundle)
trust_list = read("trust-list-v1/trust-list.json", "rb").strip()
envelopes = [json.dumps(item["envelope"], separators=(",", ":"), sort_keys=True, ensure_ascii=False)
             for item in bundle_json["records"]]
trust_payload = json.loads(b64url(json.loads(trust_list)["payload"]))
envelopes += [json.dumps(e, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
              for e in trust_payload["registry"][:3] + trust_payload["recalls"][:2]]
write("envelope", envelopes + [trust_list])
write("record", record_payloads + [b64url(json.loads(e)["payload"]) for e in envelopes])

checkpoint = bundle_json["checkpoint"]
body, _, signatures = checkpoint.partition("\n\n")
write("signed-note", [
    checkpoint,
    body + "\n",
    checkpoint + signatures,
    checkpoint.replace("\n\n", "\nextension line\n\n", 1),
    "yima/data\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— yima/data AAAAAAAAAAAA\n",
])

trimmed = dict(bundle_json, records=bundle_json["records"][:2])
write("bundle", [bundle, bundle.replace(b'"log_key"', b'"log_key_"', 1),
                 json.dumps(trimmed, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()])
write("trust-list", [trust_list, trust_list + b"\n", trust_list.replace(b'"alg":"ed25519"', b'"alg":"p256"', 1)])

header = "type,gtin,lot,time,data.activity,data.note"
gtin, lot = "06901234567892", "2026-KIWI-07"
write("csv-import", [
    f"{header}\ncare,{gtin},{lot},2026-10-01T08:00:00+08:00,irrigation,\"滴灌 2 小时，\"\"夜间\"\"补水\"\n",
    f"{header}\ncare,{gtin},{lot},2026-10-02T08:00:00+08:00,pruning,夏季修剪\ncare,{gtin},{lot},2026-10-03T08:00:00+08:00,浇花,bad\n",
    "\ufefftype,gtin,lot,time,data.dose:json,data.safety_interval_days:int,data.pass:bool\r\n"
    f"input_application,{gtin},{lot},2026-10-04T08:00:00+08:00,\"{{\"\"unit\"\":\"\"克/亩\"\",\"\"value\"\":\"\"20\"\"}}\",14,true\r\n",
    "type,gtin,lot\ncare,1,2\n",
    f"{header}\ncare,{gtin},{lot},2099-01-01T00:00:00Z,weeding,future\n",
])

code_path = "{CODE}"
write("http", [
    f"GET {code_path} HTTP/1.1\r\nHost: trace.example.cn\r\nAccept: application/json\r\n\r\n",
    f"GET {code_path} HTTP/1.1\r\nHost: trace.example.cn\r\nAccept: text/html\r\nAccept-Language: en\r\n\r\n",
    f"HEAD {code_path}&lang=en HTTP/1.1\r\nHost: x\r\nAccept: application/linkset+json\r\n\r\n",
    f"GET /01/{gtin}/10/{lot} HTTP/1.1\r\nHost: x\r\n\r\nGET /01/{gtin} HTTP/1.1\r\nHost: x\r\n\r\n",
    f"GET /01/{gtin}/10/{lot}/21/ABCDEFGHJKMN HTTP/1.1\r\nHost: x\r\n\r\n",
    f"GET /01/{gtin}/10/{lot}?format=qr HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /c?code=ABCD-EFGH-JKMN HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /00/106141412345678908 HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /.well-known/gs1resolver HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /checkpoint HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /tile/0/000 HTTP/1.1\r\nHost: x\r\n\r\nGET /tile/entries/000.p/5 HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    "OPTIONS /01/x HTTP/1.1\r\nHost: x\r\nOrigin: https://a.example\r\nAccess-Control-Request-Method: GET\r\n\r\n",
    "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
    "POST /api/v1/records HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n0\r\n\r\n",
    f"POST {{UNIT}}/verify-pin HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{{\"pin\":\"1234\"}}",
    "GET /api/v1/report HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    "GET /%ZZ/%00 HTTP/1.0\r\n\r\n",
])
