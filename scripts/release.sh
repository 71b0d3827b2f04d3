#!/usr/bin/env bash
# Builds the release binary users download: statically linked (the Swift runtime, and libxml2 with what it
# needs: ICU, liblzma, zlib, libstdc++), stripped, named by version and platform, with a SHA-256 file:
#   dist/promkit-VERSION-OS-ARCH and dist/promkit-VERSION-OS-ARCH.sha256
# Then checks it needs nothing but the C library family (ldd) and runs from an empty directory with PATH reset.
# Needs Debian's libxml2-dev (its static archives) and the toolchain; takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*static let current = "\(.*\)".*/\1/p' Sources/PromKit/Report/Report.swift)
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
name="promkit-$version-$os-$arch"
scratch=.build-release-static
libs="$PWD/$scratch/static-libs"
mkdir -p "$libs/pkgconfig" dist

# SwiftPM links libxml2 through pkg-config (-L/usr/lib/... -lxml2 picks the shared library). A directory of
# its own holding only the static archives, named by a pkg-config file of its own, makes every -l there
# resolve to an archive.
multiarch=$(gcc -print-multiarch)
for lib in libxml2 libicuuc libicudata liblzma libz; do
  ln -sf "/usr/lib/$multiarch/$lib.a" "$libs/$lib.a"
done
ln -sf "$(gcc -print-file-name=libstdc++.a)" "$libs/libstdc++.a"
cat > "$libs/pkgconfig/libxml-2.0.pc" <<PC
Name: libXML
Version: static
Description: libxml2 linked statically for the release binary
Libs: -L$libs -lxml2 -licuuc -licudata -llzma -lz -lstdc++ -lm
Cflags: -I/usr/include/libxml2
PC
rm -f "$scratch/release/promkit"
PKG_CONFIG_PATH="$libs/pkgconfig" swift build -c release --product promkit --scratch-path "$scratch"
cp "$scratch/release/promkit" "dist/$name"
strip "dist/$name"
(cd dist && sha256sum "$name" > "$name.sha256")

# Only the C library family may be loaded at run time.
extra=$(ldd "dist/$name" | awk '{print $1}' | grep -vE '^(linux-vdso|/lib64/ld-linux|ld-linux|libc|libm|libgcc_s|libpthread|libdl|librt)[.-]' || true)
if [ -n "$extra" ]; then
  echo "release: dist/$name needs shared libraries beyond the C library: $extra" >&2
  exit 1
fi
# It runs from an empty directory, with no PATH and no environment.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
cp "dist/$name" "$empty/promkit"
printf '# HELP up Up.\n# TYPE up gauge\nup 1\n' > "$empty/up.prom"
(cd "$empty" && env -i PATH=/nonexistent ./promkit --version && env -i PATH=/nonexistent ./promkit lint up.prom --reporter junit:up.xml && test -s up.xml)
echo "release: dist/$name ($(du -h "dist/$name" | cut -f1)), $(cut -d' ' -f1 "dist/$name.sha256")"
