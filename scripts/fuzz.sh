#!/usr/bin/env bash
# Coverage-guided fuzzing of the decoders of outside bytes (libFuzzer + AddressSanitizer +
# LeakSanitizer), from the FuzzTesting/ package.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]   one target, e.g. FuzzCBOR 600
#   scripts/fuzz.sh all SECONDS                           every target, one after the other
#
# Builds the fuzz package once (release, -sanitize=fuzzer,address), replays the target's
# regression fixtures (FuzzTesting/FailCases/TARGET/), then fuzzes for SECONDS from a corpus
# made of the committed seeds (FuzzTesting/Corpus/TARGET/) and of seeds cut from Fixtures/.
# The working corpus is kept in FuzzTesting/.build/corpus/TARGET/ between runs. Fails (exit 1)
# on a crash, a leak, an out-of-memory, a hang (-timeout, 10 s of wall-clock time) or a unit over
# 100 ms of CPU time (the targets' own check, which another process's load does not trip): the
# input is saved as FuzzTesting/.build/findings/TARGET/crash-…
# — minimise it (`-minimize_crash=1`), fix the class of bug, and commit it to FailCases/TARGET/.
# Run long campaigns with `nice -n 10`; FUZZ_JOBS=N runs N workers (default 1).
# Needs only the Swift toolchain (it ships libFuzzer and the sanitizer runtimes) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
fuzz="$root/FuzzTesting"
targets=(FuzzCBOR FuzzAttestationObject FuzzClientData FuzzCTAPHID FuzzOTPAuthURI FuzzMDSBLOB FuzzHTTPInput)

usage() {
  echo "usage: scripts/fuzz.sh TARGET|all SECONDS [libFuzzer options…]; targets: ${targets[*]}" >&2
  exit 64
}
[ $# -ge 2 ] || usage
target=$1 seconds=$2
shift 2
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
if [ "$target" = all ]; then
  selected=("${targets[@]}")
elif [[ " ${targets[*]} " == *" $target "* ]]; then
  selected=("$target")
else
  usage
fi

# libFuzzer ships with the Swift toolchain (clang_rt.fuzzer); it needs libstdc++, which Swift's
# own dependencies bring.
# FUZZ_CONFIGURATION=debug builds faster and runs slower (scripts/test.sh's short run uses it).
configuration=${FUZZ_CONFIGURATION:-release}
echo "== building the fuzz targets ($configuration, fuzzer + address sanitizer)"
mkdir -p "$fuzz/.build"
if ! (cd "$fuzz" && swift build -c "$configuration" -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library) \
  >"$fuzz/.build/fuzz-build.log" 2>&1; then
  grep -E "error:" "$fuzz/.build/fuzz-build.log" | head -20 >&2 || tail -20 "$fuzz/.build/fuzz-build.log" >&2
  echo "error: the fuzz targets do not build (FuzzTesting/.build/fuzz-build.log)" >&2
  exit 1
fi
grep -E "^Build complete" "$fuzz/.build/fuzz-build.log" || true
bin="$fuzz/.build/$configuration"
# Leaks fail the run (bar one-time global initialisers, see the file); Swift's own backtracer
# stays out of AddressSanitizer's way.
export ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS="suppressions=$fuzz/lsan.supp" SWIFT_BACKTRACE=enable=no
for name in "${selected[@]}"; do
  [ -x "$bin/$name" ] || { echo "error: $name did not build" >&2; exit 1; }
done

# Seeds cut from Fixtures/ (not committed twice): CBOR vectors, attestation objects (rpIdHash set
# to localhost's, the RP FuzzAttestationObject verifies for), authenticator data, client data and
# whole response documents, libfido2's recorded CTAPHID reports.
make_seeds() {
  python3 - "$root" "$fuzz/.build/seeds" <<'PY'
import base64, glob, hashlib, json, os, sys
root, out = sys.argv[1], sys.argv[2]
def b64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
def put(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)
for index, line in enumerate(open(os.path.join(root, "Fixtures/cbor/rfc8949-appendix-a.tsv"))):
    if line.startswith("#") or not line.strip():
        continue
    put("FuzzCBOR", "rfc8949-%03d" % index, bytes.fromhex(line.split("\t")[0]))
localhost = hashlib.sha256(b"localhost").digest()
for path in sorted(glob.glob(os.path.join(root, "Fixtures/webauthn/peers/*/*.json"))):
    case = json.load(open(path))
    name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)[:-5]
    response = case.get("response", {})
    inner = response.get("response", {})
    put("FuzzClientData", name + "-response", json.dumps(response).encode())
    if "clientDataJSON" in inner:
        put("FuzzClientData", name + "-clientdata", b64(inner["clientDataJSON"]))
    if "attestationObject" in inner:
        raw = b64(inner["attestationObject"])
        put("FuzzCBOR", name, raw)
        rp_ids = case["rpId"] if isinstance(case["rpId"], list) else [case["rpId"]]
        for rp_id in rp_ids:
            raw = raw.replace(hashlib.sha256(rp_id.encode()).digest(), localhost)
        put("FuzzAttestationObject", name, raw)
    if "authenticatorData" in inner:
        put("FuzzAttestationObject", name + "-authdata", b64(inner["authenticatorData"]))
for path in sorted(glob.glob(os.path.join(root, "Fixtures/ctaphid/libfido2-wiredata/*.hex"))):
    text = open(path).read()
    name = os.path.basename(path)[:-4]
    put("FuzzCTAPHID", name + "-text", text.encode())
    reports = bytes.fromhex("".join(line.strip() for line in text.splitlines() if line.strip()))
    put("FuzzCTAPHID", name + "-packets", reports)
    if len(reports) >= 64 and reports[4] == 0x90:  # a CTAPHID CBOR reply: status, then CBOR
        put("FuzzCBOR", name, reports[8:64])
PY
}

status=0
for name in "${selected[@]}"; do
  echo "== $name: ${seconds}s"
  corpus="$fuzz/.build/corpus/$name"
  findings="$fuzz/.build/findings/$name"
  mkdir -p "$corpus" "$findings"
  [ -d "$fuzz/.build/seeds" ] || make_seeds
  seeds=("$fuzz/.build/seeds/$name" "$fuzz/Corpus/$name")
  cases=("$fuzz/FailCases/$name"/*)
  log="$findings/last-run.log"
  # The regression fixtures first: each must run clean.
  if [ -e "${cases[0]}" ]; then
    if ! "$bin/$name" -rss_limit_mb=2048 -timeout=10 "${cases[@]}" >"$log" 2>&1; then
      tail -40 "$log" >&2
      echo "error: $name fails on a regression fixture in FuzzTesting/FailCases/$name" >&2
      status=1
      continue
    fi
    echo "   ${#cases[@]} regression fixtures pass"
  fi
  existing=()
  for directory in "${seeds[@]}"; do [ -d "$directory" ] && existing+=("$directory"); done
  if "$bin/$name" "$corpus" "${existing[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$findings/" ${FUZZ_JOBS:+-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS} \
    "$@" >"$log" 2>&1; then
    runs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{s += $2} END {print s + 0}')
    speed=$(grep -E "^stat::average_exec_per_sec" "$log" | awk '{s += $2} END {print s + 0}')
    coverage=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1)
    echo "   $runs runs, $speed exec/s, $coverage, corpus $(find "$corpus" -type f | wc -l) files"
  else
    grep -E "ERROR:|SUMMARY:|Fatal error|slow unit|Test unit written|Slowest unit" "$log" | head -20 >&2 || true
    echo "error: $name found a failure (full log: $log)" >&2
    status=1
  fi
done
exit $status
