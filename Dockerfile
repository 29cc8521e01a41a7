# wirewatch in a container: a static, cgo-free build with Matrix end-to-end
# encryption (-tags goolm). Build: docker build -t wirewatch .
# Run:   docker run -v $PWD:/data wirewatch run -config /data/wirewatch.toml
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -tags goolm -trimpath \
	-ldflags "-s -w -X github.com/wirewatch/wirewatch/cli.Version=${VERSION}" -o /wirewatch .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /wirewatch /usr/local/bin/wirewatch
WORKDIR /data
ENTRYPOINT ["/usr/local/bin/wirewatch"]
CMD ["run", "-config", "/data/wirewatch.toml"]
