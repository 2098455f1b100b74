# syntax=docker/dockerfile:1
# Teamshape image: static Go binary on distroless (no shell, runs as non-root).
#   docker build -t teamshape .
#   docker run --rm -e DATABASE_URL=... -e TEAMSHAPE_JWT_SECRET=... -p 127.0.0.1:8080:8080 teamshape
# Subcommands: serve (default), migrate, seed-demo.

FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags='-s -w' -o /out/teamshape ./cmd/teamshape

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/teamshape /usr/local/bin/teamshape
# Static assets, for code that reads them from ./web at run time (harmless if embedded).
COPY --from=build /src/web /app/web
ENV TEAMSHAPE_ADDR=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/teamshape"]
CMD ["serve"]
