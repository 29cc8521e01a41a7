package matrix_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"maunium.net/go/mautrix"
	"maunium.net/go/mautrix/id"
	_ "modernc.org/sqlite" // to create Dendrite's databases in WAL mode
)

// The Matrix tests run against Dendrite, a real homeserver, built by
// `scripts/dendrite.sh build` into $WIREWATCH_DENDRITE_DIR/bin (default
// ~/.cache/wirewatch/dendrite/bin). Each test package run starts one on a
// free loopback port with its data in a temporary directory; tests that
// need a homeserver of their own (to stop and start it) start another.

// testPassword is every test user's password.
const testPassword = "wirewatch-test-password"

// dendriteBin returns the directory of the Dendrite binaries, or "" when
// they are not built.
func dendriteBin() string {
	dir := os.Getenv("WIREWATCH_DENDRITE_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".cache", "wirewatch", "dendrite")
	}
	bin := filepath.Join(dir, "bin")
	for _, b := range []string{"dendrite", "generate-keys", "generate-config", "create-account"} {
		if fi, err := os.Stat(filepath.Join(bin, b)); err != nil || fi.IsDir() {
			return ""
		}
	}
	return bin
}

// homeserver is a Dendrite process on 127.0.0.1, with server name
// "localhost", closed registration and no federation.
type homeserver struct {
	URL  string // http://127.0.0.1:PORT
	bin  string
	dir  string // config, keys, databases and log
	addr string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has exited
}

// shared is the homeserver most tests use (nil when Dendrite is not built);
// sharedErr says why it could not start.
var (
	shared    *homeserver
	sharedErr error
)

func TestMain(m *testing.M) {
	code := func() int {
		if bin := dendriteBin(); bin != "" {
			dir, err := os.MkdirTemp("", "wirewatch-dendrite-")
			if err != nil {
				sharedErr = err
			} else {
				defer os.RemoveAll(dir)
				shared, sharedErr = newHomeserver(bin, dir)
				if shared != nil {
					defer shared.stop()
				}
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// needHomeserver returns the shared homeserver, or skips the test when
// Dendrite is not built.
func needHomeserver(t *testing.T) *homeserver {
	t.Helper()
	if sharedErr != nil {
		t.Fatalf("cannot start Dendrite: %v", sharedErr)
	}
	if shared == nil && os.Getenv("WIREWATCH_REQUIRE_DENDRITE") != "" {
		t.Fatal("Dendrite is not built, and WIREWATCH_REQUIRE_DENDRITE is set: run scripts/dendrite.sh build")
	}
	if shared == nil {
		t.Skip("Dendrite is not built: run scripts/dendrite.sh build (CI does) to run the Matrix tests against a real homeserver")
	}
	return shared
}

// ownHomeserver starts a homeserver for this test alone, stopped at cleanup.
func ownHomeserver(t *testing.T) *homeserver {
	t.Helper()
	needHomeserver(t)
	hs, err := newHomeserver(shared.bin, t.TempDir())
	if err != nil {
		t.Fatalf("cannot start Dendrite: %v", err)
	}
	t.Cleanup(hs.stop)
	return hs
}

// newHomeserver configures a homeserver in dir and starts it on a free port.
func newHomeserver(bin, dir string) (*homeserver, error) {
	run := func(name string, args ...string) error {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%s: %w: %s", name, err, out)
		}
		return nil
	}
	if err := run("generate-keys", "--private-key", "matrix_key.pem"); err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(bin, "generate-config"), "-ci", "-dir", dir, "-server", "localhost")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cfg, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("generate-config: %w: %s", err, stderr.String())
	}
	cfg, dbs, err := configure(cfg)
	if err != nil {
		return nil, err
	}
	if err := walMode(dbs); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "dendrite.yaml"), cfg, 0o600); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	hs := &homeserver{URL: "http://" + addr, bin: bin, dir: dir, addr: addr}
	if err := hs.start(); err != nil {
		return nil, err
	}
	return hs, nil
}

// configure sets what the tests need in a config from `generate-config
// -ci`: registration closed (create-account makes the users; Dendrite
// refuses to start with open registration), federation off (no outbound
// traffic), JetStream on disk (so that a restart keeps its state), and
// info-level logs. It returns the SQLite files the config names.
func configure(cfg []byte) (out []byte, dbs []string, err error) {
	set := map[string]string{
		"client_api.registration_disabled": "true",
		"global.disable_federation":        "true",
		"global.jetstream.in_memory":       "false",
		"global.presence.enable_outbound":  "false",
		"global.presence.enable_inbound":   "false",
		"global.report_stats.enabled":      "false",
		"logging.level":                    "info",
	}
	var b bytes.Buffer
	var path []string // the keys enclosing the current line
	done := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(cfg))
	for sc.Scan() {
		line := sc.Text()
		rest := strings.TrimLeft(line, " ")
		indent := line[:len(line)-len(rest)]
		dash := ""
		if strings.HasPrefix(rest, "- ") { // a list item, as logging's
			dash, rest = "- ", rest[2:]
		}
		key, _, ok := strings.Cut(rest, ":")
		if rest == "" || strings.HasPrefix(rest, "#") || !ok {
			b.WriteString(line + "\n")
			continue
		}
		depth := (len(indent) + len(dash)) / 2
		path = append(path[:min(depth, len(path))], key)
		full := strings.Join(path, ".")
		if v, want := set[full]; want {
			line = indent + dash + key + ": " + v
			done[full] = true
		}
		if _, v, _ := strings.Cut(rest, ": "); key == "connection_string" && strings.HasPrefix(v, "file:") {
			dbs = append(dbs, strings.TrimPrefix(v, "file:"))
		}
		b.WriteString(line + "\n")
	}
	for k := range set {
		if !done[k] {
			return nil, nil, fmt.Errorf("generated Dendrite config has no %s", k)
		}
	}
	return b.Bytes(), dbs, nil
}

// walMode creates the SQLite databases in WAL mode, which a database
// keeps: then a reader (a sync) does not hold off a writer, which under
// load (tests of several packages at once) fails with SQLITE_BUSY and
// stops Dendrite. (Dendrite drops query parameters from its connection
// strings, so the mode cannot be asked there.)
func walMode(paths []string) error {
	for _, p := range paths {
		db, err := sql.Open("sqlite", p)
		if err != nil {
			return err
		}
		_, err = db.Exec("PRAGMA journal_mode=WAL")
		db.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

// start runs Dendrite and waits until it answers.
func (hs *homeserver) start() error {
	logf, err := os.OpenFile(filepath.Join(hs.dir, "dendrite.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(filepath.Join(hs.bin, "dendrite"), "--config", "dendrite.yaml", "--http-bind-address", hs.addr)
	cmd.Dir = hs.dir
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	done := make(chan struct{})
	go func() {
		cmd.Wait()
		logf.Close()
		close(done)
	}()
	hs.mu.Lock()
	hs.cmd, hs.done = cmd, done
	hs.mu.Unlock()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(hs.URL + "/_matrix/client/versions")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-done:
			return fmt.Errorf("dendrite exited at start; its log:\n%s", hs.logTail())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			hs.stop()
			return fmt.Errorf("dendrite did not answer within 60 s; its log:\n%s", hs.logTail())
		}
	}
}

// stop ends the Dendrite process (SIGTERM, then SIGKILL) and waits for it.
func (hs *homeserver) stop() {
	hs.mu.Lock()
	cmd, done := hs.cmd, hs.done
	hs.cmd = nil
	hs.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// restart stops the homeserver and starts it again on the same port and data.
func (hs *homeserver) restart(t *testing.T) {
	t.Helper()
	hs.stop()
	if err := hs.start(); err != nil {
		t.Fatal(err)
	}
}

// state says whether Dendrite still runs, with the end of its log, for
// failures that may be its fault.
func (hs *homeserver) state() string {
	hs.mu.Lock()
	cmd, done := hs.cmd, hs.done
	hs.mu.Unlock()
	status := "stopped by the test"
	if cmd != nil {
		select {
		case <-done:
			status = "exited: " + cmd.ProcessState.String()
		default:
			status = "running"
		}
	}
	return "dendrite " + status + "; its log ends:\n" + hs.logTail()
}

// logTail returns the errors in Dendrite's log and its end.
func (hs *homeserver) logTail() string {
	b, _ := os.ReadFile(filepath.Join(hs.dir, "dendrite.log"))
	var errs []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "level=error") || strings.Contains(line, "level=panic") || strings.Contains(line, "level=fatal") {
			errs = append(errs, line)
		}
	}
	if len(errs) > 20 {
		errs = errs[len(errs)-20:]
	}
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return strings.Join(errs, "\n") + "\n…\n" + string(b)
}

var userSeq struct {
	sync.Mutex
	n int
}

// newUser creates an account with a fresh name starting with prefix and
// returns its user ID ("@prefix3:localhost"); its password is testPassword.
func (hs *homeserver) newUser(t *testing.T, prefix string) id.UserID {
	t.Helper()
	userSeq.Lock()
	userSeq.n++
	name := prefix + strconv.Itoa(userSeq.n)
	userSeq.Unlock()
	cmd := exec.Command(filepath.Join(hs.bin, "create-account"), "--config", "dendrite.yaml",
		"--username", name, "--password", testPassword, "--url", hs.URL)
	cmd.Dir = hs.dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("create-account %s: %v: %s\n%s", name, err, out, hs.state())
	}
	return id.NewUserID(name, "localhost")
}

// login returns a mautrix client logged in as user, for the test to act
// as a person in the rooms (alice, bob).
func (hs *homeserver) login(t *testing.T, user id.UserID) *mautrix.Client {
	t.Helper()
	cli, err := mautrix.NewClient(hs.URL, "", "")
	if err != nil {
		t.Fatal(err)
	}
	cli.DefaultHTTPRetries = 3
	cli.DefaultHTTPBackoff = 200 * time.Millisecond
	_, err = cli.Login(context.Background(), &mautrix.ReqLogin{Type: mautrix.AuthTypePassword,
		Identifier: mautrix.UserIdentifier{Type: mautrix.IdentifierTypeUser, User: string(user)},
		Password:   testPassword, StoreCredentials: true})
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return cli
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(within)
	var last error
	for {
		ok, err := cond()
		if ok {
			return
		}
		last = err
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v (last error: %v)", what, within, last)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var errNotYet = errors.New("not yet")

// TestHomeserver checks the helper itself: users log in, and a restart on
// the same port keeps their accounts.
func TestHomeserver(t *testing.T) {
	hs := ownHomeserver(t)
	cfg, err := os.ReadFile(filepath.Join(hs.dir, "dendrite.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n  disable_federation: true\n", "\n  registration_disabled: true\n",
		"\n    in_memory: false\n", "\n    enable_outbound: false\n", "\n  level: info\n"} {
		if !bytes.Contains(cfg, []byte(want)) {
			t.Errorf("dendrite.yaml lacks %q", want)
		}
	}
	alice := hs.newUser(t, "alice")
	cli := hs.login(t, alice)
	if _, err := os.Stat(filepath.Join(hs.dir, "dendrite_userapi.db-wal")); err != nil {
		t.Errorf("Dendrite's databases are not in WAL mode: %v", err)
	}
	who, err := cli.Whoami(context.Background())
	if err != nil || who.UserID != alice {
		t.Fatalf("whoami = %+v, %v; want %s", who, err, alice)
	}
	hs.restart(t)
	if who, err := cli.Whoami(context.Background()); err != nil || who.UserID != alice {
		t.Fatalf("whoami after a restart = %+v, %v; want %s", who, err, alice)
	}
}
