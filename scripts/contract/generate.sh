#!/usr/bin/env bash
# npm run client:generate: the contract documents (docs/openapi.json, docs/asyncapi.json) from the code,
# then the shipped TypeScript client's types (clients/typescript/src/schema.ts) from the spec.
set -euo pipefail
cd "$(dirname "$0")/../.."

npm run build --silent
node dist/contract/contract-cli.js write
npx openapi-typescript docs/openapi.json --redocly redocly.yaml --default-non-nullable false -o clients/typescript/src/schema.ts
