// Package mfa is the second factor: time-based one-time passwords (RFC 6238, with
// github.com/pquerna/otp) from an authenticator app, and single-use recovery codes.
// Secrets are sealed in storage (auth.SecretBox); recovery codes are kept as hashes and
// shown once; a code is accepted once.
package mfa

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/auth"
)

// Issuer names Teamshape in authenticator apps.
const Issuer = "Teamshape"

// RecoveryCodes is how many recovery codes turning the factor on gives.
const RecoveryCodes = 10

// period, digits and skew of the codes: the RFC's defaults, which every authenticator
// app uses; a code of the step before or after is accepted too (clocks drift).
const (
	period = 30
	skew   = 1
)

var opts = totp.ValidateOpts{Period: period, Skew: skew, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Service turns the factor on and off and checks codes.
type Service struct {
	store app.SecondFactorStore
	box   *auth.SecretBox
	now   func() time.Time
}

// New returns the service.
func New(store app.SecondFactorStore, box *auth.SecretBox, now func() time.Time) *Service {
	return &Service{store: store, box: box, now: now}
}

// Setup is a factor being set up: the secret to scan (as a QR code, PNG, drawn here) or type.
type Setup struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
	// QR is the otpauth URL as a QR code, a data: URL of a PNG (pages show it in an img).
	QR string `json:"qr_png"`
}

// Status is the user's factor as the Security page shows it.
type Status struct {
	On            bool   `json:"on"`
	Setup         *Setup `json:"setup,omitempty"` // a set-up under way
	RecoveryLeft  int    `json:"recovery_codes_left"`
	RequiredAdmin bool   `json:"required_for_admins"`
	MustEnrol     bool   `json:"must_enrol"`
}

// ad binds a sealed secret to its user.
func ad(userID int64) []byte { return []byte("totp:" + strconv.FormatInt(userID, 10)) }

// Status returns the actor's factor.
func (s *Service) Status(ctx context.Context, a *app.Actor) (*Status, error) {
	st := &Status{MustEnrol: a.MustEnrolTOTP}
	var err error
	if st.RequiredAdmin, err = s.store.FindRequireAdminTOTP(ctx, a.OrgID); err != nil {
		return nil, err
	}
	t, err := s.store.FindTOTP(ctx, a.UserID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return st, nil
	} else if err != nil {
		return nil, err
	}
	if t.ConfirmedAt != nil {
		st.On = true
		st.RecoveryLeft, err = s.store.CountRecoveryCodes(ctx, a.UserID)
		return st, err
	}
	secret, err := s.box.Open(t.SecretBox, ad(a.UserID))
	if err != nil { // sealed under another server secret: start again
		return st, nil
	}
	st.Setup, err = setup(string(secret), a.Email)
	return st, err
}

// Begin starts setting the factor up (again): a new secret, kept sealed until a code
// from the app confirms it. ECONFLICT when the factor is already on.
func (s *Service) Begin(ctx context.Context, a *app.Actor) (*Setup, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: a.Email, Period: period,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, err
	}
	if err := s.store.StartTOTP(ctx, a.UserID, s.box.Seal([]byte(key.Secret()), ad(a.UserID))); err != nil {
		return nil, err
	}
	return setup(key.Secret(), a.Email)
}

// setup draws the QR code of the secret's otpauth URL.
func setup(secret, account string) (*Setup, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: Issuer, AccountName: account, Period: period,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Secret: mustDecode(secret)})
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Setup{Secret: secret, URL: key.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func mustDecode(secret string) []byte {
	b, err := b32.DecodeString(strings.ToUpper(secret))
	if err != nil {
		panic("mfa: a secret we generated does not decode: " + err.Error())
	}
	return b
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// errBadCode answers a wrong, reused or malformed code.
var errBadCode = app.Invalid("code", "That code is not right (or was already used): enter the current code from your authenticator app.")

// Confirm turns the factor being set up on with a code from the app, and returns the
// recovery codes: shown this once, kept only as hashes.
func (s *Service) Confirm(ctx context.Context, a *app.Actor, code string) ([]string, error) {
	t, err := s.store.FindTOTP(ctx, a.UserID)
	if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && t.ConfirmedAt != nil) {
		return nil, app.Errorf(app.ECONFLICT, "There is no second factor being set up: start again.")
	} else if err != nil {
		return nil, err
	}
	step, ok := s.match(t, code)
	if !ok {
		return nil, errBadCode
	}
	codes, hashes := newRecoveryCodes()
	if err := s.store.ConfirmTOTP(ctx, a, step, hashes); err != nil {
		return nil, err
	}
	return codes, nil
}

// NewRecoveryCodes replaces the actor's recovery codes (a current code or a recovery
// code is required) and returns the new ones, shown this once.
func (s *Service) NewRecoveryCodes(ctx context.Context, a *app.Actor, code string) ([]string, error) {
	ok, _, err := s.Check(ctx, a.UserID, code)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errBadCode
	}
	codes, hashes := newRecoveryCodes()
	if err := s.store.ReplaceRecoveryCodes(ctx, a, hashes); err != nil {
		return nil, err
	}
	return codes, nil
}

// Disable turns the actor's factor off; a current code or a recovery code is required.
func (s *Service) Disable(ctx context.Context, a *app.Actor, code string) error {
	ok, _, err := s.Check(ctx, a.UserID, code)
	if err != nil {
		return err
	}
	if !ok {
		return errBadCode
	}
	return s.store.DeleteTOTP(ctx, a)
}

// Check accepts a code for the user's confirmed factor, once: a six-digit code from the
// app, or an unused recovery code. how says which ("authenticator app" or "recovery code").
func (s *Service) Check(ctx context.Context, userID int64, code string) (ok bool, how string, err error) {
	code = strings.TrimSpace(code)
	if sixDigits.MatchString(strings.ReplaceAll(code, " ", "")) {
		t, err := s.store.FindTOTP(ctx, userID)
		if app.ErrorCode(err) == app.ENOTFOUND || (err == nil && t.ConfirmedAt == nil) {
			return false, "", nil
		} else if err != nil {
			return false, "", err
		}
		step, ok := s.match(t, strings.ReplaceAll(code, " ", ""))
		if !ok {
			return false, "", nil
		}
		ok, err = s.store.UseTOTPStep(ctx, userID, step)
		return ok, "authenticator app", err
	}
	norm := normaliseRecovery(code)
	if len(norm) != recoveryLen {
		return false, "", nil
	}
	ok, err = s.store.UseRecoveryCode(ctx, userID, hashRecovery(norm))
	return ok, "recovery code", err
}

// match finds the time step, within the skew, whose code is code.
func (s *Service) match(t *app.TOTP, code string) (int64, bool) {
	secret, err := s.box.Open(t.SecretBox, ad(t.UserID))
	if err != nil {
		return 0, false
	}
	now := s.now()
	for d := -skew; d <= skew; d++ {
		at := now.Add(time.Duration(d*period) * time.Second)
		want, err := totp.GenerateCodeCustom(string(secret), at, opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / period, true
		}
	}
	return 0, false
}

// SetRequireForAdmins makes the factor required (or not) for the organisation's admins.
func (s *Service) SetRequireForAdmins(ctx context.Context, a *app.Actor, on bool) error {
	if a.Role != app.RoleAdmin {
		return app.Errorf(app.EFORBIDDEN, "Only admins can change this.")
	}
	return s.store.SetRequireAdminTOTP(ctx, a, on)
}

// Recovery codes: 10 characters of base32 (50 random bits), shown as two groups of five.
const recoveryLen = 10

var recoveryAlphabet = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func newRecoveryCodes() (codes []string, hashes [][]byte) {
	for range RecoveryCodes {
		b := make([]byte, 7)
		rand.Read(b) //nolint:errcheck // never fails
		c := recoveryAlphabet.EncodeToString(b)[:recoveryLen]
		codes = append(codes, c[:5]+"-"+c[5:])
		hashes = append(hashes, hashRecovery(c))
	}
	return codes, hashes
}

func normaliseRecovery(code string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(code)))
}

func hashRecovery(norm string) []byte {
	h := sha256.Sum256([]byte("teamshape recovery:" + norm))
	return h[:]
}
