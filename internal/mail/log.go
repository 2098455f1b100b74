package mail

import (
	"context"
	"log/slog"
)

// LogSender writes each message to the log instead of sending it: dev mode without
// TEAMSHAPE_SMTP_URL. The log then holds the links a message carries (invitations,
// password resets), which is what a developer needs and why it is for dev mode only.
type LogSender struct {
	Log  *slog.Logger
	From string
}

// Send logs m at level INFO and reports success.
func (s *LogSender) Send(_ context.Context, m *Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	s.Log.Info("e-mail not sent (dev mode without TEAMSHAPE_SMTP_URL); here it is",
		"from", s.From, "to", m.To, "subject", m.Subject, "message_id", m.MessageID, "text", m.Text)
	return nil
}
