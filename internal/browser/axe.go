package browser

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// AxePath finds axe-core's script: $TEAMSHAPE_AXE, else the copy `make axe` installs from
// npm (pinned by internal/browser/axe/package-lock.json) beside this file. The tests read
// it from disk and run it in the page: nothing is fetched from elsewhere.
func AxePath() (string, error) {
	p := os.Getenv("TEAMSHAPE_AXE")
	if p == "" {
		_, file, _, ok := runtime.Caller(0)
		if !ok {
			return "", errors.New("axe-core: cannot locate internal/browser")
		}
		p = filepath.Join(filepath.Dir(file), "axe", "node_modules", "axe-core", "axe.min.js")
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("axe-core not installed (make axe): %w", err)
	}
	return p, nil
}

var axeScript struct {
	once sync.Once
	src  string
	err  error
}

// AxeViolation is one failed axe-core rule on a page, with the elements that fail it.
type AxeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"` // CSS selectors and why, at most 5
}

func (v AxeViolation) String() string {
	return fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "; "))
}

// axeRun runs axe-core on the document against WCAG 2.2 A and AA and returns the serious
// and critical violations.
const axeRun = `axe.run(document, {
	runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
	resultTypes: ['violations'],
}).then(r => r.violations
	.filter(v => v.impact === 'serious' || v.impact === 'critical')
	.map(v => ({id: v.id, impact: v.impact, help: v.help,
		nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' '))})))`

// Axe runs axe-core (WCAG 2.2 A and AA rules) on the page as it is now and returns its
// serious and critical violations.
func (s *Session) Axe() ([]AxeViolation, error) {
	axeScript.once.Do(func() {
		p, err := AxePath()
		if err != nil {
			axeScript.err = err
			return
		}
		b, err := os.ReadFile(p)
		axeScript.src, axeScript.err = string(b), err
	})
	if axeScript.err != nil {
		return nil, axeScript.err
	}
	loaded, err := chromedp.Run(s.Ctx, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if _, err := chromedp.Run(s.Ctx, chromedp.Evaluate[chromedp.Void](axeScript.src)); err != nil {
			return nil, fmt.Errorf("load axe-core: %w", err)
		}
	}
	return chromedp.Run(s.Ctx, chromedp.Evaluate[[]AxeViolation](axeRun, chromedp.EvalAwaitPromise))
}

// Overflow returns how many CSS pixels the page is wider than the viewport (0: it does not
// scroll sideways). The viewport is the layout viewport's width (the root's clientWidth):
// on a phone Chromium widens innerWidth to the content, so innerWidth would hide it.
func (s *Session) Overflow() (int, error) {
	return chromedp.Run(s.Ctx, chromedp.Evaluate[int](`Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth)`))
}
