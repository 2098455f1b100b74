// Command load is a small HTTP load generator for Teamshape: it signs in once through the
// API, then sends GETs of the paths over -c connections for -d, and reports the request rate
// and latency percentiles.
//
// Without -rate each connection sends its next request as soon as the last one is answered
// (closed loop, like wrk: it measures the throughput). With -rate the requests are sent on a
// fixed schedule, spread over the connections, and each latency counts from the moment its
// request was due (open loop, like wrk2: it measures latency at that load without hiding
// queueing).
//
//	go run ./scripts/load -base http://127.0.0.1:8080 -email leader1@big.test -password … -c 50 -d 20s /teams/1
//	go run ./scripts/load … -c 50 -rate 50 -d 20s /teams/1
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server URL")
	email := flag.String("email", "", "sign in as")
	password := flag.String("password", os.Getenv("TEAMSHAPE_DEMO_PASSWORD"), "password")
	conns := flag.Int("c", 50, "concurrent connections")
	dur := flag.Duration("d", 20*time.Second, "duration")
	warm := flag.Duration("warmup", 2*time.Second, "warm-up before measuring")
	rate := flag.Float64("rate", 0, "requests per second in all (0: as fast as answered)")
	flag.Parse()
	if *email == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: load -base URL -email E -password P [-c 50] [-d 20s] PATH…")
		os.Exit(2)
	}
	if err := run(*base, *email, *password, *conns, *rate, *dur, *warm, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(base, email, password string, conns int, rate float64, dur, warm time.Duration, paths []string) error {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
	token, err := signIn(client, base, email, password)
	if err != nil {
		return err
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      atomic.Int64
		bytesRead atomic.Int64
	)
	start := time.Now()
	measureFrom, stop := start.Add(warm), start.Add(warm+dur)
	// due yields when each request should start: now (closed loop) or on the schedule.
	due := func() (time.Time, bool) { t := time.Now(); return t, t.Before(stop) }
	if rate > 0 {
		schedule := make(chan time.Time, conns)
		go func() {
			defer close(schedule)
			for i := 0; ; i++ {
				t := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
				if t.After(stop) {
					return
				}
				time.Sleep(time.Until(t))
				schedule <- t
			}
		}()
		due = func() (time.Time, bool) { t, ok := <-schedule; return t, ok }
	}
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := w; ; i++ {
				t0, ok := due()
				if !ok {
					break
				}
				n, err := get(client, base+paths[i%len(paths)], token)
				if t0.Before(measureFrom) {
					continue
				}
				if err != nil {
					errs.Add(1)
					continue
				}
				bytesRead.Add(n)
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(latencies) == 0 {
		return fmt.Errorf("no successful requests (%d errors)", errs.Load())
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))] }
	mode := "closed loop"
	if rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f requests/s", rate)
	}
	fmt.Printf("paths %v, %d connections, %s, %s (after %s warm-up)\n", paths, conns, mode, dur, warm)
	fmt.Printf("requests %d (%.0f/s), errors %d, %.1f MB read\n", len(latencies), float64(len(latencies))/dur.Seconds(),
		errs.Load(), float64(bytesRead.Load())/1e6)
	fmt.Printf("latency p50 %s  p90 %s  p99 %s  max %s\n", ms(pct(0.50)), ms(pct(0.90)), ms(pct(0.99)), ms(latencies[len(latencies)-1]))
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func signIn(client *http.Client, base, email, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := client.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Data.Token == "" {
		return "", fmt.Errorf("sign in as %s: status %d", email, res.StatusCode)
	}
	return out.Data.Token, nil
}

func get(client *http.Client, url, token string) (int64, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", res.StatusCode)
	}
	return n, err
}
