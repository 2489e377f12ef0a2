// Validates the JSON document on stdin against a JSON Schema (draft-04 to
// draft-07), e.g. `berth audit --format sarif` against SARIF 2.1.0's schema:
//   NODE_PATH=<dir>/node_modules node validate_json.js SCHEMA.json < doc.json
// Exits 0 when valid, 1 with every violation on stderr. The validator (ajv)
// comes from the npm registry, installed by scripts/setup.sh.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const doc = JSON.parse(fs.readFileSync(0, 'utf8'));
const ajv = new Ajv({schemaId: 'auto', allErrors: true, format: 'full'});
ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
if (ajv.validate(schema, doc)) process.exit(0);
for (const e of ajv.errors) console.error(`${e.dataPath || '(document)'}: ${e.message} ${JSON.stringify(e.params)}`);
process.exit(1);
