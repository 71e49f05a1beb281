# The base of the train, predict and api images: `intent` built in release mode with the Swift
# toolchain, the default model trained on the built-in dataset, and a slim runtime with a non-root user.
#
#   docker build -f dockerfiles/base.dockerfile -t intentops/base .
#
# Every image this file starts FROM is a build argument, so the images can be built where nothing can be
# pulled (scripts/docker-e2e.sh builds from local bases made with debootstrap):
#   BUILDER_IMAGE     a Swift 6 toolchain image (default: the official one)
#   RUNTIME_IMAGE     the runtime's Debian (default: bookworm-slim)
#   RUNTIME_PACKAGES  what the runtime installs with apt; empty when RUNTIME_IMAGE already has it
ARG BUILDER_IMAGE=swift:6.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# --static-swift-stdlib: the binary then needs only libc, libstdc++, libgcc_s, libm and libsqlite3.
# Its own scratch path, so a host's .build (if the context has one) is never mixed in.
RUN swift build -c release --static-swift-stdlib --scratch-path /build --product intent \
 && mkdir -p /out/models \
 && install -s /build/release/intent /out/intent \
 && /out/intent train --output /out/models/default --seed 42 --quiet

FROM ${RUNTIME_IMAGE} AS runtime
ARG RUNTIME_PACKAGES="libsqlite3-0 ca-certificates"
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/intentops/intentops
LABEL org.opencontainers.image.title="intentops-base" \
      org.opencontainers.image.description="intent (train, evaluate, predict, serve) on a slim runtime" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Versions come from the pinned Debian release of RUNTIME_IMAGE; pinning each package here would break
# on every Debian point release.
# hadolint ignore=DL3008
RUN if [ -n "${RUNTIME_PACKAGES}" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --system --uid 10001 --gid 0 --home-dir /opt/intentops --shell /usr/sbin/nologin intentops \
 && mkdir -p /opt/intentops /var/lib/intentops \
 && chown 10001:0 /var/lib/intentops \
 && chmod 0770 /var/lib/intentops
COPY --from=build /out/intent /usr/local/bin/intent
COPY --from=build /out/models /opt/intentops/models
# `intent serve` with no --model serves ./models/default; the request log goes where the runtime can
# write even with a read-only root filesystem (mount a volume at /var/lib/intentops).
WORKDIR /opt/intentops
ENV INTENT_REQUEST_LOG=/var/lib/intentops/requests.sqlite
USER 10001:0
ENTRYPOINT ["intent"]
CMD ["--help"]
