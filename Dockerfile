# Build a static binary, then run it as an unprivileged user on a minimal base.
FROM golang:1.26.11-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/crossmentor ./cmd/crossmentor \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/crossmentor /usr/local/bin/crossmentor
COPY --from=build --chown=65532:65532 /out/data /data
ENV CROSSMENTOR_ADDR=:8080 \
    CROSSMENTOR_DATA_DIR=/data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/crossmentor"]
CMD ["serve"]
