// Command faults puts a running Teamshape through three faults and checks what it does;
// scripts/faults.sh prepares the binary and a private, migrated, seeded database first.
//
//	restart  PostgreSQL is stopped under load and started again: while it is down every
//	         answer is a fast 503 (never a 500, never a refused or hung request); within
//	         5 s of it being back every answer is a 200; the server never exits. A second
//	         session, in use throughout (so in the server's session cache), is signed out
//	         as soon as PostgreSQL is back, while the server may still be reconnecting its
//	         change feed: no request with it is accepted after that.
//	kill     the server is killed with SIGKILL while rating batches are being written:
//	         afterwards every batch (one unique note marker) has all its rows or none,
//	         and every batch that was answered 200 has all of them.
//	drain    a request is in flight (held by a table lock) when SIGTERM arrives: it
//	         completes with 200, a new connection is refused meanwhile, and the server
//	         exits 0 once it is done.
//
// It starts and stops only processes it started (the servers; the PostgreSQL cluster
// through -pg, which must be scripts/pg.sh pointed at a PRIVATE cluster).
//
//	go run ./scripts/faults -bin ./teamshape -db URL -pg scripts/pg.sh [-port 18180] [restart kill drain]
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
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
)

const password = "demo-password-123"

var (
	bin    = flag.String("bin", "", "teamshape binary")
	dbURL  = flag.String("db", "", "database URL (migrated, demo seeded)")
	pgCmd  = flag.String("pg", "", "scripts/pg.sh for the private cluster (its env: PG_SKIP_LOCAL, PG_PORT, PG_DATA_ROOT)")
	port   = flag.Int("port", 18180, "server port")
	logDir = flag.String("logs", os.TempDir(), "where server logs go")
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "writer" {
		writer(os.Args[2:]) // the direct-RecordRatings child of the kill test
		return
	}
	flag.Parse()
	if *bin == "" || *dbURL == "" {
		fmt.Fprintln(os.Stderr, "faults: -bin and -db are required")
		os.Exit(2)
	}
	tests := flag.Args()
	if len(tests) == 0 {
		tests = []string{"restart", "kill", "drain"}
	}
	failed := false
	for _, name := range tests {
		fn := map[string]func() error{"restart": testRestart, "kill": testKill, "drain": testDrain}[name]
		if fn == nil {
			fmt.Fprintf(os.Stderr, "faults: unknown test %q\n", name)
			os.Exit(2)
		}
		fmt.Printf("== %s\n", name)
		if err := fn(); err != nil {
			fmt.Printf("FAIL %s: %v\n", name, err)
			failed = true
		} else {
			fmt.Printf("PASS %s\n", name)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// ---------------------------------------------------------------- the server process

type server struct {
	cmd  *exec.Cmd
	base string
	done chan error
	log  string
}

func startServer(name string) (*server, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", *port)
	logPath := fmt.Sprintf("%s/faults-%s.log", *logDir, name)
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(*bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+*dbURL, "TEAMSHAPE_ADDR="+addr,
		"TEAMSHAPE_JWT_SECRET=faults-test-secret-of-at-least-32-bytes!", "TEAMSHAPE_DEV=")
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, done: make(chan error, 1), log: logPath}
	go func() { s.done <- cmd.Wait(); lf.Close() }()
	for i := 0; i < 300; i++ {
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("server exited at start: %v (log %s)", err, logPath)
		case <-time.After(100 * time.Millisecond):
		}
	}
	s.stop()
	return nil, errors.New("server not ready after 30 s")
}

func (s *server) alive() bool {
	select {
	case err := <-s.done:
		s.done <- err
		return false
	default:
		return true
	}
}

func (s *server) stop() {
	if s.alive() {
		s.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	}
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.cmd.Process.Kill() //nolint:errcheck
		<-s.done
	}
}

func signIn(base, email string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&out) //nolint:errcheck
	if resp.StatusCode != 200 || out.Data.Token == "" {
		return "", fmt.Errorf("sign in as %s: %d", email, resp.StatusCode)
	}
	return out.Data.Token, nil
}

func do(client *http.Client, method, url, token string, body []byte) (int, time.Duration, error) {
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, time.Since(t0), err
	}
	io.Copy(io.Discard, resp.Body) //nolint:errcheck
	resp.Body.Close()
	return resp.StatusCode, time.Since(t0), nil
}

func pg(arg string) error {
	if *pgCmd == "" {
		return errors.New("-pg is required for this test")
	}
	cmd := exec.Command(*pgCmd, arg)
	// without DATABASE_URL, pg.sh manages the private cluster named by PG_* (its step c)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "DATABASE_URL=") })
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	return cmd.Run()
}

// ---------------------------------------------------------------- restart

type sample struct {
	at      time.Time
	status  int
	latency time.Duration
	err     error
}

func testRestart() error {
	if strings.Contains(*dbURL, ":5432/") {
		return errors.New("refusing to restart the shared server on :5432")
	}
	s, err := startServer("restart")
	if err != nil {
		return err
	}
	defer s.stop()
	token, err := signIn(s.base, "leader@demo.test")
	if err != nil {
		return err
	}
	doomed, err := signIn(s.base, "pm@demo.test") // signed out once PostgreSQL is back
	if err != nil {
		return err
	}
	teamPage := s.base + "/teams/" + firstTeam(token, s.base)
	client := &http.Client{Timeout: 15 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	var (
		mu      sync.Mutex
		samples []sample
		ended   []sample // the doomed session's
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for ctx.Err() == nil {
			t0 := time.Now()
			st, d, err := do(client, "GET", s.base+"/api/v1/me", doomed, nil)
			mu.Lock()
			ended = append(ended, sample{t0, st, d, err})
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
		}
	}()
	for w := 0; w < 8; w++ { // 8 clients, each at most one request every 20 ms
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := s.base + "/api/v1/me"
			if w%2 == 1 {
				url = teamPage
			}
			for ctx.Err() == nil {
				t0 := time.Now()
				st, d, err := do(client, "GET", url, token, nil)
				mu.Lock()
				samples = append(samples, sample{t0, st, d, err})
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	time.Sleep(3 * time.Second)
	stopAt := time.Now()
	if err := pg("stop"); err != nil {
		cancel()
		wg.Wait()
		return fmt.Errorf("stop PostgreSQL: %w", err)
	}
	downAt := time.Now()
	fmt.Printf("  PostgreSQL stopped (pg.sh stop took %s); down for 5 s\n", downAt.Sub(stopAt).Round(time.Millisecond))
	time.Sleep(5 * time.Second)
	startAt := time.Now()
	if err := pg("admin"); err != nil {
		cancel()
		wg.Wait()
		return fmt.Errorf("start PostgreSQL: %w", err)
	}
	upAt := time.Now()
	fmt.Printf("  PostgreSQL accepting connections again (start took %s)\n", upAt.Sub(startAt).Round(time.Millisecond))
	var signedOut time.Time
	for signedOut.IsZero() && time.Since(upAt) < 5*time.Second {
		if st, _, _ := do(client, "POST", s.base+"/api/v1/auth/logout", doomed, nil); st == 200 {
			signedOut = time.Now()
		} else {
			time.Sleep(2 * time.Millisecond)
		}
	}
	time.Sleep(10*time.Second - time.Since(upAt))
	cancel()
	wg.Wait()

	var problems []string
	count := func(from, to time.Time) map[string]int {
		m := map[string]int{}
		for _, x := range samples {
			if x.at.Before(from) || !x.at.Before(to) {
				continue
			}
			if x.err != nil {
				m["transport error"]++
			} else {
				m[fmt.Sprint(x.status)]++
			}
		}
		return m
	}
	fmt.Printf("  answers before: %v; while stopping: %v; while down: %v; while starting: %v; after: %v\n",
		count(time.Time{}, stopAt), count(stopAt, downAt), count(downAt, startAt), count(startAt, upAt), count(upAt, time.Now()))
	var downLat []time.Duration
	var firstOK time.Time
	lastBad := time.Time{}
	for _, x := range samples {
		if x.err != nil || (x.status != 200 && x.status != 503) {
			problems = append(problems, fmt.Sprintf("at +%s: status %d err %v", x.at.Sub(stopAt).Round(time.Millisecond), x.status, x.err))
		}
		if !x.at.Before(downAt) && x.at.Before(startAt) {
			downLat = append(downLat, x.latency)
			if x.status != 503 {
				problems = append(problems, fmt.Sprintf("while down: status %d (want 503)", x.status))
			}
		}
		if !x.at.Before(upAt) {
			if x.status == 200 && firstOK.IsZero() {
				firstOK = x.at.Add(x.latency)
			}
			if x.status != 200 && x.at.After(lastBad) {
				lastBad = x.at.Add(x.latency)
			}
		}
	}
	slices.Sort(downLat)
	if len(downLat) == 0 {
		problems = append(problems, "no requests while PostgreSQL was down")
	} else {
		p99 := downLat[(len(downLat)*99)/100]
		fmt.Printf("  503 latency while down: p50 %s, p99 %s, max %s over %d requests\n",
			downLat[len(downLat)/2].Round(time.Microsecond), p99.Round(time.Microsecond), downLat[len(downLat)-1].Round(time.Microsecond), len(downLat))
		if p99 > time.Second {
			problems = append(problems, fmt.Sprintf("503s are not fast: p99 %s", p99))
		}
	}
	recovered := upAt
	if !lastBad.IsZero() {
		recovered = lastBad
	}
	fmt.Printf("  first 200 %s after PostgreSQL was back; last non-200 %s after\n",
		firstOK.Sub(upAt).Round(time.Millisecond), recovered.Sub(upAt).Round(time.Millisecond))
	if firstOK.IsZero() || recovered.Sub(upAt) > 5*time.Second {
		problems = append(problems, "did not recover within 5 s")
	}
	if signedOut.IsZero() {
		problems = append(problems, "could not sign the second session out within 5 s of PostgreSQL being back")
	} else {
		after := map[string]int{}
		for _, x := range ended {
			if x.at.Before(signedOut) {
				continue
			}
			after[fmt.Sprint(x.status)]++
			if x.err != nil || x.status != 401 && x.status != 503 {
				problems = append(problems, fmt.Sprintf("the signed-out session at +%s after its sign-out: status %d err %v",
					x.at.Sub(signedOut).Round(time.Millisecond), x.status, x.err))
			}
		}
		fmt.Printf("  second session signed out %s after PostgreSQL was back; its answers after: %v\n",
			signedOut.Sub(upAt).Round(time.Millisecond), after)
	}
	if !s.alive() {
		problems = append(problems, "the server exited")
	}
	if b, _ := os.ReadFile(s.log); bytes.Contains(b, []byte("panic")) {
		problems = append(problems, "the server log shows a panic: "+s.log)
	}
	return joinProblems(problems)
}

func firstTeam(token, base string) string {
	req, _ := http.NewRequest("GET", base+"/api/v1/teams", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "0"
	}
	defer resp.Body.Close()
	var out struct {
		Data []struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	json.NewDecoder(resp.Body).Decode(&out) //nolint:errcheck
	if len(out.Data) == 0 {
		return "0"
	}
	return fmt.Sprint(out.Data[0].ID)
}

func joinProblems(p []string) error {
	if len(p) == 0 {
		return nil
	}
	if len(p) > 12 {
		p = append(p[:12], fmt.Sprintf("… and %d more", len(p)-12))
	}
	return errors.New(strings.Join(p, "\n  "))
}

// ---------------------------------------------------------------- kill -9

// A batch is one unique marker, written into every rating's note.
func batchBody(keys []string, marker string, n int) []byte {
	rs := make([]app.RatingInput, len(keys))
	for i, k := range keys {
		l := (n + i) % 6
		rs[i] = app.RatingInput{Competency: k, Level: &l, Note: marker}
	}
	b, _ := json.Marshal(map[string]any{"ratings": rs})
	return b
}

func testKill() error {
	ctx := context.Background()
	db, err := postgres.Open(ctx, *dbURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	var keys []string
	if err := db.SelectContext(ctx, &keys, `SELECT c.key FROM competencies c JOIN organisations o ON o.id = c.org_id
		WHERE o.slug = 'demo' AND NOT c.archived AND NOT c.leads_only ORDER BY c.position`); err != nil {
		return err
	}
	run := fmt.Sprintf("fault-%d", time.Now().UnixNano())
	s, err := startServer("kill")
	if err != nil {
		return err
	}
	defer s.stop()
	pms := []string{"pm@demo.test", "pm2@demo.test", "pm3@demo.test", "pm4@demo.test", "pm5@demo.test", "pm6@demo.test", "other-pm@demo.test", "leader@demo.test"}
	tokens := make([]string, len(pms))
	for i, e := range pms {
		if tokens[i], err = signIn(s.base, e); err != nil {
			return err
		}
	}
	client := &http.Client{Timeout: 10 * time.Second}
	st, _, err := do(client, "PUT", s.base+"/api/v1/me/ratings", tokens[0], batchBody(keys, run+"-probe", 0))
	if err != nil {
		return err
	}
	acked := map[string]bool{}
	var sent []string
	if st == 404 {
		fmt.Println("  PUT /api/v1/me/ratings does not exist on this build: killing a process that calls RecordRatings directly")
		sent, acked, err = killDirect(run, keys)
		if err != nil {
			return err
		}
	} else {
		if st != 200 {
			return fmt.Errorf("PUT /api/v1/me/ratings answered %d", st)
		}
		acked[run+"-probe"] = true
		sent = append(sent, run+"-probe")
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					m := fmt.Sprintf("%s-w%d-%d", run, w, n)
					mu.Lock()
					sent = append(sent, m)
					mu.Unlock()
					st, _, err := do(client, "PUT", s.base+"/api/v1/me/ratings", tokens[w], batchBody(keys, m, n))
					if err != nil {
						return // the server is gone
					}
					if st == 200 {
						mu.Lock()
						acked[m] = true
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(3 * time.Second)
		s.cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
		<-s.done
		s.done <- errors.New("killed")
		close(stop)
		wg.Wait()
		fmt.Printf("  killed the server with SIGKILL after 3 s of %d writers\n", len(tokens))
	}
	if err := checkBatches(ctx, db, run, sent, acked, len(keys)); err != nil {
		return err
	}
	again, err := startServer("kill-restart")
	if err != nil {
		return fmt.Errorf("the server does not start again after the kill: %w", err)
	}
	again.stop()
	fmt.Println("  a new server starts and answers /readyz on the same database")
	return nil
}

// killDirect runs this program as a child that records batches with RecordRatings in a
// loop, kills it with SIGKILL after 3 s, and reads the markers it reported.
func killDirect(run string, keys []string) (sent []string, acked map[string]bool, err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(self, "writer", *dbURL, run)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	acked = map[string]bool{}
	lines := make(chan string)
	go func() {
		b, _ := io.ReadAll(out)
		for _, l := range strings.Split(string(b), "\n") {
			lines <- l
		}
		close(lines)
	}()
	time.Sleep(3 * time.Second)
	cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
	for l := range lines {
		if m, ok := strings.CutPrefix(l, "sent "); ok {
			sent = append(sent, m)
		} else if m, ok := strings.CutPrefix(l, "ok "); ok {
			acked[m] = true
		}
	}
	cmd.Wait() //nolint:errcheck
	fmt.Printf("  killed the writer with SIGKILL after 3 s\n")
	return sent, acked, nil
}

// writer: faults writer DBURL RUN — records demo batches until killed.
func writer(args []string) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, args[0], 8)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var subjects []struct {
		ID    int64 `db:"id"`
		OrgID int64 `db:"org_id"`
	}
	db.SelectContext(ctx, &subjects, `SELECT u.id, u.org_id FROM users u JOIN organisations o ON o.id = u.org_id
		WHERE o.slug = 'demo' AND u.role = 'pm'`) //nolint:errcheck
	var keys []string
	db.SelectContext(ctx, &keys, `SELECT c.key FROM competencies c JOIN organisations o ON o.id = c.org_id
		WHERE o.slug = 'demo' AND NOT c.archived AND NOT c.leads_only ORDER BY c.position`) //nolint:errcheck
	var mu sync.Mutex
	for w := 0; w < 8; w++ {
		go func() {
			for n := 0; ; n++ {
				m := fmt.Sprintf("%s-w%d-%d", args[1], w, n)
				s := subjects[(w+n)%len(subjects)]
				rs := make([]app.RatingInput, len(keys))
				for i, k := range keys {
					l := (n + i) % 6
					rs[i] = app.RatingInput{Competency: k, Level: &l, Note: m}
				}
				mu.Lock()
				fmt.Println("sent " + m)
				mu.Unlock()
				err := db.RecordRatings(ctx, app.RatingBatch{OrgID: s.OrgID, SubjectID: s.ID, RaterID: s.ID, Kind: app.RatingSelf, Ratings: rs})
				if err == nil {
					mu.Lock()
					fmt.Println("ok " + m)
					mu.Unlock()
				}
			}
		}()
	}
	select {}
}

func checkBatches(ctx context.Context, db *postgres.DB, run string, sent []string, acked map[string]bool, size int) error {
	var rows []struct {
		Note string `db:"note"`
		N    int    `db:"n"`
	}
	if err := db.SelectContext(ctx, &rows, `SELECT note, count(*) AS n FROM ratings WHERE note LIKE $1 || '-%' GROUP BY note`, run); err != nil {
		return err
	}
	got := map[string]int{}
	for _, r := range rows {
		got[r.Note] = r.N
	}
	var problems []string
	full, none, unacked := 0, 0, 0
	for _, m := range sent {
		switch n := got[m]; {
		case n == size:
			full++
			if !acked[m] {
				unacked++ // committed, but the answer was lost with the process: fine
			}
		case n == 0:
			none++
			if acked[m] {
				problems = append(problems, fmt.Sprintf("batch %s was answered 200 but is missing", m))
			}
		default:
			problems = append(problems, fmt.Sprintf("batch %s is partial: %d of %d rows", m, n, size))
		}
	}
	for m := range got {
		if !slices.Contains(sent, m) {
			problems = append(problems, "rows for a batch never sent: "+m)
		}
	}
	fmt.Printf("  %d batches sent, %d answered 200; in the database: %d complete (%d of them unanswered), %d absent, %d partial\n",
		len(sent), len(acked), full, unacked, none, len(sent)-full-none)
	if len(acked) == 0 {
		problems = append(problems, "no batch was written before the kill")
	}
	return joinProblems(problems)
}

// ---------------------------------------------------------------- drain

func testDrain() error {
	ctx := context.Background()
	s, err := startServer("drain")
	if err != nil {
		return err
	}
	defer s.stop()
	token, err := signIn(s.base, "leader@demo.test")
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, *dbURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	// Hold the sessions table so that the next authenticated request waits inside its handler.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, `LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE`); err != nil {
		return err
	}
	type answer struct {
		status int
		d      time.Duration
		err    error
	}
	inflight := make(chan answer, 1)
	go func() {
		st, d, err := do(&http.Client{Timeout: 20 * time.Second}, "GET", s.base+"/api/v1/me", token, nil)
		inflight <- answer{st, d, err}
	}()
	time.Sleep(700 * time.Millisecond) // the request is now waiting on the lock
	var problems []string
	select {
	case a := <-inflight:
		return fmt.Errorf("the request finished before SIGTERM (%d %v): the lock did not hold it", a.status, a.err)
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	fmt.Println("  SIGTERM sent while GET /api/v1/me waits on a table lock")
	time.Sleep(500 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.base, "http://"), time.Second); err == nil {
		c.Close()
		problems = append(problems, "a new connection was accepted after SIGTERM")
	} else {
		fmt.Printf("  new connection after SIGTERM: %v\n", err)
	}
	if !s.alive() {
		problems = append(problems, "the server exited with a request in flight")
	}
	tx.Rollback() //nolint:errcheck // release the lock
	a := <-inflight
	fmt.Printf("  in-flight request: status %d after %s (err %v)\n", a.status, a.d.Round(time.Millisecond), a.err)
	if a.err != nil || a.status != 200 {
		problems = append(problems, fmt.Sprintf("in-flight request got %d %v, want 200", a.status, a.err))
	}
	select {
	case err := <-s.done:
		s.done <- err
		fmt.Printf("  server exited: %v\n", exitText(err))
		if err != nil {
			problems = append(problems, "server exit: "+err.Error())
		}
	case <-time.After(20 * time.Second):
		problems = append(problems, "server still running 20 s after SIGTERM")
	}
	return joinProblems(problems)
}

func exitText(err error) string {
	if err == nil {
		return "status 0"
	}
	return err.Error()
}
