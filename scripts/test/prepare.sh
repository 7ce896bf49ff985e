#!/usr/bin/env bash
# Everything the test suites need: npm dependencies, a headless Chromium for the dashboard test,
# libfaketime for the chaos suite, ffmpeg/ffprobe for the video transcode tests,
# and the real infrastructure (PostgreSQL, Redis, and Kafka, S3Mock and GreenMail from Maven Central's jars).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[prepare] installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "[prepare] installing Debian's chromium for the dashboard browser test"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
  else
    echo "[prepare] chromium is missing: run 'sudo apt-get install -y chromium' once" >&2
    exit 1
  fi
fi

# The chaos suite skews an API node's clock with libfaketime (LD_PRELOAD).
if ! dpkg -s faketime >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "[prepare] installing Debian's faketime for the chaos suite's clock-skew scenario"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq faketime >/dev/null
  else
    echo "[prepare] faketime is missing: run 'sudo apt-get install -y faketime' once" >&2
    exit 1
  fi
fi

# The video feature runs ffmpeg and ffprobe as child processes.
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    echo "[prepare] installing Debian's ffmpeg for the video transcode tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq ffmpeg >/dev/null
  else
    echo "[prepare] ffmpeg is missing: run 'sudo apt-get install -y ffmpeg' once" >&2
    exit 1
  fi
fi

bash scripts/infra/up.sh
