#!/usr/bin/env bash
# Makes the base images the Dockerfiles start FROM, where nothing can be pulled: Debian bookworm from
# the configured Debian mirror with debootstrap, imported with `docker import`.
#   intentops-local/runtime:bookworm  minbase + libsqlite3-0 and ca-certificates (RUNTIME_IMAGE)
#   intentops-local/swift:bookworm    the runtime + what Swift builds need + this machine's toolchain
#                                     (/opt/swift) and Swift package mirror (/opt/swift-packages, with the
#                                     same git insteadOf), so `swift build` works offline (BUILDER_IMAGE)
# Images that already exist are kept. Needs root, debootstrap and a Docker engine.
set -euo pipefail
docker=${DOCKER:-docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exists() { "$docker" image inspect "$1" >/dev/null 2>&1; }

if ! exists intentops-local/runtime:bookworm; then
  echo "== intentops-local/runtime:bookworm (debootstrap)"
  debootstrap --variant=minbase --include=libsqlite3-0,ca-certificates bookworm "$work/runtime" "$mirror" >"$work/runtime.log" 2>&1 \
    || { tail -20 "$work/runtime.log" >&2; exit 1; }
  # What debian:bookworm-slim leaves out too: documentation, manual pages, translations, caches.
  rm -rf "$work/runtime/var/cache/apt/archives/"*.deb "$work/runtime/var/lib/apt/lists/"* "$work/runtime/var/cache/debconf/"*-old \
    "$work/runtime/usr/share/doc/"* "$work/runtime/usr/share/man/"* "$work/runtime/usr/share/info/"* "$work/runtime/usr/share/locale/"*
  tar -C "$work/runtime" -c . | "$docker" import --change 'CMD ["/bin/bash"]' - intentops-local/runtime:bookworm
  rm -rf "$work/runtime"
fi

if ! exists intentops-local/swift:bookworm; then
  [ -x /opt/swift/usr/bin/swift ] || { echo "no Swift toolchain at /opt/swift" >&2; exit 1; }
  echo "== intentops-local/swift:bookworm (debootstrap + /opt/swift + /opt/swift-packages)"
  packages=libsqlite3-0,libsqlite3-dev,ca-certificates,binutils,libc6-dev,libgcc-12-dev,libstdc++-12-dev,zlib1g-dev
  packages=$packages,libcurl4,libxml2,libncurses6,libedit2,tzdata,git,pkg-config,libuuid1,uuid-dev
  debootstrap --variant=minbase --include="$packages" bookworm "$work/swift" "$mirror" >"$work/swift.log" 2>&1 \
    || { tail -20 "$work/swift.log" >&2; exit 1; }
  rm -rf "$work/swift/var/cache/apt/archives/"*.deb "$work/swift/var/lib/apt/lists/"*
  mkdir -p "$work/swift/opt"
  cp -a /opt/swift "$work/swift/opt/swift"
  if [ -d /opt/swift-packages ]; then
    cp -a /opt/swift-packages "$work/swift/opt/swift-packages"
    printf '[url "/opt/swift-packages/"]\n\tinsteadOf = https://github.com/\n' > "$work/swift/etc/gitconfig"
  fi
  tar -C "$work/swift" -c . | "$docker" import \
    --change 'ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - intentops-local/swift:bookworm
fi
"$docker" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep intentops-local
