// Package ssotest runs a real OpenID Connect provider for tests: zitadel/oidc's example
// server (github.com/zitadel/oidc/v3/example/server, pinned in go.mod), on 127.0.0.1, with
// the users and the client a test gives it. It signs its tokens with its own RSA key and
// publishes it in its JWKS, as any provider does; nothing here skips a check.
//
// For the tests of refusals it can misbehave as a broken or hostile provider would, and
// only at its edges (the HTTP exchange), never by giving Teamshape a weaker verifier:
// answer with an ID token for another audience (re-signed with the provider's own key), an
// ID token whose signature is broken, or ignore the nonce Teamshape sent.
package ssotest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// User is a person the provider knows: they sign in at its page with Username and Password.
type User struct {
	Username, Password string
	Email              string
	EmailVerified      bool
	First, Last        string
}

// Misbehaviour is how the provider breaks the flow, for the refusal tests.
type Misbehaviour int

const (
	Behave        Misbehaviour = iota
	OtherAudience              // the ID token names another client as its audience
	BadSignature               // the ID token's signature does not verify
	DropNonce                  // the provider ignores the nonce of the authorisation request
)

// Provider is a running provider.
type Provider struct {
	Issuer       string
	ClientID     string
	ClientSecret string

	store *storage.Storage
	mu    sync.Mutex
	mis   Misbehaviour
}

// Misbehave sets how the provider breaks the flows from now on.
func (p *Provider) Misbehave(m Misbehaviour) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mis = m
}

func (p *Provider) misbehaviour() Misbehaviour {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mis
}

// Start runs a provider on a free port of 127.0.0.1 for the test, with one web client
// (ClientID, ClientSecret) whose redirect URI is redirectURI.
func Start(t testing.TB, redirectURI string, users ...User) *Provider {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{Issuer: "http://" + ln.Addr().String(), ClientID: "teamshape-web", ClientSecret: "provider-client-secret"}
	us := userStore{}
	for i, u := range users {
		id := "u" + strconv.Itoa(i+1)
		us[id] = &storage.User{ID: id, Username: u.Username, Password: u.Password, FirstName: u.First, LastName: u.Last,
			Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.English}
	}
	clients := map[string]*storage.Client{p.ClientID: storage.WebClient(p.ClientID, p.ClientSecret, redirectURI)}
	p.store = storage.NewStorageWithClients(us, clients)
	// SetupServer sets the process's default logger to this one: keep it quiet.
	router := exampleop.SetupServer(p.Issuer, p.store, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv := &http.Server{Handler: p.edges(router)}
	go srv.Serve(ln) //nolint:errcheck
	t.Cleanup(func() { srv.Close() })
	return p
}

// userStore is the provider's users by id.
type userStore map[string]*storage.User

func (u userStore) GetUserByID(id string) *storage.User { return u[id] }
func (u userStore) ExampleClientID() string             { return "service" }
func (u userStore) GetUserByUsername(name string) *storage.User {
	for _, x := range u {
		if x.Username == name {
			return x
		}
	}
	return nil
}

// edges applies the misbehaviour to the provider's HTTP exchange.
func (p *Provider) edges(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mis := p.misbehaviour()
		switch {
		case mis == DropNonce && r.URL.Path == "/auth":
			q := r.URL.Query()
			q.Del("nonce")
			r.URL.RawQuery = q.Encode()
		case (mis == OtherAudience || mis == BadSignature) && r.URL.Path == "/oauth/token":
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			if rec.Code == http.StatusOK {
				body = p.rewriteIDToken(r.Context(), body, mis)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(rec.Code)
			w.Write(body) //nolint:errcheck
			return
		}
		next.ServeHTTP(w, r)
	})
}

// rewriteIDToken changes the ID token of a token response.
func (p *Provider) rewriteIDToken(ctx context.Context, body []byte, mis Misbehaviour) []byte {
	var res map[string]any
	if err := json.Unmarshal(body, &res); err != nil {
		panic(err)
	}
	raw, _ := res["id_token"].(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		panic("ssotest: no ID token in the token response")
	}
	switch mis {
	case BadSignature:
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil {
			panic(err)
		}
		sig[len(sig)/2] ^= 0x01
		parts[2] = base64.RawURLEncoding.EncodeToString(sig)
		res["id_token"] = strings.Join(parts, ".")
	case OtherAudience:
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			panic(err)
		}
		var claims map[string]any
		if err := json.Unmarshal(payload, &claims); err != nil {
			panic(err)
		}
		claims["aud"] = []string{"another-application"}
		claims["azp"] = "another-application"
		res["id_token"] = p.sign(ctx, claims)
	}
	out, err := json.Marshal(res)
	if err != nil {
		panic(err)
	}
	return out
}

// sign signs claims with the provider's own signing key (the one its JWKS publishes).
func (p *Provider) sign(ctx context.Context, claims map[string]any) string {
	key, err := p.store.SigningKey(ctx)
	if err != nil {
		panic(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: key.SignatureAlgorithm(),
		Key: jose.JSONWebKey{Key: key.Key(), KeyID: key.ID()}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		panic(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(bytes.Clone(payload))
	if err != nil {
		panic(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}
