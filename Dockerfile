# syntax=docker/dockerfile:1
# The atlantis-lint image: the static binary and the CA certificates (for --online), nothing
# else, run as a non-root user. Built from source by default:
#   docker build -t atlantis-lint .
#   docker run --rm -v "$PWD:/work" -w /work atlantis-lint deploy/atlantis.yaml
# The release workflow builds it from the release binaries instead (--build-arg BINARY=dist,
# with dist/linux-amd64/atlantis-lint and dist/linux-arm64/atlantis-lint in the context).
ARG BINARY=build

FROM rust:1.85-alpine AS build
# Alpine drops old package versions from its index: pinning them would break the build.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/atlantis-lint /atlantis-lint

FROM alpine:3.20 AS dist
ARG TARGETARCH
COPY dist/linux-${TARGETARCH}/atlantis-lint /atlantis-lint

FROM ${BINARY} AS binary

FROM alpine:3.20 AS certs
# hadolint ignore=DL3018
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=binary --chmod=0755 /atlantis-lint /usr/local/bin/atlantis-lint
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/atlantis-lint"]
