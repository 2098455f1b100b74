// Package mail is Teamshape's e-mail: messages rendered from templates (text/template for
// the plain text, html/template for the HTML, so what people typed is escaped), sent over
// SMTP with github.com/wneessen/go-mail, or written to the log in dev mode, and the worker
// that delivers the PostgreSQL outbox (postgres.EnqueueMail) from any number of instances.
//
// A feature never sends directly: it renders a Message and enqueues it, in the
// transaction of its own write, with a key that names the occasion, and returns. The
// worker sends it, retries with backoff while SMTP fails, and records the outcome.
package mail

import (
	"context"
	"net/mail"

	"github.com/teamshape/teamshape/internal/app"
)

// Message is one e-mail to one person (the domain's app.Mail): To, Subject, Text, HTML.
type Message = app.Mail

// Sender sends one message now; it returns once the SMTP server accepted it (or, in dev
// mode, once it is logged). Only the outbox worker calls a Sender.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// Address formats a recipient from a person's name and e-mail address for Message.To,
// quoting or encoding the name as RFC 5322 requires (whatever characters it holds).
func Address(name, email string) string {
	return (&mail.Address{Name: name, Address: email}).String()
}
