// Package mailtest runs a real SMTP server for tests: Mailpit (github.com/axllent/mailpit,
// pinned in the Makefile and installed into bin/ by `make test-deps`), started on free
// ports, read back through its HTTP API, stopped when the test ends.
//
// The binary is $TEAMSHAPE_MAILPIT (the Makefile sets it; if it names a missing file
// the test fails), else bin/mailpit at the module root, else mailpit on the PATH. When
// none is there the test is skipped with a message naming `make test-deps`; under
// `make test` it cannot be missing without failing.
package mailtest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// EnvBinary names the Mailpit binary; the Makefile sets it to bin/mailpit.
const EnvBinary = "TEAMSHAPE_MAILPIT"

// Options choose how Mailpit's SMTP server behaves.
type Options struct {
	// TLS gives the SMTP server a certificate for 127.0.0.1 and localhost (from a CA
	// made for the test; RootCAs trusts it), so it offers STARTTLS.
	TLS bool
	// RequireSTARTTLS refuses mail before STARTTLS (implies TLS).
	RequireSTARTTLS bool
	// ImplicitTLS speaks TLS from the first byte, as smtps:// expects (implies TLS).
	ImplicitTLS bool
	// Auth accepts any user and password, and requires one. Mailpit offers AUTH only
	// over TLS unless AuthInsecure. Each message records the user it was sent as.
	Auth         bool
	AuthInsecure bool
	// Chaos enables Mailpit's fault triggers (SetChaos).
	Chaos bool
}

// Server is a running Mailpit.
type Server struct {
	bin      string
	opts     Options
	dir      string // database and certificates
	smtpPort int
	httpPort int
	rootCAs  *x509.CertPool
	tb       testing.TB

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	out  *output
}

// Start starts Mailpit on free ports of 127.0.0.1 and stops it when the test ends. Its
// messages live in a database file of the test's temporary directory, so they survive
// Stop and Restart.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	bin := Binary(tb)
	s := &Server{bin: bin, opts: o, dir: tb.TempDir(), tb: tb}
	if o.RequireSTARTTLS || o.ImplicitTLS {
		s.opts.TLS = true
	}
	if s.opts.TLS {
		s.makeCertificate(tb)
	}
	var err error
	for try := 0; try < 3; try++ { // a free port can be taken between asking and binding
		s.smtpPort, s.httpPort = freePort(tb), freePort(tb)
		if err = s.start(); err == nil {
			break
		}
	}
	if err != nil {
		tb.Fatalf("mailtest: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// Binary returns the path of the Mailpit binary, or skips (fails, when EnvBinary is set)
// the test.
func Binary(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv(EnvBinary); p != "" {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			tb.Fatalf("mailtest: %s=%s, but there is no Mailpit binary there (run `make test-deps`): %v", EnvBinary, p, err)
		}
		return p
	}
	if root := moduleRoot(); root != "" {
		if p := filepath.Join(root, "bin", "mailpit"); isExecutable(p) {
			return p
		}
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	tb.Skipf("mailtest: Mailpit is not installed (no bin/mailpit, none on the PATH); `make test-deps` installs it, and `make test` never skips this")
	return ""
}

func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

func freePort(tb testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("mailtest: free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func (s *Server) args() []string {
	a := []string{
		"--smtp", s.SMTPAddr(),
		"--listen", s.httpAddr(),
		"--database", filepath.Join(s.dir, "mailpit.db"),
		"--max", "0", // keep every message
		"--disable-version-check",
		"--smtp-disable-rdns",
	}
	if s.opts.TLS {
		a = append(a, "--smtp-tls-cert", filepath.Join(s.dir, "cert.pem"), "--smtp-tls-key", filepath.Join(s.dir, "key.pem"))
	}
	if s.opts.RequireSTARTTLS {
		a = append(a, "--smtp-require-starttls")
	}
	if s.opts.ImplicitTLS {
		a = append(a, "--smtp-require-tls")
	}
	if s.opts.Auth {
		a = append(a, "--smtp-auth-accept-any")
	}
	if s.opts.AuthInsecure {
		a = append(a, "--smtp-auth-allow-insecure")
	}
	if s.opts.Chaos {
		a = append(a, "--enable-chaos")
	}
	return a
}

// start runs Mailpit and waits until its API and SMTP port answer.
func (s *Server) start() error {
	out := &output{}
	cmd := exec.Command(s.bin, s.args()...)
	cmd.Stdout, cmd.Stderr = out, out
	setParentDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }() //nolint:errcheck // the exit is reported through done
	s.mu.Lock()
	s.cmd, s.done, s.out = cmd, done, out
	s.mu.Unlock()

	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-done:
			return fmt.Errorf("mailpit exited at start:\n%s", out.String())
		default:
		}
		if s.ready() {
			return nil
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("mailpit did not answer within 20 s:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond) // polling a process, not ordering goroutines
	}
}

func (s *Server) ready() bool {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(s.APIURL() + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	conn, err := net.DialTimeout("tcp", s.SMTPAddr(), time.Second)
	if err != nil {
		return false
	}
	conn.Close()
	return true
}

// Stop stops Mailpit (SIGTERM, then SIGKILL after 5 s); its SMTP port then refuses
// connections. Safe to call twice.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd, done := s.cmd, s.done
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(os.Interrupt) //nolint:errcheck // it may have exited
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill() //nolint:errcheck
		<-done
	}
}

// Restart starts a stopped Mailpit again on the same ports with the same messages.
func (s *Server) Restart() {
	s.tb.Helper()
	s.Stop()
	if err := s.start(); err != nil {
		s.tb.Fatalf("mailtest: restart: %v", err)
	}
}

// Log is what Mailpit printed (for a failing test's message).
func (s *Server) Log() string {
	s.mu.Lock()
	out := s.out
	s.mu.Unlock()
	if out == nil {
		return ""
	}
	return out.String()
}

// SMTPAddr is host:port of the SMTP server.
func (s *Server) SMTPAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.smtpPort)) }

// SMTPPort is the SMTP server's port.
func (s *Server) SMTPPort() int { return s.smtpPort }

func (s *Server) httpAddr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.httpPort)) }

// APIURL is the base of the web UI and API, e.g. http://127.0.0.1:PORT.
func (s *Server) APIURL() string { return "http://" + s.httpAddr() }

// URL is a TEAMSHAPE_SMTP_URL for this server with the scheme given (smtp,
// smtp+starttls, smtps) and, if user is not empty, credentials.
func (s *Server) URL(scheme, user, password string) string {
	u := url.URL{Scheme: scheme, Host: s.SMTPAddr()}
	if user != "" {
		u.User = url.UserPassword(user, password)
	}
	return u.String()
}

// RootCAs trusts the server's certificate (nil without TLS).
func (s *Server) RootCAs() *x509.CertPool { return s.rootCAs }

// Address is an address as Mailpit reports it.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message in Mailpit's list.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      *Address  `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Username  string    `json:"Username"`
	Created   time.Time `json:"Created"`
}

// Message is one message with its bodies.
type Message struct {
	Summary
	Text string `json:"Text"`
	HTML string `json:"HTML"`
}

// Messages lists every message Mailpit holds, newest first.
func (s *Server) Messages(tb testing.TB) []Summary {
	tb.Helper()
	var res struct {
		Total    int       `json:"total"`
		Messages []Summary `json:"messages"`
	}
	// Mailpit counts and lists in two queries: a message stored between them makes the two
	// disagree for a moment, so ask again until they agree.
	for try := 0; ; try++ {
		s.getJSON(tb, "/api/v1/messages?limit=0", &res)
		if len(res.Messages) == res.Total {
			return res.Messages
		}
		if try == 50 {
			tb.Fatalf("mailtest: listed %d of %d messages", len(res.Messages), res.Total)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Message returns the message with Mailpit's id (Summary.ID), bodies included.
func (s *Server) Message(tb testing.TB, id string) *Message {
	tb.Helper()
	var m Message
	s.getJSON(tb, "/api/v1/message/"+url.PathEscape(id), &m)
	return &m
}

// Raw returns the message as received (headers and MIME parts).
func (s *Server) Raw(tb testing.TB, id string) string {
	tb.Helper()
	b := s.get(tb, "/api/v1/message/"+url.PathEscape(id)+"/raw")
	return string(b)
}

// WaitForMessages polls until Mailpit holds at least n messages (failing the test after
// timeout) and returns them, newest first.
func (s *Server) WaitForMessages(tb testing.TB, n int, timeout time.Duration) []Summary {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ms := s.Messages(tb)
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			tb.Fatalf("mailtest: %d messages after %v, want %d", len(ms), timeout, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// DeleteAll deletes every message.
func (s *Server) DeleteAll(tb testing.TB) {
	tb.Helper()
	s.do(tb, http.MethodDelete, "/api/v1/messages", nil)
}

// Trigger is one of Mailpit's chaos triggers: answer ErrorCode (400–599) with
// Probability percent.
type Trigger struct {
	ErrorCode   int `json:"ErrorCode"`
	Probability int `json:"Probability"`
}

// Chaos is the set of triggers; a zero Trigger is off.
type Chaos struct {
	Sender         Trigger `json:"Sender"`
	Recipient      Trigger `json:"Recipient"`
	Authentication Trigger `json:"Authentication"`
}

// SetChaos sets the fault triggers (Options.Chaos must be on).
func (s *Server) SetChaos(tb testing.TB, c Chaos) {
	tb.Helper()
	b, _ := json.Marshal(c)
	s.do(tb, http.MethodPut, "/api/v1/chaos", b)
}

func (s *Server) getJSON(tb testing.TB, path string, v any) {
	tb.Helper()
	if err := json.Unmarshal(s.get(tb, path), v); err != nil {
		tb.Fatalf("mailtest: GET %s: %v", path, err)
	}
}

func (s *Server) get(tb testing.TB, path string) []byte {
	tb.Helper()
	return s.do(tb, http.MethodGet, path, nil)
}

func (s *Server) do(tb testing.TB, method, path string, body []byte) []byte {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, s.APIURL()+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("mailtest: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("mailtest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("mailtest: %s %s: %s %v %s", method, path, resp.Status, err, b)
	}
	return b
}

// makeCertificate writes a CA and a server certificate for 127.0.0.1 and localhost
// signed by it, and keeps the CA in rootCAs.
func (s *Server) makeCertificate(tb testing.TB) {
	tb.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	write := func(name, typ string, b []byte) {
		if err := os.WriteFile(filepath.Join(s.dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: b}), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	write("cert.pem", "CERTIFICATE", der)
	write("key.pem", "EC PRIVATE KEY", keyDER)
	s.rootCAs = x509.NewCertPool()
	s.rootCAs.AddCert(ca)
}

// output collects Mailpit's stdout and stderr while the test reads it.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
