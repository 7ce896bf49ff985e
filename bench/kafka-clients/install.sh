#!/usr/bin/env bash
# Installs the clients `npm run bench:kafka-clients` compares with kafkajs into .bench/kafka-clients. They
# are not dependencies of longhaul (see docs/decisions/0016-kafka-client.md).
#
#   @platformatic/kafka             pure JavaScript. 1.x runs on Node ≥ 20.19.4; 2.x needs Node ≥ 22.22.
#   @confluentinc/kafka-javascript  a native addon on librdkafka. Its install fetches a prebuilt binary from
#                                   github.com and otherwise builds its bundled librdkafka, which downloads
#                                   zlib, OpenSSL, zstd and curl sources: neither works without those hosts.
#                                   With LIBRDKAFKA_PREFIX=<dir> this script first builds that bundled
#                                   librdkafka (≥ 2.15; Debian 12's librdkafka-dev 2.0.2 is too old) against
#                                   the system's libssl/zlib/zstd/lz4/sasl headers into <dir>, then links the
#                                   addon to it. Run the bench with LD_LIBRARY_PATH=<dir>/lib.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=.bench/kafka-clients
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund @platformatic/kafka@1.35.0

CONFLUENT=@confluentinc/kafka-javascript@1.10.1
if [ -n "${LIBRDKAFKA_PREFIX:-}" ]; then
  if [ ! -e "$LIBRDKAFKA_PREFIX/lib/librdkafka.so" ]; then
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "$CONFLUENT" >/dev/null && tar xzf ./*.tgz)
    (cd "$work/package/deps/librdkafka" && ./configure --prefix="$LIBRDKAFKA_PREFIX" --disable-curl && make -j2 libs && make -C src install && make -C src-cpp install)
    rm -rf "$work"
  fi
  export PKG_CONFIG_PATH="$LIBRDKAFKA_PREFIX/lib/pkgconfig" LIBRARY_PATH="$LIBRDKAFKA_PREFIX/lib" BUILD_LIBRDKAFKA=0
  export CPATH="$LIBRDKAFKA_PREFIX/include/librdkafka:$LIBRDKAFKA_PREFIX/include"
fi
npm install --prefix "$dir" --no-audit --no-fund "$CONFLUENT" ||
  echo "install.sh: $CONFLUENT is not installed (see above); the bench reports it as not measured" >&2
