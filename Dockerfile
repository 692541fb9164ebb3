# Multi-stage build: a static binary on a distroless, non-root base with no
# shell. Works with a read-only root filesystem: temp files go to /tmp,
# which the deployment mounts writable.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sanctions-etl ./cmd/sanctions-etl

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/sanctions-etl /usr/local/bin/sanctions-etl
USER nonroot:nonroot
ENV TMPDIR=/tmp
ENTRYPOINT ["/usr/local/bin/sanctions-etl"]
CMD ["run", "--out", "/data"]
