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

failed=()
for t in "${targets[@]}"; do
	path=${t% *} name=${t#* }
	echo "fuzz: $name ($path) for $time"
	if ! $GO test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -timeout=30m "$path"; then
		failed+=("$name ($path)")
	fi
done

echo "fuzz: ${#targets[@]} targets, ${#failed[@]} failed"
if [[ ${#failed[@]} -gt 0 ]]; then
	printf 'fuzz: FAILED %s\n' "${failed[@]}" >&2
	exit 1
fi
