#!/usr/bin/env bash
# Runs every Go fuzz target (func FuzzXxx(f *testing.F)) of the main module
# for a fixed time each, one `go test -fuzz` invocation per target.
#
#   tools/fuzz.sh [TIME]    TIME as for -fuzztime (default 2s); a bare
#                           number means seconds. `make test` uses 2s,
#                           `make fuzz` 60s.
#
# Seeds live in each package's testdata/fuzz/FuzzXxx/. A failure leaves the
# failing input there too (that is how `go test` reproduces it); commit it
# with the fix. Every target runs even when one fails; the exit status is 1
# when any failed. app/config runs last.
set -uo pipefail
cd "$(dirname "$0")/.."

time=${1:-2s}
[[ $time =~ ^[0-9]+$ ]] && time=${time}s
GO=${GO:-go}

# "dir import/path" of every package of the main module except the
# browser-only ones (wasm/, js && wasm).
mapfile -t pkgs < <($GO list -e -f '{{.Dir}} {{.ImportPath}}' ./... | grep -v ' signup/wasm' | sort -k2,2)
if [[ ${#pkgs[@]} -eq 0 ]]; then
	echo "fuzz: no packages found" >&2
	exit 1
fi

targets=() # "import/path FuzzName"
late=()
for p in "${pkgs[@]}"; do
	dir=${p%% *} path=${p#* }
	while read -r name; do
		[[ -n $name ]] || continue
		if [[ $path == signup/app/config* ]]; then
			late+=("$path $name")
		else
			targets+=("$path $name")
		fi
	done < <(grep -ho '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' "$dir"/*_test.go 2>/dev/null |
		sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/' | sort -u)
done
targets+=("${late[@]}")

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run fuzzes one target and prints "pass", "fail" or "flake". Go's fuzzing
# coordinator (up to Go 1.26; go.dev/issue/75804) can end a run that found
# nothing with a bare "context deadline exceeded" when -fuzztime expires
# while a worker is busy, which a loaded machine makes likely: that is a
# flake. A real finding always prints "Failing input written to" (or the
# test's own message, or a panic).
run() {
	local path=$1 name=$2
	$GO test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -timeout=30m "$path" 2>&1 | tee "$log" >&2
	if [[ ${PIPESTATUS[0]} -eq 0 ]]; then
		echo pass
	elif grep -q 'context deadline exceeded' "$log" &&
		! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:|build failed|cannot find|no Go files' "$log"; then
		echo flake
	else
		echo fail
	fi
}

failed=() flaked=()
for t in "${targets[@]}"; do
	path=${t% *} name=${t#* }
	echo "fuzz: $name ($path) for $time"
	result=$(run "$path" "$name")
	if [[ $result == flake ]]; then
		echo "fuzz: $name stopped with the coordinator's deadline race, nothing found; running it again"
		result=$(run "$path" "$name")
	fi
	case $result in
	fail) failed+=("$name ($path)") ;;
	flake) flaked+=("$name ($path)") ;;
	esac
done

for f in "${flaked[@]}"; do
	echo "fuzz: warning: $f hit the coordinator's deadline race twice; its seeds still pass in go test"
done
echo "fuzz: ${#targets[@]} targets, ${#failed[@]} failed, ${#flaked[@]} flaked"
if [[ ${#failed[@]} -gt 0 ]]; then
	printf 'fuzz: FAILED %s\n' "${failed[@]}" >&2
	exit 1
fi
