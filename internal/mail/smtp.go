package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is encrypted; the URL's scheme says.
type TLSMode int

const (
	// STARTTLSIfOffered (smtp://): upgrade with STARTTLS when the server offers it, else
	// stay in clear text. Meant for a relay on a trusted network (Mailpit in
	// docker-compose, a local MTA). A password is still never sent in clear: without
	// TLS only challenge-response mechanisms (SCRAM, CRAM-MD5) are tried, never PLAIN or
	// LOGIN, and the send fails if the server offers none of them.
	STARTTLSIfOffered TLSMode = iota
	// STARTTLSRequired (smtp+starttls://): STARTTLS or nothing. A server that does not
	// offer it, or a certificate that does not verify, fails the send.
	STARTTLSRequired
	// ImplicitTLS (smtps://): TLS from the first byte (RFC 8314 submissions, port 465).
	ImplicitTLS
)

func (m TLSMode) String() string {
	switch m {
	case STARTTLSIfOffered:
		return "STARTTLS if offered"
	case STARTTLSRequired:
		return "STARTTLS required"
	case ImplicitTLS:
		return "implicit TLS"
	}
	return "unknown"
}

// SMTPConfig is where and how to send: TEAMSHAPE_SMTP_URL, parsed.
type SMTPConfig struct {
	Host     string
	Port     int
	TLS      TLSMode
	Username string // empty: no SMTP AUTH
	Password string
	// RootCAs verify the server's certificate; nil: the system's roots. Not settable
	// from the URL (tests trust their own CA with it).
	RootCAs *x509.CertPool
}

// Default ports by scheme: submission (587) with STARTTLS, submissions (465) with TLS.
const (
	DefaultSMTPPort  = 587
	DefaultSMTPSPort = 465
)

// ParseSMTPURL reads TEAMSHAPE_SMTP_URL:
//
//	smtp://[user:password@]host[:port]            STARTTLS if the server offers it (port 587)
//	smtp+starttls://[user:password@]host[:port]   STARTTLS required (port 587)
//	smtps://[user:password@]host[:port]           implicit TLS (port 465)
//
// User and password are optional, but one needs the other; characters such as @ : / in
// them are percent-encoded (p%40ss for p@ss). A path other than "/", a query or a
// fragment is refused rather than ignored. An error never repeats the password.
func ParseSMTPURL(s string) (SMTPConfig, error) {
	var c SMTPConfig
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		// url's error quotes the whole URL, password included.
		return c, errors.New("not a URL; want smtp://[user:password@]host[:port] (smtp, smtp+starttls or smtps)")
	}
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = STARTTLSIfOffered, DefaultSMTPPort
	case "smtp+starttls":
		c.TLS, c.Port = STARTTLSRequired, DefaultSMTPPort
	case "smtps":
		c.TLS, c.Port = ImplicitTLS, DefaultSMTPSPort
	default:
		return c, fmt.Errorf("scheme %q: want smtp:// (STARTTLS if offered), smtp+starttls:// (STARTTLS required) or smtps:// (implicit TLS)", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return c, fmt.Errorf("%s: no host; want %s://[user:password@]host[:port]", u.Redacted(), u.Scheme)
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("%s: port %q is not a number from 1 to 65535", u.Redacted(), p)
		}
		c.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return c, fmt.Errorf("%s: empty port", u.Redacted())
	}
	if u.Path != "" && u.Path != "/" {
		return c, fmt.Errorf("%s: a path (%q) means nothing here", u.Redacted(), u.Path)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return c, fmt.Errorf("%s: takes no query or fragment; the scheme chooses TLS", u.Redacted())
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" || c.Password == "" {
			return c, fmt.Errorf("%s: a user needs a password and a password a user (or give neither)", u.Redacted())
		}
	}
	return c, nil
}

// String is the URL with the password replaced by "xxxxx", for logs.
func (c SMTPConfig) String() string {
	scheme := map[TLSMode]string{STARTTLSIfOffered: "smtp", STARTTLSRequired: "smtp+starttls", ImplicitTLS: "smtps"}[c.TLS]
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, c.Password)
	}
	return u.Redacted()
}

// SMTPSender sends over SMTP with go-mail, one connection per message: dial, EHLO,
// STARTTLS or TLS as the config says, AUTH when it has a user, MAIL, RCPT, DATA, QUIT.
type SMTPSender struct {
	cfg     SMTPConfig
	from    *mail.Address
	domain  string
	timeout time.Duration
}

// DefaultSMTPTimeout bounds dialling and each step of the conversation.
const DefaultSMTPTimeout = 30 * time.Second

// NewSMTPSender returns a sender from the address from (TEAMSHAPE_MAIL_FROM, e.g.
// "Teamshape <teamshape@example.com>"). timeout 0 means DefaultSMTPTimeout.
func NewSMTPSender(cfg SMTPConfig, from string, timeout time.Duration) (*SMTPSender, error) {
	a, err := ParseFrom(from)
	if err != nil {
		return nil, err
	}
	if cfg.Host == "" || cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp: no server (host %q, port %d)", cfg.Host, cfg.Port)
	}
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	return &SMTPSender{cfg: cfg, from: a, domain: a.Address[strings.LastIndexByte(a.Address, '@')+1:], timeout: timeout}, nil
}

// ParseFrom reads a sender address (TEAMSHAPE_MAIL_FROM): "Name <addr@domain>" or a bare
// address, which must have a domain.
func ParseFrom(s string) (*mail.Address, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("%q is not an e-mail address such as Teamshape <teamshape@example.com>", s)
	}
	if i := strings.LastIndexByte(a.Address, '@'); i < 1 || i == len(a.Address)-1 {
		return nil, fmt.Errorf("%q: the address needs a domain", s)
	}
	return a, nil
}

// Config is the sender's SMTP configuration.
func (s *SMTPSender) Config() SMTPConfig { return s.cfg }

// Send sends m and returns once the server accepted it (250 after DATA). A failure after
// that (QUIT, RSET) is not an error: the message is on its way, and saying otherwise
// would have it sent again.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.cfg.Host, RootCAs: s.cfg.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch s.cfg.TLS {
	case STARTTLSIfOffered:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case STARTTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	}
	if s.cfg.Username != "" {
		// Auto-discovery picks the strongest mechanism the server offers, and without
		// TLS never PLAIN or LOGIN (which would show the password).
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	host := s.cfg.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // go-mail joins host and port with a bare colon
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("smtp %s: connect: %w", s.addr(), err)
	}
	sendErr := c.SendWithSMTPClient(conn, msg)
	_ = c.CloseWithSMTPClient(conn) // QUIT; the outcome is decided by now
	if sendErr != nil && !msg.IsDelivered() {
		return fmt.Errorf("smtp %s: %w", s.addr(), sendErr)
	}
	return nil
}

func (s *SMTPSender) addr() string { return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)) }

// build turns m into go-mail's message: From, To, Subject, Date, Message-ID,
// Auto-Submitted (so auto-responders stay quiet), text/plain and, when there is HTML, a
// multipart/alternative with text/html. go-mail encodes headers and bodies (UTF-8,
// quoted-printable) and refuses line breaks in header values.
func (s *SMTPSender) build(m *Message) (*gomail.Msg, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("smtp: recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	switch id := m.MessageID; {
	case id == "":
		msg.SetMessageID()
	case strings.Contains(id, "@"):
		msg.SetMessageIDWithValue(id)
	default:
		msg.SetMessageIDWithValue(id + "@" + s.domain)
	}
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
