#!/usr/bin/env bash
# OpenAPI Generator (org.openapitools:openapi-generator-maven-plugin 7.25.0, from Maven Central, cached in
# ~/.m2) makes the typescript-fetch and java clients of docs/openapi.json; both must compile, with the
# small programs that use them (test/contract/generated-clients). Prints the Java classpath file's path.
set -euo pipefail
cd "$(dirname "$0")/../../test/contract/generated-clients"

rm -rf target/typescript-fetch target/typescript-fetch-out target/generated-sources
mkdir -p target
mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >target/maven.log 2>&1 || {
  cat target/maven.log >&2
  exit 1
}
npx tsc -p tsconfig.typescript-fetch.json
echo "$(pwd)/target/classpath.txt"
