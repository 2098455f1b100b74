// Command loadgen drives one HTTP endpoint with a fixed number of connections for a
// bounded time (and at most -max requests), then prints one result line: requests,
// throughput, latency percentiles, errors by kind, and — given -pid — the peak resident
// memory of that process during the run (VmHWM, reset before the run through
// /proc/PID/clear_refs).
//
// Without -rate each connection sends its next request as soon as the last one is answered
// (closed loop, like wrk: it measures the throughput; latency is connections ÷ throughput).
// With -rate the requests are due on a fixed schedule spread over the connections, and each
// latency counts from the moment its request was due (open loop, like wrk2: queueing behind
// a slow answer is not hidden). Requests due in the first -warmup are sent but not counted.
//
// Only loopback targets are accepted: this is a tool for measuring on one machine.
//
//	go run ./scripts/loadgen -url http://127.0.0.1:8080/api/v1/me -bearer TOKEN -c 50 -d 15s
//	go run ./scripts/loadgen -url http://127.0.0.1:8080/teams/3 -token-for leader1@big.test:PASSWORD -c 50 -rate 1000 -warmup 2s -d 15s
//	go run ./scripts/loadgen -url http://127.0.0.1:8080/api/v1/auth/login -login 'pm%05d@bigco.test:2000:PASSWORD' -c 50 -d 15s
//
// -login sends POST {"email","password"} with the e-mail pattern filled from 1..N in turn,
// so sign-ins spread over N accounts. -token-for EMAIL:PASSWORD signs in once first and
// uses the session token as Bearer. -accept-encoding sends that header (a browser always
// does; without it pages come uncompressed). -json prints the result as JSON.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type options struct {
	url, name, bearer, tokenFor, login, accept string
	conns, max, pid                            int
	dur, warmup, timeout                       time.Duration
	rate                                       float64
	jsonOut                                    bool
}

// Result is one run's figures.
type Result struct {
	Name        string         `json:"name"`
	URL         string         `json:"url"`
	Conns       int            `json:"conns"`
	Rate        float64        `json:"rate,omitempty"` // requests/s in all; 0 = closed loop
	Seconds     float64        `json:"seconds"`
	Requests    int            `json:"requests"`
	OK          int            `json:"ok"`
	RPS         float64        `json:"rps"`
	P50ms       float64        `json:"p50_ms"`
	P90ms       float64        `json:"p90_ms"`
	P99ms       float64        `json:"p99_ms"`
	Maxms       float64        `json:"max_ms"`
	Errors      map[string]int `json:"errors"`
	PeakRSSMiB  float64        `json:"peak_rss_mib,omitempty"`
	StartRSSMiB float64        `json:"start_rss_mib,omitempty"`
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "", "target URL (127.0.0.1 / localhost only)")
	flag.StringVar(&o.name, "name", "", "label for the result line (default: the URL's path)")
	flag.StringVar(&o.bearer, "bearer", "", "Authorization: Bearer token")
	flag.StringVar(&o.tokenFor, "token-for", "", "EMAIL:PASSWORD: sign in once at /api/v1/auth/login and use the token")
	flag.StringVar(&o.login, "login", "", "PATTERN:N:PASSWORD: POST sign-ins as fmt.Sprintf(PATTERN, 1..N)")
	flag.IntVar(&o.conns, "c", 50, "connections (concurrent clients)")
	flag.DurationVar(&o.dur, "d", 15*time.Second, "duration (measured)")
	flag.DurationVar(&o.warmup, "warmup", 0, "load sent before the measured duration, not counted")
	flag.Float64Var(&o.rate, "rate", 0, "requests per second in all, on a schedule (open loop); 0: as fast as answered")
	flag.IntVar(&o.max, "max", 2_000_000, "stop after this many requests")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Second, "per-request timeout (above the server's 10 s, to see its answer)")
	flag.IntVar(&o.pid, "pid", 0, "process whose peak memory (VmHWM) to report")
	flag.BoolVar(&o.jsonOut, "json", false, "print the result as JSON")
	flag.StringVar(&o.accept, "accept-encoding", "", `Accept-Encoding to send, as a browser does ("gzip, deflate, br"); the body is read as sent, not decoded`)
	flag.Parse()
	res, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if o.jsonOut {
		json.NewEncoder(os.Stdout).Encode(res) //nolint:errcheck
		return
	}
	fmt.Println(res.Line())
}

// Line formats the result as one table row.
func (r *Result) Line() string {
	var errs []string
	for k, n := range r.Errors {
		errs = append(errs, fmt.Sprintf("%s×%d", k, n))
	}
	slices.Sort(errs)
	e := "0"
	if len(errs) > 0 {
		e = strings.Join(errs, " ")
	}
	mem := ""
	if r.PeakRSSMiB > 0 {
		mem = fmt.Sprintf(" | peak RSS %.0f MiB (start %.0f)", r.PeakRSSMiB, r.StartRSSMiB)
	}
	name := r.Name
	if r.Rate > 0 {
		name = fmt.Sprintf("%s @%.0f/s", name, r.Rate)
	}
	return fmt.Sprintf("%-28s c=%-3d %7d req %8.0f req/s | p50 %7.2f ms p90 %7.2f ms p99 %7.2f ms max %7.1f ms | errors %s%s",
		name, r.Conns, r.Requests, r.RPS, r.P50ms, r.P90ms, r.P99ms, r.Maxms, e, mem)
}

func run(o options) (*Result, error) {
	u, err := url.Parse(o.url)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("-url: want http://127.0.0.1:PORT/path, got %q", o.url)
	}
	if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
		return nil, fmt.Errorf("-url: only loopback targets are allowed, not %q", h)
	}
	if o.conns < 1 || o.conns > 1000 || o.dur <= 0 || o.dur > 5*time.Minute || o.warmup < 0 || o.warmup > time.Minute {
		return nil, errors.New("-c must be 1..1000, -d at most 5m and -warmup at most 1m")
	}
	if o.rate < 0 || o.rate > 100_000 {
		return nil, errors.New("-rate must be 0 (closed loop) to 100000 requests/s")
	}
	client := &http.Client{
		Timeout: o.timeout,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        o.conns,
			MaxIdleConnsPerHost: o.conns,
			MaxConnsPerHost:     o.conns,
			DisableCompression:  true,
			IdleConnTimeout:     time.Minute,
		},
	}
	if o.tokenFor != "" {
		email, pw, _ := strings.Cut(o.tokenFor, ":")
		o.bearer, err = signIn(client, u, email, pw)
		if err != nil {
			return nil, err
		}
	}
	newReq, err := requestMaker(o, u)
	if err != nil {
		return nil, err
	}
	name := o.name
	if name == "" {
		name = u.Path
	}
	res := &Result{Name: name, URL: o.url, Conns: o.conns, Rate: o.rate, Errors: map[string]int{}}
	if o.pid > 0 {
		// 5 resets the peak resident set size to the current one (Linux ≥ 4.0).
		os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", o.pid), []byte("5"), 0) //nolint:errcheck
		res.StartRSSMiB = procKiB(o.pid, "VmRSS") / 1024
	}

	ctx, cancel := context.WithTimeout(context.Background(), o.warmup+o.dur)
	defer cancel()
	var (
		mu    sync.Mutex
		lats  = make([]time.Duration, 0, 1<<16)
		count atomic.Int64
		wg    sync.WaitGroup
	)
	start := time.Now()
	measureFrom := start.Add(o.warmup)
	due := schedule(ctx, start, o.rate, o.conns)
	for w := 0; w < o.conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 1024)
			errs := map[string]int{}
			for {
				t0, ok := due()
				if !ok {
					break
				}
				n := count.Add(1)
				if n > int64(o.max) {
					break
				}
				req := newReq(int(n))
				resp, err := client.Do(req)
				counted := !t0.Before(measureFrom)
				if err != nil {
					if counted {
						errs[errKind(err)]++
					}
					continue
				}
				io.Copy(io.Discard, resp.Body) //nolint:errcheck
				resp.Body.Close()
				d := time.Since(t0)
				if !counted {
					continue
				}
				if resp.StatusCode/100 != 2 {
					errs[strconv.Itoa(resp.StatusCode)]++
				}
				mine = append(mine, d)
			}
			mu.Lock()
			lats = append(lats, mine...)
			for k, v := range errs {
				res.Errors[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(measureFrom)
	if o.pid > 0 {
		res.PeakRSSMiB = procKiB(o.pid, "VmHWM") / 1024
	}
	slices.Sort(lats)
	res.Seconds = elapsed.Seconds()
	res.Requests = len(lats) // every answer, whatever its status
	res.OK = len(lats)
	for k, n := range res.Errors {
		if _, err := strconv.Atoi(k); err == nil {
			res.OK -= n // an answer with a non-2xx status
		} else {
			res.Requests += n // no answer at all
		}
	}
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	res.P50ms, res.P90ms, res.P99ms = ms(pct(lats, 50)), ms(pct(lats, 90)), ms(pct(lats, 99))
	if len(lats) > 0 {
		res.Maxms = ms(lats[len(lats)-1])
	}
	return res, nil
}

// schedule returns due: each call gives the time a worker's next request is due, until
// ctx ends. Closed loop (rate 0): now. Open loop: request i is due at start + i/rate, handed
// out in order; when every worker is busy the due times still advance, so the wait behind
// a slow answer counts in the latency.
func schedule(ctx context.Context, start time.Time, rate float64, conns int) func() (time.Time, bool) {
	if rate <= 0 {
		return func() (time.Time, bool) { return time.Now(), ctx.Err() == nil }
	}
	slots := make(chan time.Time, conns)
	go func() {
		defer close(slots)
		for i := 0; ; i++ {
			t := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(t)):
			}
			select {
			case slots <- t:
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() (time.Time, bool) { t, ok := <-slots; return t, ok }
}

// requestMaker returns a function building request n.
func requestMaker(o options, u *url.URL) (func(n int) *http.Request, error) {
	if o.login == "" {
		return func(int) *http.Request {
			req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
			if o.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+o.bearer)
			}
			if o.accept != "" {
				req.Header.Set("Accept-Encoding", o.accept)
			}
			return req
		}, nil
	}
	parts := strings.SplitN(o.login, ":", 3)
	if len(parts) != 3 {
		return nil, errors.New("-login: want PATTERN:N:PASSWORD")
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 1 {
		return nil, errors.New("-login: N must be a positive number")
	}
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i], _ = json.Marshal(map[string]string{"email": fmt.Sprintf(parts[0], i+1), "password": parts[2]})
	}
	return func(k int) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(bodies[k%n]))
		req.Header.Set("Content-Type", "application/json")
		return req
	}, nil
}

func signIn(client *http.Client, u *url.URL, email, pw string) (string, error) {
	login := *u
	login.Path, login.RawQuery = "/api/v1/auth/login", ""
	body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
	resp, err := client.Post(login.String(), "application/json", bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.Data.Token == "" {
		return "", fmt.Errorf("sign in as %s: status %d", email, resp.StatusCode)
	}
	return out.Data.Token, nil
}

func errKind(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "refused"
	case strings.Contains(err.Error(), "connection reset"), strings.Contains(err.Error(), "EOF"):
		return "reset"
	}
	return "transport"
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[max(0, min(i-1, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// procKiB reads a "Key:   N kB" line of /proc/PID/status.
func procKiB(pid int, key string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			f, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return f
		}
	}
	return 0
}
