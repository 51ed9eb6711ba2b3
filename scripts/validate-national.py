#!/usr/bin/env python3
"""Validates national-format documents (docs/national-format.md) against
docs/schemas/national-document.json (JSON Schema draft 2020-12) with format checking
(date, date-time through rfc3339-validator), with the jsonschema package pinned in
scripts/requirements-test.txt.

Usage: python3 scripts/validate-national.py FILE...
Prints one line per error, "FILE: /json/pointer: message", and exits 1 if any.
An upload request body (docs/upload.md §Request) is checked by its "document".
"""
import json, pathlib, sys

from jsonschema import Draft202012Validator, FormatChecker

schema_path = pathlib.Path(__file__).resolve().parent.parent / "docs" / "schemas" / "national-document.json"
schema = json.loads(schema_path.read_text(encoding="utf-8"))
Draft202012Validator.check_schema(schema)
checker = FormatChecker()
# Format checking must be real: without rfc3339-validator, jsonschema skips date-time silently.
assert not checker.conforms("2026-13-45T99:00:00Z", "date-time"), "rfc3339-validator is not installed"
validator = Draft202012Validator(schema, format_checker=checker)

failed = False
for name in sys.argv[1:]:
    document = json.loads(pathlib.Path(name).read_text(encoding="utf-8"))
    if isinstance(document, dict) and "batch" in document and "document" in document:
        document = document["document"]
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
        failed = True
        print("%s: /%s: %s" % (name, "/".join(map(str, error.absolute_path)), error.message))
sys.exit(1 if failed else 0)
