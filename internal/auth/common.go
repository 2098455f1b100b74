package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn/frequency"

	"github.com/teamshape/teamshape/internal/app"
)

// Password rules follow OWASP ASVS 5.0 V6.2: a length of at least MinPasswordLength, not one
// of the most common passwords, and no composition rules (no "a digit and a capital").
//
// The common passwords are the 30,000 of Dropbox's zxcvbn 4.4.2 ("passwords", from Mark
// Burnett's corpus of 10 million leaked passwords, most frequent first), as the Go port
// github.com/trustelem/zxcvbn ships them in its package frequency. Most are shorter than
// the minimum length; the check still matters for the long ones ("1qaz2wsx3edc",
// "leavemealone") and against a minimum lowered one day.

// commonPasswords is the list as a set, lower-cased, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	list := frequency.FrequencyLists["passwords"]
	set := make(map[string]struct{}, len(list))
	for _, p := range list {
		set[strings.ToLower(p)] = struct{}{}
	}
	return set
})

// CommonPasswords is how many common passwords the rules refuse.
func CommonPasswords() int { return len(commonPasswords()) }

// IsCommonPassword reports whether pw, in any case, is on the list of common passwords.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords()[strings.ToLower(pw)]
	return ok
}

// Password rules, named in the 422 a refused password gets.
const (
	RuleLength = "length" // at least MinPasswordLength characters, at most 1024 bytes
	RuleCommon = "common" // not one of the common passwords
)

// CheckNewPassword reports why pw may not be a password, as a 422 naming the field and
// the rule (app.Error.Rule), or nil.
func CheckNewPassword(field, pw string) error {
	var err *app.Error
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		err = app.Invalid(field, "Password must be at least %d characters (a few words make a good one).", MinPasswordLength)
		err.Rule = RuleLength
	case len(pw) > 1024:
		err = app.Invalid(field, "Password must be at most 1024 bytes.")
		err.Rule = RuleLength
	case IsCommonPassword(pw):
		err = app.Invalid(field, "This password is one of the most common passwords; choose another.")
		err.Rule = RuleCommon
	default:
		return nil
	}
	return err
}

// NewToken returns a secret for a link sent by e-mail (32 random bytes, URL-safe) and the
// SHA-256 under which it is stored: the token itself is never stored.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the stored form of a token from a link.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
