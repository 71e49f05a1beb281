# Batch prediction over mounted files, in constant memory, one output row per input row:
#   docker run --rm -v "$PWD/data:/data:ro" -v "$PWD/out:/out" intentops/predict \
#     --input /data/x.txt --output /out/x.jsonl
# The baked-in model is the built-in dataset's; mount your own and pass --model /model.
ARG BASE_IMAGE=intentops/base:latest
FROM ${BASE_IMAGE}
ARG VERSION=dev
ARG REVISION=unknown
ARG SOURCE=https://github.com/intentops/intentops
LABEL org.opencontainers.image.title="intentops-predict" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}"
VOLUME ["/data", "/out"]
ENTRYPOINT ["intent", "predict", "--model", "/opt/intentops/models/default"]
CMD ["--help"]
