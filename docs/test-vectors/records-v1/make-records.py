#!/usr/bin/env python3
"""Writes records.json: record payloads (docs/records.md) a strict decoder accepts,
and payloads it refuses, each refused one a valid record with one change. Every
payload is canonical JSON (envelope.md §1), so a refusal is the record rules' doing.
"valid" also takes every record in the published vectors (bundle-v1, trust-list-v1,
envelope.md). RecordSchemaTests checks Yima's decoder and docs/schemas/ agree on all.
Run: python3 make-records.py > records.json
"""
import base64, copy, json, re

def canonical(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

def payload(b64):
    return base64.urlsafe_b64decode(b64 + "=" * (-len(b64) % 4)).decode("utf-8")

valid = []
bundle = json.load(open("../bundle-v1/unit.bundle", encoding="utf-8"))
for record in bundle["records"]:
    valid.append({"name": "bundle-v1 log index %d" % record["log_index"], "payload": payload(record["envelope"]["payload"])})
trust = json.loads(payload(json.load(open("../trust-list-v1/trust-list.json", encoding="utf-8"))["payload"]))
for index, envelope in enumerate(trust["registry"] + trust["recalls"]):
    valid.append({"name": "trust-list-v1 record %d" % index, "payload": payload(envelope["payload"])})
envelope_doc = open("../../envelope.md", encoding="utf-8").read()
valid.append({"name": "envelope.md vector",
              "payload": re.search(r"<!-- vector: payload -->\n```\n(.*?)\n```", envelope_doc, re.S).group(1)})

records = {json.loads(v["payload"])["kind"] + ":" + json.loads(v["payload"]).get("type", json.loads(v["payload"]).get("action", "")): json.loads(v["payload"]) for v in valid}
party = records["party:"]
batch = records["batch:"]
product = records["product:"]
rotate = records["key:rotate"]
revoke = records["key:revoke"]
event = records["event:input_application"]
RID = "a2ecff25d5d30a045f22075c38581efaff0cd270889bb4f1095e5fabe9038dab"
SSCC = "069012340000000016"

EPCIS_ID = "ni:///sha-256;30f88933cd98e745f1d035356205b69dafb29be40501d3404e7ed45eb42df77e?ver=CBV2.0"

def with_data(type_, data):
    e = copy.deepcopy(event); e["type"] = type_; e["data"] = data; return e

samples = {
    "planting with area": with_data("planting", {"area": {"unit": "HAR", "value": "2.5"}, "method": "移栽"}),
    "planting with nothing": with_data("planting", {}),
    "fertilizer": with_data("input_application", {"amount": {"unit": "KGM", "value": "3000"}, "date": "2026-03-10",
                                                  "input": "fertilizer", "name": "腐熟羊粪", "type": "有机肥"}),
    "care": with_data("care", {"activity": "pest_observation", "note": "见少量蚜虫", "photo_sha256": RID}),
    "harvest": with_data("harvest", {"date": "2026-09-20", "quantity": {"unit": "KGM", "value": "11800"}}),
    "inspection with limit and unit": with_data("inspection", {"items": [
        {"limit": "0.02", "method": "GB 23200.113-2018", "name": "毒死蜱", "pass": True, "result": "未检出", "unit": "mg/kg"},
        {"method": "GB 23200.113-2018", "name": "吡虫啉", "pass": True, "result": "0.01"}],
        "laboratory": "zhouzhi-qc-lab", "pass": True, "report_number": "ZZ2026-0912"}),
    "packing units": with_data("packing", {"sscc": SSCC, "units": ["K3M9Q2ZC7W1A", "K3M9Q2ZC7W1B"]}),
    "packing cartons": with_data("packing", {"cartons": [SSCC], "sscc": "069012340000000023"}),
    "storing": with_data("storing", {"location": "楼观镇冷库 2 号", "temperature": "-1.5"}),
    "shipping cartons": with_data("shipping", {"carrier": "qinling-cold-chain", "from": "zhouzhi-kiwi-coop", "sscc": [SSCC],
                                               "to": "xian-market"}),
    "shipping units": with_data("shipping", {"carrier": "qinling-cold-chain", "from": "zhouzhi-kiwi-coop",
                                             "to": "xian-market", "units": ["K3M9Q2ZC7W1A"]}),
    "receiving": with_data("receiving", {"from": "zhouzhi-kiwi-coop", "units": ["K3M9Q2ZC7W1A"]}),
    "retail selling": with_data("retail_selling", {"location": "西安朱雀市场", "quantity": {"unit": "H87", "value": "12"}}),
    "recall of the whole batch": with_data("recall", {"action": "下架并召回", "reason": "抽检不合格"}),
    "correction": with_data("correction", {"corrects": RID, "reason": "批号录入错误", "replacement": RID}),
    "certificate": with_data("certificate", {"basis": "self_test", "contact": "029-87000000", "number": "ZZ-2026-0001",
                                             "quantity": {"unit": "KGM", "value": "500"}, "sources": [RID]}),
    "external code of the batch": with_data("external_code", {"code": "SC510000-2026-0001", "platform": "四川省农产品质量安全追溯平台"}),
    "external code of a unit": with_data("external_code", {"code": "NC.unit_0001~a", "platform": "国家农产品质量安全追溯管理信息平台",
                                                           "serial": "K3M9Q2ZC7W1A"}),
    "unit issuance with units_root and unit_quantity": with_data("unit_issuance", {
        "count": 20, "kid": "652c9efcee3b780d", "unit_quantity": {"unit": "KGM", "value": "5"}, "units_root": RID}),
    "certificate receipt": with_data("certificate_receipt", {"certificate": RID, "from": "zhouzhi-kiwi-coop",
                                                             "quantity": {"unit": "KGM", "value": "200"}}),
    "party with person_id and window": dict({k: v for k, v in party.items() if k != "credit_code"},
        person_id={"salt": "0123456789abcdef0123456789abcdef", "sha256": RID},
        valid_from="2026-01-01T00:00:00+08:00", valid_until="2027-01-01T00:00:00+08:00"),
    "product with certificate": dict(product, name_en="Zhouzhi kiwifruit", certificates=[
        {"issuer": "农业农村部", "number": "AGI00123", "type": "geographical_indication", "valid_from": "2024-01-01",
         "valid_until": "2028-12-31"}]),
    "revocation with compromise time": dict(revoke, compromised_since="2026-11-20T00:00:00+08:00"),
    "care imported from EPCIS": dict(with_data("care", {"activity": "pruning"}), epcis_event_id=EPCIS_ID),
}
for name, value in samples.items():
    valid.append({"name": name, "payload": canonical(value)})

invalid = []
def refuse(name, value, why):
    invalid.append({"name": name, "payload": canonical(value), "why": why})

def changed(base, path, value):
    out = copy.deepcopy(base); target = out
    for key in path[:-1]: target = target[key]
    if value is DELETE: del target[path[-1]]
    else: target[path[-1]] = value
    return out
DELETE = object()
ship = samples["shipping cartons"]; pack = samples["packing units"]; insp = samples["inspection with limit and unit"]

refuse("shipping sscc as a string", changed(ship, ["data", "sscc"], SSCC), "shipping.sscc is an array of SSCCs")
refuse("packing sscc as an array", changed(pack, ["data", "sscc"], [SSCC]), "packing.sscc is one SSCC")
refuse("inspection limit as a number", changed(insp, ["data", "items", 0, "limit"], 2), "limit is a string")
refuse("inspection limit empty", changed(insp, ["data", "items", 0, "limit"], ""), "text is non-empty")
refuse("inspection without items", changed(insp, ["data", "items"], []), "at least one item")
refuse("shipping with empty units", changed(ship, ["data", "units"], []), "omit an empty list")
refuse("packing with units and cartons", changed(pack, ["data", "cartons"], [SSCC]), "exactly one of units and cartons")
refuse("packing with neither", changed(pack, ["data", "units"], DELETE), "exactly one of units and cartons")
refuse("recall with a unit twice", changed(samples["recall of the whole batch"], ["data", "units"], ["A1", "A1"]), "no repeats")
refuse("certificate with empty sources", changed(samples["certificate"], ["data", "sources"], []), "omit an empty list")
refuse("certificate basis unknown", changed(samples["certificate"], ["data", "basis"], "promise"), "basis enum")
ext = samples["external code of the batch"]
refuse("external code with a slash", changed(ext, ["data", "code"], "SC/0001"), "code characters A-Z a-z 0-9 - . _ ~")
refuse("external code of 65 characters", changed(ext, ["data", "code"], "A" * 65), "code at most 64 characters")
refuse("external code ..", changed(ext, ["data", "code"], ".."), "not . or ..")
refuse("external code empty", changed(ext, ["data", "code"], ""), "code non-empty")
refuse("external code without platform", changed(ext, ["data", "platform"], DELETE), "platform is required")
refuse("external code serial in lower case", changed(ext, ["data", "serial"], "k3m9"), "serial characters")
refuse("unknown member in data", changed(samples["harvest"], ["data", "weather"], "晴"), "no unknown members")
refuse("unknown member at the top", changed(party, ["website"], "https://x.cn"), "no unknown members")
refuse("event without prev", changed(event, ["prev"], DELETE), "prev is required")
refuse("prev of 63 hex digits", changed(event, ["prev"], RID[:63]), "a record id is 64 hex digits")
refuse("prev in upper case", changed(event, ["prev"], RID.upper()), "lowercase hex")
refuse("time in UTC with Z", changed(event, ["time"], "2026-08-20T07:30:00Z"), "numeric offset required")
refuse("date with slashes", changed(samples["harvest"], ["data", "date"], "2026/09/20"), "YYYY-MM-DD")
refuse("unknown event type", changed(event, ["type"], "spraying"), "type enum")
refuse("input neither pesticide nor fertilizer", changed(event, ["data", "input"], "herbicide"), "input enum")
refuse("safety interval of 366 days", changed(event, ["data", "safety_interval_days"], 366), "0 to 365")
refuse("safety interval as a string", changed(event, ["data", "safety_interval_days"], "14"), "an integer")
refuse("registration number shape", changed(event, ["data", "registration_number"], "PD2008"), "PD and 8 digits")
refuse("unit issuance of 0 codes", changed(records["event:unit_issuance"], ["data", "count"], 0), "count is positive")
refuse("photo digest in upper case", changed(samples["care"], ["data", "photo_sha256"], RID.upper()), "lowercase hex")
refuse("care activity unknown", changed(samples["care"], ["data", "activity"], "harvesting"), "activity enum")
refuse("temperature with a trailing zero", changed(samples["storing"], ["data", "temperature"], "1.50"), "one spelling per decimal")
refuse("temperature -0", changed(samples["storing"], ["data", "temperature"], "-0"), "one spelling per decimal")
refuse("quantity negative", changed(samples["harvest"], ["data", "quantity", "value"], "-1"), "not negative")
refuse("quantity of 19 digits", changed(samples["harvest"], ["data", "quantity", "value"], "1234567890.123456789"), "at most 18 digits")
refuse("quantity unit unknown", changed(samples["harvest"], ["data", "quantity", "unit"], "JIN"), "UN/CEFACT codes")
refuse("planting area in kilograms", changed(samples["planting with area"], ["data", "area", "unit"], "KGM"), "MTK or HAR")
refuse("party without roles", changed(party, ["roles"], []), "at least one role")
refuse("party role repeated", changed(party, ["roles"], ["producer", "producer"]), "no repeats")
refuse("party role unknown", changed(party, ["roles"], ["farmer"]), "role enum")
refuse("party with credit code and person id", dict(party, person_id=samples["party with person_id and window"]["person_id"]),
       "exactly one of credit_code and person_id")
refuse("party with neither identifier", changed(party, ["credit_code"], DELETE), "exactly one of credit_code and person_id")
refuse("party name with a trailing space", changed(party, ["name"], party["name"] + " "), "no blanks at either end")
refuse("party id starting with a dot", changed(party, ["id"], ".coop"), "starts alphanumeric")
refuse("party key spki unpadded", changed(party, ["public_keys", 0, "spki"], party["public_keys"][0]["spki"].rstrip("=")), "canonical base64")
refuse("party key alg unknown", changed(party, ["public_keys", 0, "alg"], "rsa"), "alg enum")
refuse("batch lot in lower case", changed(batch, ["lot"], "2026-kiwi-07"), "lot alphabet")
refuse("batch GTIN of 13 digits", changed(batch, ["gtin"], batch["gtin"][1:]), "14 digits")
refuse("batch division of 6 digits", changed(batch, ["origin", "division"], "610124"), "12 digits")
refuse("batch division with no such province", changed(batch, ["origin", "division"], "990124103201"), "province codes")
refuse("batch season too long", changed(batch, ["season"], "2" * 41), "at most 40 characters")
refuse("product category unknown", changed(product, ["category"], "nut"), "category enum")
refuse("product without certificates", changed(product, ["certificates"], DELETE), "certificates is required")
refuse("rotation without new key", changed(rotate, ["new_key"], DELETE), "a rotation has new_key")
refuse("revocation with a new key", dict(revoke, new_key=rotate["new_key"]), "a revocation has no new_key")
refuse("revocation without reason", changed(revoke, ["reason"], DELETE), "a revocation has a reason")
refuse("revocation reason too long", changed(revoke, ["reason"], "丢" * 501), "at most 500 characters")
refuse("key kid in upper case", changed(rotate, ["kid"], rotate["kid"].upper()), "16 lowercase hex digits")
refuse("unknown kind", changed(product, ["kind"], "farm"), "kind enum")
refuse("EPCIS event id not a CBV 2.0 hash", changed(samples["care imported from EPCIS"], ["epcis_event_id"], "urn:uuid:0d5b5a9c-1f47-4c39-9e29-5d3c0e7b6a11"),
       "ni:///sha-256;<64 hex>?ver=CBV2.0")
refuse("EPCIS event id in upper case", changed(samples["care imported from EPCIS"], ["epcis_event_id"], EPCIS_ID.upper()), "lowercase hex")
refuse("version 2", changed(product, ["v"], 2), "v is 1")
receipt = samples["certificate receipt"]
refuse("certificate receipt without from", changed(receipt, ["data", "from"], DELETE), "from is required")
refuse("certificate receipt of an id in upper case", changed(receipt, ["data", "certificate"], RID.upper()), "record id in lowercase hex")
issuance = samples["unit issuance with units_root and unit_quantity"]
refuse("units_root of 63 digits", changed(issuance, ["data", "units_root"], RID[1:]), "64 lowercase hex digits")
refuse("unit quantity in an unknown unit", changed(issuance, ["data", "unit_quantity", "unit"], "BOX"), "unit enum")

print(json.dumps({"format": "yima-record-vectors/1", "valid": valid, "invalid": invalid}, ensure_ascii=False, indent=1))
