package gather

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"
)

// Limits keep replcheck polite: besides the run's bound on calls in
// flight (Options.Concurrency), each set of credentials may have at most
// perService calls in flight to one service, and IAM, which is global and
// throttles early (performance.md §2), gets a client-side rate limit per
// set of credentials (that is, per account). Throttling that still
// happens is retried with backoff and jitter (call), never reported.
const (
	// perService bounds one identity's calls in flight to one service; S3
	// and KMS serve thousands of requests a second per account and get
	// more (serviceLimits).
	perService = 16
	// iamRate and iamBurst are the IAM requests per second, and the burst,
	// one set of credentials may send: IAM publishes no quota, and audits
	// that sent 10-20 requests per second have been throttled
	// (performance.md §6).
	iamRate  = 10
	iamBurst = 20
)

// limits holds the per-identity semaphores and IAM rate limiters.
type limits struct {
	perService int
	iamRate    rate.Limit
	iamBurst   int

	mu   sync.Mutex
	sems map[string]chan struct{} // label + service
	iam  map[string]*rate.Limiter // label
}

// serviceLimits are the calls in flight per identity for the services
// that take more than perService.
var serviceLimits = map[string]int{"s3": 64, "kms": 32}

func newLimits() *limits {
	return &limits{perService: perService, iamRate: iamRate, iamBurst: iamBurst, sems: map[string]chan struct{}{}, iam: map[string]*rate.Limiter{}}
}

func (l *limits) sem(label, service string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := label + "|" + service
	s, ok := l.sems[k]
	if !ok {
		n := l.perService
		if m, ok := serviceLimits[service]; ok && l.perService == perService {
			n = m
		}
		s = make(chan struct{}, n)
		l.sems[k] = s
	}
	return s
}

func (l *limits) iamLimiter(label string) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.iam[label]
	if !ok {
		lim = rate.NewLimiter(l.iamRate, l.iamBurst)
		l.iam[label] = lim
	}
	return lim
}

// middleware bounds the calls of the identity labelled label: one slot of
// its service's semaphore per operation (retries included), and for IAM one
// token of the rate limiter per attempt (each attempt is a request IAM
// counts).
func (l *limits) middleware(label string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		err := stack.Initialize.Add(middleware.InitializeMiddlewareFunc("replcheckPerServiceLimit",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				s := l.sem(label, strings.ToLower(awsmiddleware.GetServiceID(ctx)))
				select {
				case s <- struct{}{}:
				case <-ctx.Done():
					return middleware.InitializeOutput{}, middleware.Metadata{}, ctx.Err()
				}
				defer func() { <-s }()
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
		if err != nil {
			return err
		}
		return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("replcheckIAMRateLimit",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if strings.EqualFold(awsmiddleware.GetServiceID(ctx), "iam") {
					if err := l.iamLimiter(label).Wait(ctx); err != nil {
						return middleware.FinalizeOutput{}, middleware.Metadata{}, err
					}
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After) // after the retry middleware: once per attempt
	}
}

// throttleRounds is how many times call sends an operation again after
// the SDK's own retries ended in throttling. With the SDK's 5 attempts
// each, a call fails only after 40 throttled answers in a row.
const throttleRounds = 8

// isThrottle reports whether err is AWS asking the caller to slow down.
func isThrottle(err error) bool {
	return err != nil && retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err).Bool()
}

// throttleDelay is the full-jitter exponential back-off before call's
// round n (from 0) of a throttled operation: up to 1 s, 2 s, 4 s …, at
// most maxBackoff (Access.MaxBackoff, default 20 s).
func throttleDelay(n int, maxBackoff time.Duration) time.Duration {
	if maxBackoff <= 0 {
		maxBackoff = 20 * time.Second
	}
	ceiling := min(time.Second<<min(n, 16), maxBackoff)
	return time.Duration(rand.Int64N(int64(ceiling)) + 1)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errThrottled is the fatal error of an operation that AWS kept
// throttling through every round of retries.
var errThrottled = errors.New("throttled through every retry")
