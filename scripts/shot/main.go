// Command shot signs in to a running Teamshape and saves a full-page screenshot of each
// path, so a person can look at what the pages show.
//
//	go run ./scripts/shot -base http://127.0.0.1:8080 -email leader@demo.test -password … -out /tmp/shots /teams /teams/1
//	go run ./scripts/shot -phone 390 … (the same at a phone's width)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/browser"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server URL")
	email := flag.String("email", "", "sign in as (empty: do not sign in)")
	password := flag.String("password", os.Getenv("TEAMSHAPE_DEMO_PASSWORD"), "password")
	out := flag.String("out", "shots", "output folder")
	phone := flag.Int("phone", 0, "emulate a phone this many CSS pixels wide (e.g. 390); 0: a 1440 px desktop")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, *base, *email, *password, *out, *phone, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "shot:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, base, email, password, out string, phone int, paths []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	b, err := browser.New(ctx)
	if err != nil {
		return err
	}
	defer b.Close()
	if phone > 0 {
		if err := b.Phone(phone); err != nil {
			return err
		}
	}
	if email != "" {
		if err := b.Login(base, email, password); err != nil {
			return fmt.Errorf("sign in: %w", err)
		}
	}
	for _, p := range paths {
		if err := b.Open(base + p); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", p, err)
		}
		name := strings.Trim(strings.NewReplacer("/", "_", "?", "_", "=", "-", "&", "_").Replace(p), "_")
		if name == "" {
			name = "root"
		}
		file := filepath.Join(out, name+".png")
		if err := b.Screenshot(file); err != nil {
			return err
		}
		fmt.Println(file)
	}
	console, dialogs, _ := b.Seen()
	for _, c := range console {
		fmt.Fprintln(os.Stderr, "console error:", c)
	}
	for _, d := range dialogs {
		fmt.Fprintln(os.Stderr, "dialog:", d)
	}
	return nil
}
