#!/usr/bin/env bash
# gocorpus.sh DIR: lay Go's own test corpus ($GOROOT/test) out as a scratch
# module in DIR, one package per file, for robustness runs of leaklint:
#
#	scripts/gocorpus.sh /tmp/gocorpus && cd /tmp/gocorpus && leaklint ./... >out 2>err
#
# Many files are meant not to compile (errorcheck tests); leaklint must
# name them as load errors and analyse the rest, never print an internal
# error. Directories of several files (*.dir) are left out: they are
# multi-package tests.
set -euo pipefail
dst=${1:?usage: gocorpus.sh DIR}
src=$(go env GOROOT)/test
rm -rf "$dst"
mkdir -p "$dst"
printf 'module gocorpus\n\ngo %s\n' "$(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')" >"$dst/go.mod"
n=0
for sub in . chan interface ken syntax typeparam fixedbugs abi codegen stress dwarf; do
	for f in "$src/$sub"/*.go; do
		[ -f "$f" ] || continue
		rel=${f#"$src"/}
		dir=$dst/$(echo "${rel%.go}" | tr '/.-' '___')
		mkdir -p "$dir"
		cp "$f" "$dir/"
		n=$((n + 1))
	done
done
echo "$n files in $dst"
