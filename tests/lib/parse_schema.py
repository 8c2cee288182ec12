#!/usr/bin/env python3
"""Validates parsed answers against schema/parsed.schema.json.

    python3 tests/lib/parse_schema.py SCHEMA FILE...

Each FILE holds one parsed answer (JSON).  Prints one line per problem,
"FILE: path: message", and exits 1 if there is any (2 if the schema
itself is not a valid JSON Schema).  Uses Debian's python3-jsonschema.
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as e:
        print(f"{sys.argv[1]}: {e.message}")
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for name in sys.argv[2:]:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
        for err in validator.iter_errors(doc):
            where = "/".join(str(p) for p in err.absolute_path) or "/"
            print(f"{name}: {where}: {err.message[:300]}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
