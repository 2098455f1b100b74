// Package auth hashes passwords (argon2id) and issues and checks JWTs (golang-jwt v5).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"

	"github.com/teamshape/teamshape/internal/app"
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 12

// Params are argon2id parameters. DefaultParams follow OWASP's recommendation
// (m = 19 MiB, t = 2, p = 1).
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultParams is OWASP's argon2id setting.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// CheckPasswordPolicy reports why a password is not acceptable, naming the field
// "password" (CheckNewPassword names another).
func CheckPasswordPolicy(pw string) error { return CheckNewPassword("password", pw) }

// HashPassword returns a PHC-format argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	p := DefaultParams
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := idKey([]byte(pw), salt, p)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// hashSlots bounds the argon2id computations running at once to the number of CPUs.
// Each needs Params.Memory (19 MiB): without a bound, 200 concurrent sign-ins held
// 200 × 19 MiB (the load test saw 1.2 GiB), and more computations than CPUs only make
// each one slower.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// ErrBusy is returned when the context ends before a hashing slot frees up.
var ErrBusy = &app.Error{Code: app.EUNAVAILABLE, RetryAfter: 1, Message: "The server is busy signing people in; try again shortly."}

// idKey computes argon2id in a hashing slot, waiting for one as long as it takes.
func idKey(pw, salt []byte, p Params) []byte {
	hashSlots <- struct{}{}
	defer leaveSlot()
	return argon2.IDKey(pw, salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// releasing is set while the memory of a burst of computations is being given back.
var releasing atomic.Bool

// leaveSlot frees a hashing slot. When it was the last one taken, the burst of sign-ins
// is over: the heap's free memory goes back to the system at once (debug.FreeOSMemory,
// in the background), rather than over the following minutes. Each computation leaves
// Params.Memory of garbage; after a burst the server's resident memory stayed about 15 MiB
// above its resting size while it served views (scripts/load.sh, "me" after "login").
// A full collection costs a few milliseconds of one CPU, against about 50 for the
// computation itself; while another computation runs, none is made.
func leaveSlot() {
	<-hashSlots
	if len(hashSlots) == 0 && releasing.CompareAndSwap(false, true) {
		go func() {
			defer releasing.Store(false)
			debug.FreeOSMemory()
		}()
	}
}

// VerifyPassword reports whether pw matches the hash, in constant time. A malformed or
// empty hash never matches. It waits for a hashing slot until ctx ends (then ErrBusy).
func VerifyPassword(ctx context.Context, pw, hash string) (bool, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return false, ErrBusy
	}
	defer leaveSlot()
	return verify(pw, hash), nil
}

func verify(pw, hash string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	if p.Memory > 256*1024 || p.Time > 16 || p.Threads == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want))) // in the caller's slot
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when an account does not exist, so a failed sign-in
// takes the same time whether or not the e-mail is known.
var dummyHash, _ = HashPassword("teamshape-dummy-password")

// DummyHash is a hash of no account's password, with the parameters of HashPassword:
// verifying against it costs what verifying against a real account does. (Its password is
// in this file: a match against it must never count.)
func DummyHash() string { return dummyHash }

// VerifyDummy spends the time of one verification and returns false (or ErrBusy).
func VerifyDummy(ctx context.Context, pw string) (bool, error) {
	_, err := VerifyPassword(ctx, pw, dummyHash)
	return false, err
}

// RandomPassword returns a one-time password of 20 URL-safe characters.
func RandomPassword() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
