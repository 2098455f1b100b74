package http

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/compress"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// Benchmarks of the dashboard pages through a real listener (run with make bench, or
// go test -run '^$' -bench Dashboard ./internal/http). Each reports the median and the
// 99th percentile of the request times as p50-ms and p99-ms.

// listen serves the fixture's server on a loopback port and returns its base URL.
func (f *fixture) listen(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go f.srv.Serve(ln)                                 //nolint:errcheck
	tb.Cleanup(func() { f.srv.Shutdown(time.Second) }) //nolint:errcheck
	return "http://" + ln.Addr().String()
}

// benchGet requests url b.N times, one at a time, with the bearer token and reports p50 and p99.
func benchGet(b *testing.B, client *http.Client, url, token string) {
	benchLoad(b, client, url, token, 1, 0)
}

// benchGetEncoded is benchGet with an Accept-Encoding ("gzip", "br"): the bytes reported are
// the compressed ones, as sent.
func benchGetEncoded(b *testing.B, client *http.Client, url, token, accept string) {
	benchLoadEncoded(b, client, url, token, accept, 1, 0)
}

// benchLoad requests url b.N times from conns connections at once and reports p50, p99 and
// the throughput. With rate 0 it is a closed loop (each connection sends its next request
// when the last one is answered: the throughput, and latency = conns ÷ throughput). With a
// rate, request i is due at i/rate seconds and its latency counts from then (open loop, as
// wrk2: queueing behind a slow answer is not hidden).
func benchLoad(b *testing.B, client *http.Client, url, token string, conns int, rate float64) {
	b.Helper()
	// Set, so that Go's client does not ask for gzip on its own (and decompress it).
	benchLoadEncoded(b, client, url, token, "identity", conns, rate)
}

// benchLoadEncoded is benchLoad with an Accept-Encoding.
func benchLoadEncoded(b *testing.B, client *http.Client, url, token, accept string, conns int, rate float64) {
	b.Helper()
	get := func() {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept-Encoding", accept)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("GET %s: %d", url, res.StatusCode)
		}
		b.SetBytes(n)
	}
	get() // warm the pool and the caches
	times := make([]time.Duration, b.N)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	began := time.Now()
	for range conns {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				start := time.Now()
				if rate > 0 {
					start = began.Add(time.Duration(float64(i) / rate * float64(time.Second)))
					time.Sleep(time.Until(start))
				}
				get()
				times[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[min(len(times)-1, len(times)*99/100)]), "p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
}

// purging empties the server's view cache before each request it sends: every request
// renders the dashboard from the database, as the first view after a write does.
type purging struct {
	next  http.RoundTripper
	views *kit.ViewCache
}

func (p purging) RoundTrip(r *http.Request) (*http.Response, error) {
	p.views.Entries.Purge()
	return p.next.RoundTrip(r)
}

// timedGet requests url once with the bearer token and returns how long it took.
func timedGet(b *testing.B, client *http.Client, url, token string) time.Duration {
	b.Helper()
	return timedGetEncoded(b, client, url, token, "identity")
}

// timedGetEncoded is timedGet with an Accept-Encoding.
func timedGetEncoded(b *testing.B, client *http.Client, url, token, accept string) time.Duration {
	b.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept-Encoding", accept)
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took := time.Since(start)
	if res.StatusCode != 200 {
		b.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	b.SetBytes(n)
	return took
}

// benchAfter requests url b.N times, each after write(i) (untimed), and reports p50 and p99.
// With gzip it asks for the page gzipped twice after each write, as a browser's first and
// second views: the first is compressed as it is sent, the second spliced from the cached
// view's deflated copy, made then. Both count.
func benchAfter(b *testing.B, client *http.Client, url, token string, gzip bool, write func(int)) {
	b.Helper()
	get := func() time.Duration {
		if !gzip {
			return timedGet(b, client, url, token)
		}
		return timedGetEncoded(b, client, url, token, "gzip") + timedGetEncoded(b, client, url, token, "gzip")
	}
	get() // warm the pool and the caches
	times := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		write(i)
		b.StartTimer()
		times[i] = get()
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[min(len(times)-1, len(times)*99/100)]), "p99-ms")
}

// rater returns a write for benchAfter: write(i) records a leader rating of one of the
// team's PMs (a random level in "delivery", by the team's leader) and waits until this
// instance has heard of it, as after a request that writes. Random, not i mod 6: with a
// cycle the team's ratings came back to states already seen, and their charts from the
// chart cache, which a real team's next rating seldom finds.
func (f *fixture) rater(b *testing.B, slug string, teamID int64) func(int) {
	b.Helper()
	ctx := context.Background()
	var pms []int64
	var org, leaderID int64
	if err := f.db.SelectContext(ctx, &pms, `SELECT user_id FROM team_members WHERE team_id = $1 AND role = 'member' ORDER BY user_id`, teamID); err != nil {
		b.Fatal(err)
	}
	if err := f.db.QueryRowContext(ctx, `SELECT org_id, id FROM users WHERE email = $1`, "leader1@"+slug+".test").Scan(&org, &leaderID); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(19, uint64(teamID)))
	return func(i int) {
		level := rng.IntN(6)
		err := f.db.RecordRatings(ctx, app.RatingBatch{OrgID: org, SubjectID: pms[i%len(pms)], RaterID: leaderID,
			Kind: app.RatingLeader, Ratings: []app.RatingInput{{Competency: "delivery", Level: &level}}})
		if err != nil {
			b.Fatal(err)
		}
		f.srv.Sessions().CatchUp(ctx)
	}
}

// targeter returns a write for benchAfter: write(i) saves the team's targets (delivery's
// coverage 1 + i mod 3), a write to the structure, and waits until this instance has heard
// of it. The targets' past spans are deleted after each save: hundreds of saves would
// otherwise give the team a history no team has (each save closes the changed target's
// span), and each view would read and scan more of it than the one before.
func (f *fixture) targeter(b *testing.B, orgID, teamID int64) func(int) {
	b.Helper()
	return func(i int) {
		ctx := context.Background()
		err := f.db.SetTeamTargets(ctx, orgID, teamID, []app.TeamTarget{{Competency: "delivery", Coverage: 1 + i%3, Depth: 3, Criticality: 2}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.db.ExecContext(ctx, `DELETE FROM team_target_history WHERE team_id = $1 AND valid_to IS NOT NULL`, teamID); err != nil {
			b.Fatal(err)
		}
		f.srv.Sessions().CatchUp(ctx)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// benchOrgAfter: the organisation view after each write(i), against PostgreSQL alone finding
// every rater's latest rating in the organisation's history (pgtest.LatestPerRater) in the
// same iteration. Reports the medians distinct-on-ms and view-ms and the median of each
// iteration's view/distinct-on.
func benchOrgAfter(b *testing.B, f *fixture, client *http.Client, base string, orgID int64, token string, write func(int)) {
	b.Helper()
	var baseTimes, viewTimes []time.Duration
	var ratios []float64
	for i := range b.N {
		write(i)
		t0 := time.Now()
		rows, err := f.db.QueryContext(context.Background(), pgtest.LatestPerRater, orgID)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
		}
		rows.Close()
		t1 := time.Now()
		timedGet(b, client, base+"/api/v1/org/shape", token)
		baseTimes, viewTimes = append(baseTimes, t1.Sub(t0)), append(viewTimes, time.Since(t1))
		ratios = append(ratios, float64(viewTimes[i])/float64(baseTimes[i]))
	}
	slices.Sort(baseTimes)
	slices.Sort(viewTimes)
	slices.Sort(ratios)
	b.ReportMetric(ms(baseTimes[len(baseTimes)/2]), "distinct-on-ms")
	b.ReportMetric(ms(viewTimes[len(viewTimes)/2]), "view-ms")
	b.ReportMetric(ratios[len(ratios)/2], "view/distinct-on")
}

// BenchmarkDashboardTeam: the team dashboard of a team of 20 PMs × 16 competencies, as its
// leader (everything: heatmap, shapes, trend) and as an HR partner (aggregate only).
func BenchmarkDashboardTeam(b *testing.B) {
	f := newFixture(b)
	g, err := pgtest.GenerateOrg(context.Background(), f.db, pgtest.GenSpec{Slug: "bench", Teams: 1, PerTeam: 20})
	if err != nil {
		b.Fatal(err)
	}
	f.syncSessions(b) // as served: sessions, versions and the bell from memory
	base := f.listen(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	team := fmt.Sprintf("/teams/%d", g.TeamIDs[0])
	leader := f.token(b, "leader1@bench.test")
	b.Run("page-leader", func(b *testing.B) { benchGet(b, client, base+team, leader) })
	b.Run("page-leader-uncached", func(b *testing.B) {
		uncached := &http.Client{Transport: purging{next: client.Transport, views: f.srv.Views}}
		benchGet(b, uncached, base+team, leader)
	})
	// The first view after a write, as it happens: a leader rating of one of the team's PMs
	// (through the store, untimed; the instance catches up with it as after a request
	// that writes), then the page.
	b.Run("page-leader-after-rating", func(b *testing.B) {
		rate := f.rater(b, "bench", g.TeamIDs[0])
		benchAfter(b, client, base+team, leader, false, rate)
	})
	// After a write to the structure (the team's targets saved): the views read it again.
	b.Run("page-leader-after-targets", func(b *testing.B) {
		benchAfter(b, client, base+team, leader, false, f.targeter(b, g.Org.ID, g.TeamIDs[0]))
	})
	b.Run("page-leader-after-rating-gzip-twice", func(b *testing.B) {
		rate := f.rater(b, "bench", g.TeamIDs[0])
		benchAfter(b, client, base+team, leader, true, rate)
	})
	b.Run("page-leader-self-view", func(b *testing.B) { benchGet(b, client, base+team+"?view=self", f.token(b, "leader1@bench.test")) })
	b.Run("page-hr", func(b *testing.B) { benchGet(b, client, base+team, f.token(b, "hr@bench.test")) })
	// Compressed: gzip is spliced from the view cache's deflated content (only the layout is
	// compressed per request); brotli, which cannot be spliced, is the compress middleware's.
	for _, enc := range []string{"gzip", "br"} {
		b.Run("page-leader-"+enc, func(b *testing.B) { benchGetEncoded(b, client, base+team, leader, enc) })
		b.Run("page-leader-uncached-"+enc, func(b *testing.B) {
			uncached := &http.Client{Transport: purging{next: client.Transport, views: f.srv.Views}}
			benchGetEncoded(b, uncached, base+team, leader, enc)
		})
		b.Run("api-heatmap-"+enc, func(b *testing.B) {
			benchGetEncoded(b, client, base+"/api/v1"+team+"/heatmap", f.token(b, "leader1@bench.test"), enc)
		})
	}
	b.Run("page-leader-gzip-50conns-rate0", func(b *testing.B) { benchLoadEncoded(b, client, base+team, leader, "gzip", 50, 0) })
	// 50 connections: open loop at 500 and 1,000 pages a second, then as fast as answered.
	for _, rate := range []float64{500, 1000, 0} {
		b.Run(fmt.Sprintf("page-leader-50conns-rate%g", rate), func(b *testing.B) { benchLoad(b, client, base+team, leader, 50, rate) })
	}
	b.Run("api-me-50conns-rate0", func(b *testing.B) { benchLoad(b, client, base+"/api/v1/me", leader, 50, 0) })
	b.Run("api-shape", func(b *testing.B) {
		benchGet(b, client, base+"/api/v1"+team+"/shape", f.token(b, "leader1@bench.test"))
	})
	b.Run("api-heatmap", func(b *testing.B) {
		benchGet(b, client, base+"/api/v1"+team+"/heatmap", f.token(b, "leader1@bench.test"))
	})
}

// BenchmarkDashboardOrg: the organisation view of 5,000 PMs in 250 teams (compare with
// BenchmarkOrgRollupSQL in internal/postgres, the bare SQL it runs), from the view cache
// and uncached (the first view after a write).
func BenchmarkDashboardOrg(b *testing.B) {
	f := newFixture(b)
	g, err := pgtest.GenerateOrg(context.Background(), f.db, pgtest.GenSpec{Slug: "big", Teams: 250, PerTeam: 20})
	if err != nil {
		b.Fatal(err)
	}
	f.syncSessions(b)
	base := f.listen(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.Run("api-org-shape", func(b *testing.B) { benchGet(b, client, base+"/api/v1/org/shape", f.token(b, "admin@big.test")) })
	// The first view after a write: a leader rating in team 1, then the organisation view,
	// against PostgreSQL alone finding every rater's latest rating in the organisation's
	// history (pgtest.LatestPerRater) in the same iteration. Reports the medians
	// distinct-on-ms and view-ms and the median of each iteration's view/distinct-on.
	b.Run("api-org-shape-after-rating", func(b *testing.B) {
		benchOrgAfter(b, f, client, base, g.Org.ID, f.token(b, "admin@big.test"), f.rater(b, "big", g.TeamIDs[0]))
	})
	// After a write to the structure: team 1's targets saved. Every instance reads the
	// structure again (internal/readcache); the teams whose inputs are unchanged keep their
	// summaries.
	b.Run("api-org-shape-after-targets", func(b *testing.B) {
		benchOrgAfter(b, f, client, base, g.Org.ID, f.token(b, "admin@big.test"), f.targeter(b, g.Org.ID, g.TeamIDs[0]))
	})
	b.Run("api-org-shape-uncached", func(b *testing.B) {
		uncached := &http.Client{Transport: purging{next: client.Transport, views: f.srv.Views}}
		benchGet(b, uncached, base+"/api/v1/org/shape", f.token(b, "admin@big.test"))
	})
	b.Run("page-org", func(b *testing.B) { benchGet(b, client, base+"/org", f.token(b, "admin@big.test")) })
	b.Run("page-hr", func(b *testing.B) { benchGet(b, client, base+"/hr", f.token(b, "hr@big.test")) })
}

// BenchmarkPageCompression: the CPU one compressed dashboard page costs (20 PMs, as its
// leader): gzip spliced from the view cache's deflated content and the layout cache's
// deflated halves (nothing compressed per request, what a cached view costs), against compressing the whole page per request
// (what the compress middleware does for pages that are not cached). "bytes" is the
// compressed size.
func BenchmarkPageCompression(b *testing.B) {
	f := newFixture(b)
	g, err := pgtest.GenerateOrg(context.Background(), f.db, pgtest.GenSpec{Slug: "bench", Teams: 1, PerTeam: 20})
	if err != nil {
		b.Fatal(err)
	}
	team := fmt.Sprintf("/teams/%d", g.TeamIDs[0])
	page := f.do(b, "GET", team, f.token(b, "leader1@bench.test"), nil).Body
	var cached kit.CachedView
	for _, k := range f.srv.Views.Entries.Keys() {
		cached, _ = f.srv.Views.Entries.Peek(k)
	}
	i := bytes.Index(page, []byte(cached.Body))
	if cached.Body == "" || i < 0 {
		b.Fatal("the page's cached content is not in the page")
	}
	top, bottom := page[:i], page[i+len(cached.Body):]
	b.Logf("page %d bytes: layout %d + %d, content %d (deflated %d)", len(page), len(top), len(bottom), len(cached.Body), cached.Packed().Len())
	packedTop, _ := compress.Deflate(string(top))
	packedBottom, _ := compress.Deflate(string(bottom))
	b.Run("gzip-spliced", func(b *testing.B) {
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			if err := compress.WriteGzipOf(&out, packedTop, cached.Packed(), packedBottom); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(out.Len()), "bytes")
	})
	b.Run("deflate-on-cache-fill", func(b *testing.B) {
		var d compress.Deflated
		for b.Loop() {
			d, _ = compress.Deflate(cached.Body)
		}
		b.ReportMetric(float64(d.Len()), "bytes")
	})
	// What the compress middleware runs (fasthttp's pooled encoders), at its "best speed"
	// levels (brotli 0, gzip 1) and its default ones (brotli 4, gzip 6).
	for _, c := range []struct {
		enc    string
		level  int
		append func(dst, src []byte, level int) []byte
	}{
		{"br", 0, fasthttp.AppendBrotliBytesLevel}, {"br", 4, fasthttp.AppendBrotliBytesLevel},
		{"gzip", 1, fasthttp.AppendGzipBytesLevel}, {"gzip", 6, fasthttp.AppendGzipBytesLevel},
	} {
		b.Run(fmt.Sprintf("whole-page-%s-%d", c.enc, c.level), func(b *testing.B) {
			var out []byte
			for b.Loop() {
				out = c.append(out[:0], page, c.level)
			}
			b.ReportMetric(float64(len(out)), "bytes")
		})
	}
}
