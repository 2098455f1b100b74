package auth

import (
	"context"
	"runtime"
	"sync"
)

// HashPasswords hashes many passwords with HashPassword on a bounded pool of workers
// (the number of CPUs when workers < 1): argon2id takes ~50 ms and 19 MiB per hash, so a
// big import hashes its new people's one-time passwords in parallel, before its
// transaction. It stops early when ctx ends.
func HashPasswords(ctx context.Context, pws []string, workers int) ([]string, error) {
	if workers < 1 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, len(pws))
	hashes := make([]string, len(pws))
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				h, err := HashPassword(pws[i])
				if err != nil {
					errs <- err
					return
				}
				hashes[i] = h
			}
		}()
	}
	var err error
send:
	for i := range pws {
		select {
		case jobs <- i:
		case err = <-errs:
			break send
		case <-ctx.Done():
			err = ctx.Err()
			break send
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err == nil {
		err = <-errs // nil when the channel is empty
	}
	return hashes, err
}
