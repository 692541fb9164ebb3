# syntax=docker/dockerfile:1
#
# A static binary on a distroless, non-root base with no shell.
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t sanctions-etl .
#
# The default command is the long-running scheduler, which needs a config
# file (deploy/kubernetes mounts one at /etc/sanctions-etl/config.yaml);
# any other command replaces it, e.g.
#
#   docker run --rm sanctions-etl sources
#   docker run --rm -v "$PWD/config.yaml:/etc/sanctions-etl/config.yaml:ro" \
#     sanctions-etl run --config /etc/sanctions-etl/config.yaml
#
# It works with a read-only root filesystem: temp files go to TMPDIR=/tmp,
# which must be mounted writable (an emptyDir in deploy/kubernetes).

# The build runs on the builder's own platform and cross-compiles for the
# target one (no emulation needed for e.g. linux/arm64).
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download
COPY . .
ARG TARGETOS TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
    -o /out/sanctions-etl ./cmd/sanctions-etl

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="sanctions-etl" \
      org.opencontainers.image.description="Keeps a correct, versioned copy of official sanctions lists" \
      org.opencontainers.image.source="https://github.com/sanctions-etl/sanctions-etl" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/sanctions-etl /usr/local/bin/sanctions-etl
# Numeric (distroless "nonroot"), so that Kubernetes' runAsNonRoot can
# verify it without a passwd lookup.
USER 65532:65532
ENV TMPDIR=/tmp
# The scheduler's HTTP server (config key listen): /healthz, /readyz,
# /status, /metrics.
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/sanctions-etl"]
CMD ["schedule", "--config", "/etc/sanctions-etl/config.yaml"]
