#!/usr/bin/env bash
# Make sure a Java runtime (11+) is on PATH for owlready2's HermiT and Pellet; install one if not.
set -euo pipefail
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing a Java runtime (default-jre-headless) for the OWL reasoners..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
  exit 0
fi
echo "error: no Java runtime found; install Java 11+ (e.g. apt-get install default-jre-headless)" >&2
exit 1
