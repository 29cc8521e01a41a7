# wirewatch in a container: a static, cgo-free binary with Matrix end-to-end
# encryption (-tags goolm), run as a non-root user, its configuration and
# database in the /data volume.
#
# Build: docker build --build-arg VERSION=$(git describe --tags --always) \
#          --build-arg COMMIT=$(git rev-parse HEAD) -t wirewatch .
# Run:   docker run -d --name wirewatch -v wirewatch-data:/data -p 127.0.0.1:8080:8080 wirewatch
#        (with /data/wirewatch.toml in the volume; [http] listen = "0.0.0.0:8080"
#        to reach /healthz, /readyz and /metrics from outside the container)

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first: this layer is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
ARG COMMIT=
# .git is not in the build context (.dockerignore): the commit comes from
# the COMMIT argument, not from version control stamping.
RUN CGO_ENABLED=0 go build -tags goolm -trimpath -buildvcs=false \
	-ldflags "-s -w -X github.com/wirewatch/wirewatch/cli.Version=${VERSION} -X github.com/wirewatch/wirewatch/cli.Commit=${COMMIT}" \
	-o /out/wirewatch . \
	&& /out/wirewatch version \
	&& mkdir -p /out/data

# distroless/static: CA certificates and /etc/passwd, no shell, no libc (the
# binary needs none); its nonroot user is 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wirewatch /usr/local/bin/wirewatch
# /data belongs to the user that runs wirewatch, so that a new named volume
# (which copies the image's directory) is writable by it.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
VOLUME ["/data"]
ENV WIREWATCH_CONFIG=/data/wirewatch.toml
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/wirewatch"]
CMD ["run", "-config", "/data/wirewatch.toml"]
