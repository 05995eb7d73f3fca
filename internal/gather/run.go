package gather

import (
	"context"
	"sync"
	"time"
)

// run is the state of one gathering run.
type run struct {
	ctx     context.Context
	cancel  context.CancelFunc
	src     *side
	dst     *side // nil without destination credentials
	sem     chan struct{}
	timeout time.Duration

	mu    sync.Mutex
	memo  map[string]*memoEntry
	fatal error
}

type memoEntry struct {
	done chan struct{}
	val  any
}

// once computes the value for key once per run; concurrent callers wait
// for the first. This is what makes each fact fetched once.
func once[T any](r *run, key string, compute func() T) T {
	r.mu.Lock()
	e, ok := r.memo[key]
	if !ok {
		e = &memoEntry{done: make(chan struct{})}
		r.memo[key] = e
		r.mu.Unlock()
		e.val = compute()
		close(e.done)
		return e.val.(T)
	}
	r.mu.Unlock()
	<-e.done
	return e.val.(T)
}

// call runs one API call within the concurrency bound and the per-call
// timeout. A failure of the endpoint (endpointFailure: unreachable, not
// AWS, a 5xx after retries) is fatal to the run: it is recorded, the run
// is cancelled, and the error is returned like any other.
func call[T any](r *run, op string, f func(ctx context.Context) (T, error)) (T, error) {
	select {
	case r.sem <- struct{}{}:
	case <-r.ctx.Done():
		var zero T
		return zero, r.ctx.Err()
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.timeout)
	out, err := f(ctx)
	cancel()
	<-r.sem
	if err != nil && r.ctx.Err() == nil {
		if fatal := endpointFailure(op, err); fatal != nil {
			r.fail(fatal)
		}
	}
	return out, err
}

// fail records the first fatal error and cancels the run.
func (r *run) fail(err error) {
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
	}
	r.mu.Unlock()
	r.cancel()
}

// parallel runs fs concurrently and waits for all.
func parallel(fs ...func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}
