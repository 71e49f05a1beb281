# The base of the train, predict and api images: `intent` built in release mode with the Swift
# toolchain, the default model trained on the built-in dataset, on a distroless runtime (glibc,
# libstdc++, libgcc_s and CA certificates; no shell, no package manager) as a non-root user.
#
#   docker build -f dockerfiles/base.dockerfile -t intentops/base .
#
# Every image this file starts FROM is a build argument, so the images can be built where nothing can be
# pulled (scripts/docker-e2e.sh builds from local bases made with debootstrap):
#   BUILDER_IMAGE  a Swift 6 toolchain image on Debian bookworm (default: the official one)
#   RUNTIME_IMAGE  a runtime with bookworm's glibc and libstdc++ (default: distroless cc)

ARG BUILDER_IMAGE=swift:6.1-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# --static-swift-stdlib: the binary then needs only libc, libstdc++, libgcc_s, libm, libsqlite3 (the request
# log) and libz (AsyncHTTPClient's compression, for MLflow tracking); the runtime has all but the last two,
# which are copied from this (same Debian release) stage. Everything the runtime gets is laid out under
# /rootfs, because the runtime has no shell to run anything.
# Its own scratch path, so a host's .build (if the context has one) is never mixed in.
RUN swift build -c release --static-swift-stdlib --scratch-path /build --product intent \
 && install -D -s /build/release/intent /rootfs/usr/local/bin/intent \
 && /rootfs/usr/local/bin/intent train --output /rootfs/opt/intentops/models/default --seed 42 --quiet --runs-dir none \
 && ldd /rootfs/usr/local/bin/intent | awk '$1 ~ /^(libsqlite3|libz)\.so/ {print $1, $3}' > /tmp/libs \
 && [ "$(wc -l < /tmp/libs)" -eq 2 ] \
 && while read -r name path; do real=$(readlink -f "$path"); install -D "$real" "/rootfs$(dirname "$real")/$name"; done < /tmp/libs \
 && mkdir -p /writable/var/lib/intentops

FROM ${RUNTIME_IMAGE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/intentops/intentops
LABEL org.opencontainers.image.title="intentops-base" \
      org.opencontainers.image.description="intent (train, evaluate, predict, serve) on a distroless runtime" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /rootfs/ /
# The only place the user may write: the request log (mount a volume there with a read-only root).
COPY --from=build --chown=10001:0 /writable/ /
# `intent serve` with no --model serves ./models/default.
WORKDIR /opt/intentops
ENV INTENT_REQUEST_LOG=/var/lib/intentops/requests.sqlite
USER 10001:0
ENTRYPOINT ["intent"]
CMD ["--help"]
