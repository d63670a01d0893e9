#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need when it is missing, so that a
# fresh machine (CI included) needs nothing but this script. Usage: ./test.sh [extra dotnet test args]
set -euo pipefail
cd "$(dirname "$0")"

log() { printf '==> %s\n' "$*" >&2; }

# apt packages some suites start or drive, kept in one place:
#   postgresql, redis-server: the store, server and cluster tests start real servers on loopback;
#   chromium: the browser console's end-to-end tests drive it (Playwright, ExecutablePath /usr/bin/chromium);
#   nginx: the cluster tests' load balancer in front of several server processes;
#   wrk: the load benchmark's smoke run (tests/Tessera.LoadBench.Tests);
#   afl++: the fuzz targets' short AFL++ runs (tests/Tessera.Fuzz.Tests, fuzz/README.md);
#   systemd: systemd-analyze checks deploy/systemd/tessera.service (tests/Tessera.Cluster.Tests/Deploy).
APT_PACKAGES=(postgresql redis-server chromium nginx wrk afl++ systemd)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing apt packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node.js 20+ and npm: tests/Tessera.Provider.Interop.Tests runs stock JavaScript OAuth clients
# (openid-client, oauth4webapi; `npm ci` from its lock file). This machine kind ships Node 20 and
# npm 11; Debian 12's own nodejs is 18, too old for them, so it is not a fallback: say so early.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "WARNING: node or npm is missing: Tessera.Provider.Interop.Tests will fail (they need Node.js 20+ and npm)"
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  log "WARNING: Node.js $(node --version) is older than 20: Tessera.Provider.Interop.Tests will fail"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log "restoring"
dotnet restore Tessera.slnx --verbosity quiet
# Local tools (dotnet-tools.json): sharpfuzz instruments the assemblies the fuzz tests run under AFL++.
dotnet tool restore

results_dir="$(mktemp -d)"
trap 'rm -rf "$results_dir"' EXIT
log "building and running the tests"
set +e
dotnet test Tessera.slnx --no-restore --logger "trx" --results-directory "$results_dir" "$@" 2>&1 | tee "$results_dir/console.log"
status=${PIPESTATUS[0]}
set -e

# One closing line in the plain form CI reads: 'N passed, N failed, N skipped'.
python3 - "$results_dir" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    # VSTest leaves notExecuted at 0 for skipped xunit tests; they are the ones not executed.
    skipped += int(counters.get("total", 0)) - int(counters.get("executed", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
