# syntax=docker/dockerfile:1
# Teamshape image: static Go binary on distroless (no shell, runs as non-root).
#   docker build -t teamshape .
#   docker run --rm -e DATABASE_URL=... -e TEAMSHAPE_JWT_SECRET=... -p 127.0.0.1:8080:8080 teamshape
# Subcommands: serve (default), migrate, seed-demo, healthcheck (exit 0 when /readyz answers 200).

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/teamshape ./cmd/teamshape
# An empty directory for the demo password file (seed-demo --password-file), see below.
RUN mkdir -p /out/state

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/teamshape /usr/local/bin/teamshape
# Static assets, for code that reads them from ./web at run time (harmless if embedded).
COPY --from=build /src/web /app/web
# Owned by nonroot (65532), so a fresh named volume mounted here (docker-compose.yml's
# `demo`) takes that owner and seed-demo can keep the demo password in it.
COPY --from=build --chown=65532:65532 /out/state /var/lib/teamshape
ENV TEAMSHAPE_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/teamshape"]
CMD ["serve"]
