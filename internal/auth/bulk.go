package auth

import (
	"context"
	"runtime"

	"golang.org/x/sync/errgroup"
)

// HashPasswords hashes many passwords with HashPassword on a bounded pool of workers
// (the number of CPUs when workers < 1): argon2id takes ~50 ms and 19 MiB per hash, so a
// big import hashes its new people's one-time passwords in parallel, before its
// transaction. It stops early when ctx ends or a hash fails.
func HashPasswords(ctx context.Context, pws []string, workers int) ([]string, error) {
	if workers < 1 {
		workers = runtime.NumCPU()
	}
	hashes := make([]string, len(pws))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i, pw := range pws {
		if gctx.Err() != nil {
			break // a hash failed or ctx ended: start no more
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			h, err := HashPassword(pw)
			hashes[i] = h
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return hashes, err
	}
	return hashes, ctx.Err() // ctx may have ended after the last hash started
}
