#!/usr/bin/env bash
# Makes the base images the Dockerfiles start FROM, where nothing can be pulled: one Debian bookworm
# root filesystem from the configured Debian mirror (debootstrap), imported with `docker import` twice:
#   intentops-local/swift:bookworm  minbase + what Swift builds need + this machine's toolchain
#                                   (/opt/swift) and Swift package mirror (/opt/swift-packages, with the
#                                   same git insteadOf), so `swift build` works offline (BUILDER_IMAGE)
#   intentops-local/cc:bookworm     only what distroless cc holds, taken from the same tree: glibc,
#                                   libstdc++, libgcc_s, CA certificates, passwd/group with root and
#                                   nonroot, /tmp; no shell (RUNTIME_IMAGE)
# Images that already exist are kept. Needs root, debootstrap and a Docker engine.
set -euo pipefail
docker=${DOCKER:-docker}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
exists() { "$docker" image inspect "$1" >/dev/null 2>&1; }

if ! exists intentops-local/swift:bookworm || ! exists intentops-local/cc:bookworm; then
  echo "== debootstrap bookworm (minbase + Swift build packages)"
  packages=libsqlite3-0,libsqlite3-dev,ca-certificates,binutils,libc6-dev,libgcc-12-dev,libstdc++-12-dev,zlib1g-dev
  packages=$packages,libcurl4,libxml2,libncurses6,libedit2,tzdata,git,pkg-config,libuuid1,uuid-dev
  debootstrap --variant=minbase --include="$packages" bookworm "$work/tree" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/tree/var/cache/apt/archives/"*.deb "$work/tree/var/lib/apt/lists/"*
fi

if ! exists intentops-local/cc:bookworm; then
  echo "== intentops-local/cc:bookworm (the tree's C and C++ runtime libraries, nothing else)"
  libraries=$work/tree/usr/lib/x86_64-linux-gnu
  mkdir -p "$work/cc/etc/ssl/certs" "$work/cc/usr/lib/x86_64-linux-gnu" "$work/cc/lib64" "$work/cc/tmp" "$work/cc/home/nonroot"
  chmod 1777 "$work/cc/tmp"
  ln -s usr/lib "$work/cc/lib"
  cp -a "$libraries/"{libc.so.6,libm.so.6,libstdc++.so.6*,libgcc_s.so.1,libpthread.so.0,libdl.so.2,librt.so.1,libresolv.so.2} \
    "$libraries/"{libnss_files.so.2,ld-linux-x86-64.so.2} "$work/cc/usr/lib/x86_64-linux-gnu/"
  ln -s ../usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$work/cc/lib64/ld-linux-x86-64.so.2"
  cp -L "$work/tree/etc/ssl/certs/ca-certificates.crt" "$work/cc/etc/ssl/certs/"
  cp "$work/tree/etc/nsswitch.conf" "$work/cc/etc/"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$work/cc/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$work/cc/etc/group"
  tar -C "$work/cc" -c . | "$docker" import - intentops-local/cc:bookworm
fi

if ! exists intentops-local/swift:bookworm; then
  [ -x /opt/swift/usr/bin/swift ] || { echo "no Swift toolchain at /opt/swift" >&2; exit 1; }
  echo "== intentops-local/swift:bookworm (the tree + /opt/swift + /opt/swift-packages)"
  mkdir -p "$work/tree/opt"
  cp -a /opt/swift "$work/tree/opt/swift"
  if [ -d /opt/swift-packages ]; then
    cp -a /opt/swift-packages "$work/tree/opt/swift-packages"
    printf '[url "/opt/swift-packages/"]\n\tinsteadOf = https://github.com/\n' > "$work/tree/etc/gitconfig"
  fi
  tar -C "$work/tree" -c . | "$docker" import \
    --change 'ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' - intentops-local/swift:bookworm
fi
"$docker" image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep intentops-local
