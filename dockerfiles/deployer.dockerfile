# The deployer: webhook receiver and release pipeline. It runs git, kubectl and (for builds) a Docker
# client as argv, so the image carries them; state lives in /var/lib/deployer (mount a volume).
#   docker build -f dockerfiles/deployer.dockerfile -t intentops/deployer .
# Bases are build arguments, as in base.dockerfile; KUBECTL_IMAGE supplies the kubectl binary.
ARG BUILDER_IMAGE=swift:6.1-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG KUBECTL_IMAGE=registry.k8s.io/kubectl:v1.32.4

FROM ${KUBECTL_IMAGE} AS kubectl

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --scratch-path /build --product deployer \
 && install -D -s /build/release/deployer /out/deployer

FROM ${RUNTIME_IMAGE} AS runtime
ARG RUNTIME_PACKAGES="libsqlite3-0 ca-certificates git openssh-client docker.io"
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/intentops/intentops
LABEL org.opencontainers.image.title="intentops-deployer" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN if [ -n "${RUNTIME_PACKAGES}" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && useradd --system --uid 10002 --gid 0 --home-dir /var/lib/deployer --shell /usr/sbin/nologin deployer \
 && mkdir -p /var/lib/deployer \
 && chown 10002:0 /var/lib/deployer
COPY --from=kubectl /bin/kubectl /usr/local/bin/kubectl
COPY --from=build /out/deployer /usr/local/bin/deployer
WORKDIR /var/lib/deployer
USER 10002:0
EXPOSE 8090
ENTRYPOINT ["deployer"]
CMD ["serve", "--config", "/etc/deployer/deployer.json"]
