package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// SecretBox seals secrets kept in the database (SSO client secrets, TOTP secrets) with
// AES-256-GCM under a key derived (HKDF-SHA256) from the server's signing secret: a copy
// of the database alone does not reveal them. Changing TEAMSHAPE_JWT_SECRET makes the
// sealed secrets unreadable: they are entered again (SSO) or set up again (TOTP).
type SecretBox struct{ aead cipher.AEAD }

// NewSecretBox derives the box's key from the server secret.
func NewSecretBox(serverSecret []byte) (*SecretBox, error) {
	key, err := hkdf.Key(sha256.New, serverSecret, nil, "teamshape secret box v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead: aead}, nil
}

// Seal encrypts the plaintext; the additional data (e.g. "sso:<org id>") binds it to its
// place, so a sealed value copied to another row does not open.
func (b *SecretBox) Seal(plaintext, ad []byte) []byte {
	nonce := make([]byte, b.aead.NonceSize())
	rand.Read(nonce) //nolint:errcheck // crypto/rand.Read never fails
	return b.aead.Seal(nonce, nonce, plaintext, ad)
}

// ErrSealed is a sealed value that does not open: another key, another place, or tampered.
var ErrSealed = errors.New("sealed secret does not open")

// Open decrypts a value Seal made with the same additional data.
func (b *SecretBox) Open(sealed, ad []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n {
		return nil, ErrSealed
	}
	out, err := b.aead.Open(nil, sealed[:n], sealed[n:], ad)
	if err != nil {
		return nil, ErrSealed
	}
	return out, nil
}
