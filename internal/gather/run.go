package gather

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// run is the state that every fact read in one invocation shares: the
// credentials (per account), one memo, the bound on calls in flight and
// the per-identity limits. A preflight has one run; an audit has one run
// for all of its buckets and accounts, so that a role used by forty rules,
// a key, a destination bucket shared by many sources, or an SCP is read
// once.
type run struct {
	ctx     context.Context
	cancel  context.CancelFunc
	access  Access
	rec     *Recorder
	lim     *limits
	sem     chan struct{}
	timeout time.Duration

	// base is the credentials of --profile or the chain; fixed are the
	// others given (a destination profile or role), each tried for the
	// accounts they belong to. roleName, when set, is assumed in any other
	// account (audits, --assume-role-name); audited lists the accounts an
	// audit enumerates, whose bucket listings tell bucket owners.
	base     *identity
	fixed    []*identity
	roleName string
	audited  []string
	// isAudit is whether the run enumerates accounts (Audited was non-nil):
	// fixed at the start, unlike audited, which SetAudited fills.
	isAudit bool

	// warm is the first round of calls newRun starts, which Gather waits
	// for before it returns.
	warm sync.WaitGroup
	// proven is closed once the base credentials' account and bucket
	// listing were read (or nil when newRun did not start them): the
	// endpoint answers as AWS does (endpointProven).
	proven chan struct{}

	mu      sync.Mutex
	memo    map[string]*memoEntry
	fatal   error
	assumed map[string]*identity // roleName sessions by account
	dests   map[string]bool      // buckets some configuration replicates to
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

// peek returns the value for key if it has been computed, without
// waiting.
func peek[T any](r *run, key string) (T, bool) {
	r.mu.Lock()
	e, ok := r.memo[key]
	r.mu.Unlock()
	var zero T
	if !ok {
		return zero, false
	}
	select {
	case <-e.done:
		return e.val.(T), true
	default:
		return zero, false
	}
}

// call runs one API call within the concurrency bound and the per-call
// timeout. Throttling the SDK's retries did not outlast is retried again,
// with exponential back-off and jitter, up to throttleRounds times: it
// never becomes a fact. A failure of the endpoint (endpointFailure:
// unreachable, not AWS, a 5xx after retries, or throttling through every
// round) is fatal to the run: it is recorded, the run is cancelled, and
// the error is returned like any other; except that an audit whose
// endpoint has proven itself survives a 5xx or a timeout (tolerate), whose
// facts are Unknown.
func call[T any](r *run, op string, f func(ctx context.Context) (T, error)) (T, error) {
	var out T
	var err error
	callCtx, slot := withResourceSlot(r.ctx)
	for round := 0; ; round++ {
		select {
		case r.sem <- struct{}{}:
		case <-r.ctx.Done():
			return out, r.ctx.Err()
		}
		ctx, cancel := context.WithTimeout(callCtx, r.timeout)
		out, err = f(ctx)
		cancel()
		<-r.sem
		if !isThrottle(err) || r.ctx.Err() != nil {
			break
		}
		if round == throttleRounds {
			r.fail(&EndpointError{Operation: op, Endpoint: endpointOf(err), Problem: Throttled,
				Err: fmt.Errorf("%w: %s", errThrottled, errorMessage(err))})
			return out, err
		}
		if serr := sleep(r.ctx, throttleDelay(round, r.access.MaxBackoff)); serr != nil {
			return out, serr
		}
	}
	if err != nil && r.ctx.Err() == nil {
		if fatal := endpointFailure(op, err); fatal != nil {
			if uerr := r.tolerate(op, fatal, err, slot.name); uerr != nil {
				return out, uerr
			}
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

// err is the run's fatal error, or the context's, or nil.
func (r *run) err() error {
	if r.ctx.Err() == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fatal != nil {
		return r.fatal
	}
	return r.ctx.Err()
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
