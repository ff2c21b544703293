#!/usr/bin/env bash
# Regenerates tests/testdata/signed-v1/ (not run by ctest; run it by hand and
# commit the result): the real binaries of the fuzz seed corpora (ELF
# x86_64, aarch64, i386, powerpc, powerpc64; PE32+ and PE32; Mach-O arm64,
# x86_64, ad-hoc signed x86_64 and universal) stamped and signed with the
# test keys in this folder, once with Ed25519 and once with ECDSA P-256.
# cli.signed_regression verifies them with every later tool: a change of
# the image digest or of the record format that old stamps would not
# survive fails there.
#   tests/testdata/make_signed_set.sh build/tool/buildinfo
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
buildinfo=${1:-$root/build/tool/buildinfo}
[ -x "$buildinfo" ] || { echo "usage: $0 PATH/TO/buildinfo" >&2; exit 2; }
out=$here/signed-v1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Test keys, published with the set: they sign nothing but these files.
for alg in ed25519 ecdsa-p256; do
  [ -f "$out/$alg.key" ] || "$buildinfo" keygen --out "$out/$alg" --alg "$alg" > /dev/null
done

git -C "$work" init -q -b main repo
GIT_COMMITTER_DATE="2026-01-02T03:04:05Z" GIT_AUTHOR_DATE="2026-01-02T03:04:05Z" \
  git -C "$work/repo" -c user.name=regression -c user.email=regression@example.invalid commit -q --allow-empty -m set
export SOURCE_DATE_EPOCH=1767323045

corpus=$root/tests/fuzz/corpus
for seed in elf_fuzz/x86_64 elf_fuzz/aarch64 elf_fuzz/i386 elf_fuzz/powerpc elf_fuzz/powerpc64 \
    pe_fuzz/x86_64.exe pe_fuzz/i686.exe macho_fuzz/arm64 macho_fuzz/x86_64 macho_fuzz/x86_64-signed \
    macho_fuzz/universal; do
  name="${seed%%_fuzz/*}-$(basename "$seed")"  # elf-x86_64, macho-x86_64, ...
  for alg in ed25519 ecdsa-p256; do
    cp "$corpus/$seed" "$out/$name.$alg"
    "$buildinfo" stamp "$out/$name.$alg" --key "$out/$alg.key" --source-dir "$work/repo" \
      --project-name regression --project-version 1.0 --builder-id regression@example.invalid \
      --compiler-id GNU --compiler-version 12.2.0 -q
  done
done
echo "make_signed_set: $(ls "$out" | grep -vc '\.\(key\|pub\)$') files in $out"
