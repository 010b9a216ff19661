#!/usr/bin/env bash
# Runs govulncheck on the main module (native, and GOOS=js GOARCH=wasm for
# ./wasm/...) against a local copy of the Go vulnerability database, and
# fails on any vulnerability the code reaches.
#
# The database is not fetched from its usual web host (this machine and CI
# reach only the Go module proxy): the module golang.org/x/vulndb carries
# every entry as OSV JSON in data/osv/, and its own command indexdb turns
# that directory into the database layout govulncheck reads with
# -db file:///... Both come from the module proxy, pinned below; the
# database and the tool are cached in .tools/.
#
#   tools/govulncheck.sh                    pinned database
#   VULNDB_VERSION=latest tools/govulncheck.sh   newest database on the proxy
#
# Findings in the standard library are fixed by a newer Go toolchain: a
# `toolchain goX.Y.Z` line in go.mod makes the go command fetch it from
# the proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

GO=${GO:-go}
GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
TOOLS=${TOOLS:-$root/.tools}

# Module commands run outside the main module, so that they never touch
# its go.mod or go.sum.
outside=$(mktemp -d)
trap 'rm -rf "$outside"' EXIT
gomod() { (cd "$outside" && $GO "$@"); }

if [[ $VULNDB_VERSION == latest ]]; then
	VULNDB_VERSION=$(gomod list -m -f '{{.Version}}' golang.org/x/vulndb@latest)
fi

# govulncheck, installed once per version.
bin=$TOOLS/govulncheck/$GOVULNCHECK_VERSION/govulncheck
if [[ ! -x $bin ]]; then
	echo "govulncheck: installing golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
	mkdir -p "$(dirname "$bin")"
	GOBIN=$(dirname "$bin") gomod install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
fi

# The database, built once per golang.org/x/vulndb version.
db=$TOOLS/vulndb/$VULNDB_VERSION
if [[ ! -f $db/index/db.json ]]; then
	echo "govulncheck: building the vulnerability database from golang.org/x/vulndb@$VULNDB_VERSION"
	dir=$(gomod mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
	if [[ -z $dir || ! -d $dir/data/osv ]]; then
		echo "govulncheck: golang.org/x/vulndb@$VULNDB_VERSION has no data/osv directory" >&2
		exit 1
	fi
	gomod run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$dir/data/osv" -out "$outside/db"
	mkdir -p "$(dirname "$db")"
	rm -rf "$db"
	mv "$outside/db" "$db"
fi
entries=$(find "$db/ID" -name '*.json' | wc -l)
if [[ $entries -lt 1000 ]]; then
	echo "govulncheck: the database in $db has only $entries entries" >&2
	exit 1
fi
echo "govulncheck: $entries entries from golang.org/x/vulndb@$VULNDB_VERSION, $($GO env GOVERSION)"

status=0
echo "govulncheck: ./... (native)"
"$bin" -db "file://$db" ./... || status=1
echo "govulncheck: ./wasm/... (GOOS=js GOARCH=wasm)"
GOOS=js GOARCH=wasm "$bin" -db "file://$db" ./wasm/... || status=1
if [[ $status -ne 0 ]]; then
	echo "govulncheck: vulnerabilities found (see above)" >&2
fi
exit $status
