// Package browser drives Debian's headless Chromium (chromedp) for end-to-end tests and
// screenshots. It never lets a page reach anything but 127.0.0.1.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Path finds the Chromium binary: $CHROMIUM, else chromium on PATH.
func Path() (string, error) {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no chromium found: install Debian's chromium (make browser)")
}

// Session is one browser tab with what it saw: console errors, dialogs and every request.
type Session struct {
	Ctx    context.Context
	cancel []context.CancelFunc

	mu       sync.Mutex
	Console  []string // console errors and uncaught exceptions
	Dialogs  []string // alert/confirm/prompt messages (an injected script would show here)
	Requests []string // every URL the page requested
}

// New starts a headless Chromium with the flags that keep it off the network.
func New(ctx context.Context) (*Session, error) {
	bin, err := Path()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "teamshape-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(dir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1440, 1000),
	)
	actx, c1 := chromedp.NewExecAllocator(ctx, opts...)
	tctx, c2 := chromedp.NewContext(actx)
	s := &Session{Ctx: tctx, cancel: []context.CancelFunc{c2, c1, func() { os.RemoveAll(dir) }}}
	chromedp.ListenTarget(tctx, func(ev any) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				s.Console = append(s.Console, strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			s.Console = append(s.Console, e.ExceptionDetails.Error())
		case *network.EventRequestWillBeSent:
			s.Requests = append(s.Requests, e.Request.URL)
		}
	})
	chromedp.ListenTarget(tctx, func(ev any) {
		if e, ok := ev.(*pageJavascriptDialogOpening); ok {
			s.mu.Lock()
			s.Dialogs = append(s.Dialogs, e.Message)
			s.mu.Unlock()
			go chromedp.Run(tctx, handleDialog()) //nolint:errcheck
		}
	})
	if err := chromedp.Run(tctx, network.Enable()); err != nil {
		s.Close()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return s, nil
}

// Close ends the browser.
func (s *Session) Close() {
	for _, c := range s.cancel {
		c()
	}
}

// Seen returns copies of what the tab saw so far.
func (s *Session) Seen() (console, dialogs, requests []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.Console...), append([]string(nil), s.Dialogs...), append([]string(nil), s.Requests...)
}

// Login signs in through the form and waits (at most 10 s) to leave the sign-in page.
func (s *Session) Login(base, email, password string) error {
	err := chromedp.Run(s.Ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, email),
		chromedp.SendKeys(`input[name=password]`, password),
		chromedp.Submit(`input[name=password]`),
	)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var loc string
		if err := chromedp.Run(s.Ctx, chromedp.Location(&loc)); err == nil && !strings.Contains(loc, "/login") {
			return chromedp.Run(s.Ctx, chromedp.WaitReady("body"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("still on the sign-in page after 10s")
}

// Open navigates to the URL and waits until the page and its charts are drawn.
func (s *Session) Open(url string) error {
	return chromedp.Run(s.Ctx, chromedp.Navigate(url), chromedp.WaitReady("body"), waitCharts())
}

// waitCharts waits (at most 5 s) until every [data-chart] element is marked ready.
func waitCharts() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			var pending int
			if err := chromedp.Evaluate(`document.querySelectorAll('[data-chart]:not([data-chart-ready])').length`, &pending).Do(ctx); err != nil {
				return err
			}
			if pending == 0 {
				return nil
			}
			time.Sleep(100 * time.Millisecond)
		}
		return errors.New("charts not drawn within 5s")
	})
}

// Screenshot saves a full-page PNG.
func (s *Session) Screenshot(path string) error {
	var buf []byte
	if err := chromedp.Run(s.Ctx, chromedp.FullScreenshot(&buf, 100)); err != nil {
		return err
	}
	return os.WriteFile(path, buf, 0o644)
}

// Location reads the current URL.
func (s *Session) Location(dst *string) error {
	return chromedp.Run(s.Ctx, chromedp.Location(dst))
}

// Text reads the visible text of the first element matching the selector.
func (s *Session) Text(sel string, dst *string) error {
	return chromedp.Run(s.Ctx, chromedp.Text(sel, dst, chromedp.ByQuery))
}

// SetAndSubmit sets form fields (selector → value) and submits the form holding the first
// of them, then waits for the next page.
func (s *Session) SetAndSubmit(fields map[string]string, submit string) error {
	var acts []chromedp.Action
	for sel, v := range fields {
		acts = append(acts, chromedp.SetValue(sel, v, chromedp.ByQuery))
	}
	acts = append(acts, chromedp.Click(submit, chromedp.ByQuery), chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady("body"))
	return chromedp.Run(s.Ctx, acts...)
}

// Value reads the value of a form field.
func (s *Session) Value(sel string, dst *string) error {
	return chromedp.Run(s.Ctx, chromedp.Value(sel, dst, chromedp.ByQuery))
}

// Eval evaluates a JavaScript expression in the page.
func (s *Session) Eval(js string, dst any) error {
	return chromedp.Run(s.Ctx, chromedp.Evaluate(js, dst))
}
