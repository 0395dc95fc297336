# opsbook in a container, for CI systems that run jobs in images (GitLab CI, Woodpecker, …).
#
#   docker build -t opsbook .                      # Alpine + the static binary (default)
#   docker build --target static -t opsbook:static .   # the binary alone, FROM scratch
#   docker run --rm -v "$PWD:/handbook" opsbook check
#
# The default image has a shell and git (CI jobs need a shell; `git config --global --add
# safe.directory …` fixes "dubious ownership" when the checkout belongs to another user).

FROM rust:1-alpine AS build
# Alpine's package versions move with the base image; pinning them breaks rebuilds.
# hadolint ignore=DL3018
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY templates templates
RUN cargo build --release --locked \
    && strip target/release/opsbook \
    && ./target/release/opsbook --version

FROM scratch AS static
COPY --from=build /src/target/release/opsbook /opsbook
WORKDIR /handbook
ENTRYPOINT ["/opsbook"]
CMD ["check"]

FROM alpine:3 AS default
# hadolint ignore=DL3018
RUN apk add --no-cache git ca-certificates
COPY --from=build /src/target/release/opsbook /usr/local/bin/opsbook
WORKDIR /handbook
ENTRYPOINT ["opsbook"]
CMD ["check"]
