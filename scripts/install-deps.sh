# Installs the servers the tests talk to, when they are missing: redis-server (Debian); for
# scripts/bench serve (FI_BENCH=serve) also wrk, its load generator.
# Sourced by scripts/test and the benchmarks; idempotent.
fi_apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} ..." >&2
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
  fi
}
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-benchmark >/dev/null 2>&1; then
  fi_apt_install redis-server redis-tools
fi
if [ "${FI_BENCH:-}" = serve ] && ! command -v wrk >/dev/null 2>&1; then
  fi_apt_install wrk
fi
# kinesalite (npm), the Kinesis-compatible server of the stream tests; testing/Kinesalite.java
# installs it on first use too. Into a cache folder, not the repository.
KINESALITE_HOME="${KINESALITE_HOME:-$HOME/.cache/feature-ingest/kinesalite}"
if command -v npm >/dev/null 2>&1 && [ ! -f "$KINESALITE_HOME/node_modules/kinesalite/index.js" ]; then
  echo "installing kinesalite into $KINESALITE_HOME ..." >&2
  npm install --no-audit --no-fund --prefix "$KINESALITE_HOME" kinesalite@3.3.3 >&2
fi
