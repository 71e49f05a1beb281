#!/usr/bin/env bash
# Installs Swagger UI's files for `intent serve`'s /docs page into DIR (default .build/swagger-ui, where
# `intent serve` looks by default; or pass --docs-assets DIR): swagger-ui-bundle.js, swagger-ui.css and
# Swagger UI's licence (Apache-2.0), taken from a pinned PyPI package that ships swagger-ui-dist
# (drf-spectacular-sidecar), checked against its SHA-256. Needs pip and PyPI (or a wheel in
# PIP_FIND_LINKS) once; the server then never loads anything from the network.
# Usage: scripts/install-swagger-ui.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-.build/swagger-ui}
package="drf-spectacular-sidecar==2026.10.1"
sha256="fe1d005d8ac9b5d0472f2fe5deeb2e7d6dcffaa24118044f22578b4b8c4b31f2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary :all: --dest "$work" "$package"
wheel=$(ls "$work"/*.whl)
echo "$sha256  $wheel" | sha256sum --check --quiet || { echo "install-swagger-ui: $wheel does not match the pinned SHA-256" >&2; exit 1; }
python3 - "$wheel" "$work/out" <<'PY'
import sys, zipfile, os
wheel, out = sys.argv[1], sys.argv[2]
prefix = "drf_spectacular_sidecar/static/drf_spectacular_sidecar/swagger-ui-dist/"
os.makedirs(out)
with zipfile.ZipFile(wheel) as z:
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"):
        with open(os.path.join(out, name), "wb") as f:
            f.write(z.read(prefix + name))
PY
mkdir -p "$(dirname "$target")"
rm -rf "$target.new" && mv "$work/out" "$target.new"
rm -rf "$target" && mv "$target.new" "$target"
echo "Swagger UI installed in $target ($(du -sh "$target" | cut -f1))"
