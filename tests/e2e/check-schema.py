"""Validates results files against a JSON Schema: check-schema.py SCHEMA FILE..."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path))[:10]:
        where = "/".join(str(p) for p in err.absolute_path) or "(top)"
        print(f"{path}: {where}: {err.message}", file=sys.stderr)
        bad = 1
sys.exit(bad)
