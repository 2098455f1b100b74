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

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
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

// Phone makes the tab a phone's screen of the width (CSS pixels, 844 high, touch-sized
// viewport), as the pages are checked at 390 px.
func (s *Session) Phone(width int) error {
	_, err := chromedp.Call(s.Ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: int64(width), Height: 844, DeviceScaleFactor: 1, Mobile: true})
	return err
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
	s := &Session{}
	// The listener is in place before the tab starts, and the tab calls it in the order the
	// events arrive, before the command that follows them returns: when an action returns,
	// Seen already holds everything the page did before it (the iterators of chromedp.Events
	// deliver later, from another goroutine).
	tctx, c2 := chromedp.NewContext(actx, chromedp.WithListener(s.listen))
	s.Ctx = tctx
	s.cancel = []context.CancelFunc{c2, c1, func() { os.RemoveAll(dir) }}
	if _, err := chromedp.Call(tctx, network.Enable, network.EnableParams{}); err != nil {
		s.Close()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return s, nil
}

// listen records what the tab sees. It runs in the tab's message loop, so it must not
// run a command itself: a dialog is dismissed from another goroutine.
func (s *Session) listen(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			s.Console = append(s.Console, strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		s.Console = append(s.Console, (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
	case *network.EventRequestWillBeSent:
		s.Requests = append(s.Requests, e.Request.URL)
	case *page.EventJavascriptDialogOpening:
		s.Dialogs = append(s.Dialogs, e.Message)
		go chromedp.Call(s.Ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false}) //nolint:errcheck
	}
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
	err := chromedp.Do(s.Ctx,
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
		if loc, err := s.Location(); err == nil && !strings.Contains(loc, "/login") {
			return chromedp.Do(s.Ctx, chromedp.WaitReady("body"))
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("still on the sign-in page after 10s")
}

// Open navigates to the URL and waits until the page and its charts are drawn.
func (s *Session) Open(url string) error {
	return chromedp.Do(s.Ctx, chromedp.Navigate(url), chromedp.WaitReady("body"), waitCharts)
}

// waitCharts waits (at most 20 s: the machine may be busy) until every [data-chart] element is marked ready. A chart is
// drawn when it comes near the viewport (web/static/js/charts.js), so the first one not yet
// drawn is scrolled into view, as a reader would; the page is scrolled back to the top at
// the end.
func waitCharts(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	pending := chromedp.Evaluate[int](`(() => {
		const p = document.querySelectorAll('[data-chart]:not([data-chart-ready])');
		if (p.length) { p[0].scrollIntoView({block: 'center'}); } else { window.scrollTo(0, 0); }
		return p.length;
	})()`)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		n, err := pending(ctx, t)
		if err != nil {
			return chromedp.Void{}, err
		}
		if n == 0 {
			return chromedp.Void{}, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return chromedp.Void{}, errors.New("charts not drawn within 20s")
}

// Screenshot saves a full-page PNG.
func (s *Session) Screenshot(path string) error {
	buf, err := chromedp.Run(s.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return err
	}
	return os.WriteFile(path, buf, 0o644)
}

// Location reads the current URL.
func (s *Session) Location() (string, error) {
	return chromedp.Run(s.Ctx, chromedp.Location())
}

// Text reads the visible text of the first element matching the CSS selector.
func (s *Session) Text(sel string) (string, error) {
	return chromedp.Run(s.Ctx, chromedp.Text(chromedp.CSS(sel)))
}

// SetAndSubmit sets form fields (CSS selector → value) and clicks the submit button (a CSS
// selector), then waits for the next page.
func (s *Session) SetAndSubmit(fields map[string]string, submit string) error {
	var steps []chromedp.Action[chromedp.Void]
	for sel, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	steps = append(steps, chromedp.Click(chromedp.CSS(submit)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady("body"))
	return chromedp.Do(s.Ctx, steps...)
}

// Value reads the value of the form field matching the CSS selector.
func (s *Session) Value(sel string) (string, error) {
	return chromedp.Run(s.Ctx, chromedp.Value(chromedp.CSS(sel)))
}

// Eval evaluates a JavaScript expression in the page and decodes its result as a T.
func Eval[T any](s *Session, js string) (T, error) {
	return chromedp.Run(s.Ctx, chromedp.Evaluate[T](js))
}
