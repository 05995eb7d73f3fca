package source

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"sync"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/hint"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Audit enumerates the buckets of one or more accounts and yields a
// snapshot for each bucket that has a replication configuration (or whose
// configuration could not be read), and one that stands for each account
// it could not read. Buckets are read concurrently and yielded in a stable
// order (accounts in the order given, buckets by name); a bucket's own
// facts are forgotten once it is yielded, while the facts buckets share
// (roles, keys, destination buckets, SCPs) are read once for the whole
// audit.
type Audit struct {
	Access
	// Accounts are the accounts to audit; with neither Accounts nor
	// Organization, the base credentials' own account.
	Accounts []string
	// Organization audits every ACTIVE account of the base credentials'
	// organization.
	Organization bool
	// AssumeRoleName is assumed in each audited account other than the
	// base credentials' own, and tried once in other accounts that
	// destination buckets belong to.
	AssumeRoleName string
	// Buckets are globs (* and ?) on the source bucket names; empty
	// matches every bucket.
	Buckets []string
	// Regions, if set, keep only the source buckets in these Regions.
	Regions []string
	// Batch and Objects are as for Live.
	Batch   bool
	Objects int
	// Concurrency is how many buckets are read at once (default 16).
	Concurrency int
	// Recorder, if set, records every operation invoked.
	Recorder *Recorder
	// Progress, if set, is told how far the audit has come, from one
	// goroutine at a time.
	Progress func(AuditProgress)

	coverage AuditCoverage
}

// AuditProgress is how far an audit has come.
type AuditProgress struct {
	// Accounts and AccountsListed count the accounts to audit and those
	// whose buckets have been listed (or found unreadable).
	Accounts, AccountsListed int
	// Found counts the buckets listed so far that the filters keep;
	// Checked those done.
	Found, Checked int
}

// AuditCoverage is what an audit covered.
type AuditCoverage struct {
	// Accounts are the audited accounts, in order.
	Accounts []AccountCoverage
	// Buckets counts the source buckets checked (after the filters),
	// BucketsWithReplication those with a replication configuration, and
	// Rules their rules.
	Buckets, BucketsWithReplication, Rules int
}

// AccountCoverage says whether an audited account could be read.
type AccountCoverage struct {
	ID string
	// Err says why its buckets could not be listed; nil when they were.
	Err *snapshot.FactError
}

// Coverage returns what the last Snapshots covered, as far as it got.
func (a *Audit) Coverage() AuditCoverage { return a.coverage }

// InterruptedError says that an audit was stopped (Ctrl-C) before every
// bucket was checked: the snapshots yielded before it are what was
// checked.
type InterruptedError struct {
	// Checked and Found count the buckets checked and those listed.
	Checked, Found int
}

// Error says how far the audit got.
func (e *InterruptedError) Error() string {
	return fmt.Sprintf("interrupted: %d of the %d buckets found so far were checked", e.Checked, e.Found)
}

// auditJob is one step of the audit, numbered in yield order: an account
// listed (bucket empty), or one of its buckets.
type auditJob struct {
	seq     int
	account string
	why     *snapshot.FactError // the account could not be listed
	bucket  *gather.BucketEntry
}

// auditResult is a job done.
type auditResult struct {
	job      auditJob
	snap     *snapshot.Snapshot // nil: no configuration, or filtered out
	counted  bool               // a bucket the filters keep
	rules    int
	withRepl bool
	err      error // the session stopped (endpoint failure, Ctrl-C)
}

// Snapshots reads the accounts' buckets and yields their snapshots.
func (a *Audit) Snapshots(ctx context.Context, yield func(*snapshot.Snapshot) error) error {
	a.coverage = AuditCoverage{}
	for _, g := range a.Buckets {
		if _, err := path.Match(g, ""); err != nil {
			return hint.With(fmt.Errorf("--bucket %q is not a valid pattern: %w", g, err), "use * and ? as wildcards")
		}
	}
	conc := a.Concurrency
	if conc <= 0 {
		conc = 16
	}
	sess, err := gather.NewSession(ctx, gather.SessionOptions{Access: a.Access, AssumeRoleName: a.AssumeRoleName, Recorder: a.Recorder})
	if err != nil {
		return gatherError(err)
	}
	defer sess.Close()
	accounts, err := a.accounts(sess)
	if err != nil {
		return err
	}
	sess.SetAudited(accounts)

	var mu sync.Mutex
	progress := AuditProgress{Accounts: len(accounts)}
	report := func(change func(*AuditProgress)) {
		mu.Lock()
		defer mu.Unlock()
		change(&progress)
		if a.Progress != nil {
			a.Progress(progress)
		}
	}
	report(func(*AuditProgress) {})

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	window := make(chan struct{}, 2*conc) // jobs between listing and yield: bounds the reordering
	jobs := make(chan auditJob)
	results := make(chan auditResult, 2*conc)
	go func() {
		defer close(jobs)
		seq := 0
		send := func(j auditJob) bool {
			select {
			case window <- struct{}{}:
			case <-runCtx.Done():
				return false
			}
			j.seq = seq
			seq++
			jobs <- j
			return true
		}
		for _, acct := range accounts {
			entries, why := sess.Buckets(acct)
			if runCtx.Err() != nil {
				return
			}
			kept := slices.DeleteFunc(entries, func(e gather.BucketEntry) bool { return !a.wanted(e.Name) })
			report(func(p *AuditProgress) { p.AccountsListed++; p.Found += len(kept) })
			if !send(auditJob{account: acct, why: why}) {
				return
			}
			for i := range kept {
				if !send(auditJob{account: acct, bucket: &kept[i]}) {
					return
				}
			}
		}
	}()
	var workers sync.WaitGroup
	for range conc {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				results <- a.do(sess, j)
			}
		}()
	}
	go func() {
		workers.Wait()
		close(results)
	}()

	pending := map[int]auditResult{}
	next := 0
	var failed error
	for res := range results {
		pending[res.job.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-window
			if failed != nil {
				continue
			}
			if err := a.handle(r, yield, sess); err != nil {
				failed = err
				cancel()
				continue
			}
			if r.job.bucket != nil && r.err == nil {
				report(func(p *AuditProgress) { p.Checked++ })
			}
		}
	}
	switch {
	case failed != nil:
		return failed
	case ctx.Err() != nil:
		return &InterruptedError{Checked: progress.Checked, Found: progress.Found}
	}
	return nil
}

// accounts are the accounts to audit, in order.
func (a *Audit) accounts(sess *gather.Session) ([]string, error) {
	switch {
	case a.Organization:
		accts, err := sess.OrganizationAccounts()
		if err != nil {
			if ferr := sess.Err(); ferr != nil {
				return nil, gatherError(ferr)
			}
			return nil, hint.With(fmt.Errorf("--organization: cannot list the organization's accounts: %w", err),
				"--organization lists the accounts with organizations:ListAccounts from the base credentials, which must be the organization's "+
					"management account or a delegated administrator; or name the accounts with --accounts")
		}
		return accts, nil
	case len(a.Accounts) > 0:
		var out []string
		for _, id := range a.Accounts {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out, nil
	}
	id, err := sess.BaseAccount()
	if err != nil {
		if ferr := sess.Err(); ferr != nil {
			return nil, gatherError(ferr)
		}
		return nil, hint.With(fmt.Errorf("cannot tell the base credentials' account: %w", err),
			"name the accounts to audit with --accounts, or check the credentials with 'aws sts get-caller-identity'")
	}
	return []string{id}, nil
}

// wanted reports whether a bucket name matches the --bucket globs.
func (a *Audit) wanted(name string) bool {
	if len(a.Buckets) == 0 {
		return true
	}
	return slices.ContainsFunc(a.Buckets, func(g string) bool {
		ok, _ := path.Match(g, name)
		return ok
	})
}

// do reads one job's facts.
func (a *Audit) do(sess *gather.Session, j auditJob) auditResult {
	res := auditResult{job: j}
	if j.bucket == nil {
		return res
	}
	name, region := j.bucket.Name, j.bucket.Region
	var repl snapshot.Fact[snapshot.ReplicationConfiguration]
	if region == "" { // S3 did not name it in the listing (emulators)
		loc := sess.Region(j.account, name)
		switch {
		case loc.IsKnown():
			region = loc.Value
		case loc.IsAbsent(): // deleted since the listing
			res.err = sess.Err()
			return res
		default:
			repl = snapshot.UnknownFact[snapshot.ReplicationConfiguration](loc.Error)
		}
	}
	if region != "" && len(a.Regions) > 0 && !slices.Contains(a.Regions, region) {
		return res
	}
	res.counted = true
	if repl.State == "" {
		repl = sess.Replication(j.account, name, region)
	}
	if err := sess.Err(); err != nil {
		res.err = err
		return res
	}
	if repl.IsAbsent() {
		return res
	}
	res.snap = sess.Gather(j.account, name, repl, gather.BucketOptions{Batch: a.Batch, Objects: a.Objects,
		Questions: simulatorQuestions(checks.Options{Batch: a.Batch})})
	res.err = sess.Err()
	if repl.IsKnown() {
		res.withRepl, res.rules = true, len(repl.Value.Rules)
	}
	return res
}

// handle takes one job's result, in yield order.
func (a *Audit) handle(r auditResult, yield func(*snapshot.Snapshot) error, sess *gather.Session) error {
	if r.err != nil {
		if errors.Is(r.err, context.Canceled) {
			return nil // interrupted: not checked, not counted
		}
		return gatherError(r.err)
	}
	if r.job.bucket == nil {
		a.coverage.Accounts = append(a.coverage.Accounts, AccountCoverage{ID: r.job.account, Err: r.job.why})
		if r.job.why == nil {
			return nil
		}
		return yield(&snapshot.Snapshot{SchemaVersion: snapshot.SchemaVersion,
			Source: snapshot.Bucket{Account: snapshot.KnownFact(r.job.account)}, AccountListing: r.job.why})
	}
	defer sess.Forget(r.job.bucket.Name)
	if !r.counted {
		return nil
	}
	a.coverage.Buckets++
	if r.withRepl {
		a.coverage.BucketsWithReplication++
		a.coverage.Rules += r.rules
	}
	if r.snap == nil {
		return nil
	}
	return yield(r.snap)
}
