# Trains a model from mounted data into a mounted model directory:
#   docker run --rm -v "$PWD/data:/data:ro" -v "$PWD/models:/models" intentops/train \
#     --data /data/train.tsv --output /models/my-model
# With no arguments it trains on the built-in dataset into /models/default (runs recorded in /models/runs).
ARG BASE_IMAGE=intentops/base:latest
FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/intentops/intentops
LABEL org.opencontainers.image.title="intentops-train" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
VOLUME ["/data", "/models"]
ENTRYPOINT ["intent", "train"]
CMD ["--output", "/models/default", "--runs-dir", "/models/runs"]
