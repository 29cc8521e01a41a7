package feeds

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"golang.org/x/net/http/httpproxy"
)

// ErrPrivateAddress means an article page resolved to an address that a
// page from a third-party feed must not reach: loopback, private,
// link-local (169.254.169.254, the cloud metadata service), unspecified or
// multicast.
var ErrPrivateAddress = errors.New("refused: private or local address")

// publicOnly returns a clone of t whose connections refuse non-public
// addresses. The check runs on the address actually dialled, after DNS, so a
// name that resolves to 127.0.0.1 and a redirect to 10.0.0.1 are refused
// alike. A proxy from the environment is trusted: connections to it are
// made as usual.
func publicOnly(t *http.Transport) *http.Transport {
	g := t.Clone()
	proxies := map[string]bool{}
	env := httpproxy.FromEnvironment()
	for _, raw := range []string{env.HTTPProxy, env.HTTPSProxy} {
		if p, err := parseProxy(raw); err == nil && p != "" {
			proxies[p] = true
		}
	}
	plain := &net.Dialer{Timeout: DefaultTimeout, KeepAlive: DefaultTimeout}
	guarded := &net.Dialer{Timeout: DefaultTimeout, KeepAlive: DefaultTimeout, Control: refusePrivate}
	g.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if proxies[addr] {
			return plain.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
	return g
}

// parseProxy returns a proxy setting's host:port ("" when unset).
func parseProxy(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}

// refusePrivate is a net.Dialer Control function: it fails the connection
// when the resolved address is not a public unicast one.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	if !IsPublicAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
	}
	return nil
}

// IsPublicAddr reports whether a is a public unicast address.
func IsPublicAddr(a netip.Addr) bool {
	a = a.Unmap()
	switch {
	case !a.IsValid(), a.IsUnspecified(), a.IsLoopback(), a.IsPrivate(),
		a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(), a.IsInterfaceLocalMulticast(),
		a.IsMulticast():
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// reserved are ranges that IsPrivate does not cover but that no public site
// lives in: carrier-grade NAT, "this network", benchmarking, the IPv6
// documentation and NAT64-for-local ranges.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}
