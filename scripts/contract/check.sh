#!/usr/bin/env bash
# CI gate of the API contract (part of npm test; needs npm run build first):
# docs/openapi.json and docs/asyncapi.json are what the code describes, the shipped client's types are
# generated from that spec, and Redocly lints the spec with zero errors and zero warnings.
set -euo pipefail
cd "$(dirname "$0")/../.."

node dist/contract/contract-cli.js check

generated="$(mktemp --suffix=.ts)"
trap 'rm -f "$generated"' EXIT
npx openapi-typescript docs/openapi.json --redocly redocly.yaml --default-non-nullable false -o "$generated" >/dev/null 2>&1
if ! cmp -s "$generated" clients/typescript/src/schema.ts; then
  echo "out of date: clients/typescript/src/schema.ts; run npm run client:generate and commit the result" >&2
  exit 1
fi

npx redocly lint docs/openapi.json --config redocly.yaml --format=summary --max-problems=50 2>&1 | grep -v '[║╔╚]'
