# The HTTP API on 0.0.0.0:$PORT (8080), serving the baked-in model or one mounted at /model:
#   docker run --rm -p 8080:8080 intentops/api
#   docker run --rm -p 8080:8080 -v "$PWD/models/atis:/model:ro" intentops/api serve --model /model
# SIGTERM drains in-flight requests and flushes the request log (/var/lib/intentops) before exit 0.
ARG BASE_IMAGE=intentops/base:latest
FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/intentops/intentops
LABEL org.opencontainers.image.title="intentops-api" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["intent"]
CMD ["serve"]
