package gather

import (
	"context"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// Reader reads named facts one at a time, for a source of facts that
// decides most of them itself (a Terraform plan) and asks AWS only for the
// rest. It uses the same memoised, read-only readers as Gather, so each
// fact is read once; a fact that cannot be read is Unknown.
type Reader struct {
	r *run
}

// NewReader resolves the credentials of a and returns a Reader. Like
// Gather, it fails only when nothing could be read: bad configuration or
// no credentials.
func NewReader(ctx context.Context, a Access, rec *Recorder) (*Reader, error) {
	r, err := newRun(ctx, runOptions{Access: a, Recorder: rec})
	if err != nil {
		return nil, err
	}
	return &Reader{r: r}, nil
}

// Bucket reads every fact of a bucket, with its owner's credentials when
// replcheck has them.
func (rd *Reader) Bucket(name string) snapshot.Bucket {
	return rd.r.bucket(rd.r.readerFor(name, ""), name)
}

// Role reads an IAM role and its policies.
func (rd *Reader) Role(arn string) snapshot.Role { return rd.r.role(arn) }

// Key reads a KMS key named by ARN, alias or key ID; region and account
// locate the last two.
func (rd *Reader) Key(id, region, account string) snapshot.KMSKey {
	return rd.r.key(id, region, account)
}

// Policy reads a managed policy's default version, with the credentials
// of its account (AWS managed policies: the source's).
func (rd *Reader) Policy(policyARN string) snapshot.Fact[snapshot.NamedPolicy] {
	s := rd.r.identityFor(arn.Account(policyARN))
	if s == nil {
		s = rd.r.base
	}
	return rd.r.managedPolicy(s, policyARN)
}

// Account reads the organization policies that apply in an account.
func (rd *Reader) Account(id string) snapshot.Account { return rd.r.orgAccount(id) }

// Err returns the error that stopped reading (an unreachable endpoint, a
// cancelled context), if any.
func (rd *Reader) Err() error { return rd.r.err() }

// Close releases the reader.
func (rd *Reader) Close() { rd.r.cancel() }
