#!/usr/bin/env python3
"""Validates Yima record payloads against docs/schemas/*.schema.json (JSON Schema
draft 2020-12) with the jsonschema package (pinned in scripts/requirements-test.txt).

Reads a JSON array of payload texts on stdin; writes a JSON array with, for each,
null if it is valid against the schema its "kind" names, or the first error.
Usage: python3 scripts/validate-records.py < payloads.json
"""
import json, pathlib, sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

folder = pathlib.Path(__file__).resolve().parent.parent / "docs" / "schemas"
schemas = {path.name.removesuffix(".schema.json"): json.loads(path.read_text(encoding="utf-8"))
           for path in folder.glob("*.schema.json")}
registry = Registry().with_resources(
    (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values())
validators = {}
for kind, schema in schemas.items():
    Draft202012Validator.check_schema(schema)
    validators[kind] = Draft202012Validator(schema, registry=registry)


def check(text):
    record = json.loads(text)
    kind = record.get("kind") if isinstance(record, dict) else None
    if kind not in validators or kind == "common":
        return "no schema for kind %r" % (kind,)
    error = next(iter(sorted(validators[kind].iter_errors(record), key=lambda e: list(e.absolute_path))), None)
    return None if error is None else "%s: %s" % ("/".join(map(str, error.absolute_path)) or "(record)", error.message)


json.dump([check(text) for text in json.load(sys.stdin)], sys.stdout, ensure_ascii=False)
