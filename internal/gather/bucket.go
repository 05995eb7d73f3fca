package gather

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/replcheck/replcheck/internal/snapshot"
	"github.com/replcheck/replcheck/policy"
)

// bucketLocation is where a bucket is, from HeadBucket.
type bucketLocation struct {
	exists snapshot.Fact[bool]
	region snapshot.Fact[string]
}

// location finds a bucket's Region: from the bucket listing of the
// credentials that read it, when S3 named the Region there; else with
// HeadBucket, reading x-amz-bucket-region from error responses too: S3
// returns it even when it denies the request or the Region is wrong.
func (r *run) location(s *identity, name string) bucketLocation {
	return once(r, bucketKey(name, "location", s.label), func() bucketLocation {
		if names := r.bucketNames(s); names.IsKnown() && names.Value[name] != "" {
			return bucketLocation{exists: snapshot.KnownFact(true), region: snapshot.KnownFact(names.Value[name])}
		}
		out, err := call(r, "s3:HeadBucket", func(ctx context.Context) (*s3.HeadBucketOutput, error) {
			return s.S3(s.cfg.Region).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &name})
		})
		if err == nil {
			region := s.cfg.Region
			if out.BucketRegion != nil && *out.BucketRegion != "" {
				region = *out.BucketRegion
			}
			return bucketLocation{exists: snapshot.KnownFact(true), region: snapshot.KnownFact(region)}
		}
		var re *awshttp.ResponseError
		header := ""
		if errors.As(err, &re) && re.Response != nil {
			header = re.Response.Header.Get("X-Amz-Bucket-Region")
		}
		switch {
		case isNotFound(err):
			return bucketLocation{exists: snapshot.KnownFact(false), region: snapshot.AbsentFact[string]()}
		case header != "":
			// 301 (wrong Region) or 403 (denied): the bucket exists.
			return bucketLocation{exists: snapshot.KnownFact(true), region: snapshot.KnownFact(header)}
		case errors.As(err, &re) && re.HTTPStatusCode() == http.StatusForbidden:
			fe := factError("s3:HeadBucket", "s3:ListBucket", err)
			return bucketLocation{exists: snapshot.KnownFact(true), region: snapshot.UnknownFact[string](fe)}
		}
		fe := factError("s3:HeadBucket", "s3:ListBucket", err)
		return bucketLocation{exists: snapshot.UnknownFact[bool](fe), region: snapshot.UnknownFact[string](fe)}
	})
}

// bucket reads every fact of one bucket with the credentials s, once per
// run.
func (r *run) bucket(s *identity, name string) snapshot.Bucket {
	return once(r, bucketKey(name, "facts", s.label), func() snapshot.Bucket { return r.readBucket(s, name) })
}

func (r *run) readBucket(s *identity, name string) snapshot.Bucket {
	b := snapshot.Bucket{Name: name}
	loc := r.location(s, name)
	b.Exists, b.Region = loc.exists, loc.region
	if !loc.region.IsKnown() {
		why := loc.region.Error
		if why == nil {
			why = &snapshot.FactError{Operation: "s3:HeadBucket", Code: "NoSuchBucket", Message: "the bucket does not exist"}
		}
		unknownAll(&b, why)
		b.Account = r.owner(name, "")
		return b
	}
	c := s.S3(loc.region.Value)
	parallel(
		func() { b.Account = r.owner(name, "") },
		func() { b.Versioning = r.versioning(c, name) },
		func() { b.ObjectLock = r.objectLock(c, name) },
		func() { b.Encryption = r.encryption(c, name) },
		func() { b.Policy = r.bucketPolicy(c, name) },
		func() { b.Ownership = r.ownership(c, name) },
		func() { b.RequestPayment = r.requestPayment(c, name) },
		func() { b.Lifecycle = r.lifecycle(c, name) },
	)
	return b
}

// unknownAll marks every configuration fact of a bucket Unknown.
func unknownAll(b *snapshot.Bucket, why *snapshot.FactError) {
	b.Versioning = snapshot.UnknownFact[string](why)
	b.ObjectLock = snapshot.UnknownFact[snapshot.ObjectLockConfiguration](why)
	b.Encryption = snapshot.UnknownFact[snapshot.BucketEncryption](why)
	b.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
	b.Ownership = snapshot.UnknownFact[string](why)
	b.RequestPayment = snapshot.UnknownFact[string](why)
	b.Lifecycle = snapshot.UnknownFact[snapshot.Lifecycle](why)
}

// read calls one bucket GET and turns its answer into a fact: an absent
// code makes it Absent, any other error Unknown.
func read[O, T any](r *run, op, permission string, f func(ctx context.Context) (O, error), conv func(O) snapshot.Fact[T]) snapshot.Fact[T] {
	out, err := call(r, op, f)
	switch {
	case err == nil:
		return conv(out)
	case isAbsent(err):
		return snapshot.AbsentFact[T]()
	}
	return snapshot.UnknownFact[T](factError(op, permission, err))
}

func (r *run) versioning(c *s3.Client, name string) snapshot.Fact[string] {
	return read(r, "s3:GetBucketVersioning", "s3:GetBucketVersioning",
		func(ctx context.Context) (*s3.GetBucketVersioningOutput, error) {
			return c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: &name})
		},
		func(o *s3.GetBucketVersioningOutput) snapshot.Fact[string] {
			if o.Status == "" {
				return snapshot.AbsentFact[string]() // never enabled
			}
			return snapshot.KnownFact(string(o.Status))
		})
}

func (r *run) objectLock(c *s3.Client, name string) snapshot.Fact[snapshot.ObjectLockConfiguration] {
	return read(r, "s3:GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration",
		func(ctx context.Context) (*s3.GetObjectLockConfigurationOutput, error) {
			return c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: &name})
		},
		func(o *s3.GetObjectLockConfigurationOutput) snapshot.Fact[snapshot.ObjectLockConfiguration] {
			cfg := o.ObjectLockConfiguration
			if cfg == nil || cfg.ObjectLockEnabled != types.ObjectLockEnabledEnabled {
				return snapshot.AbsentFact[snapshot.ObjectLockConfiguration]()
			}
			ol := snapshot.ObjectLockConfiguration{Enabled: true}
			if cfg.Rule != nil && cfg.Rule.DefaultRetention != nil {
				d := cfg.Rule.DefaultRetention
				ol.DefaultMode = string(d.Mode)
				ol.DefaultDays = int(aws32(d.Days))
				ol.DefaultYears = int(aws32(d.Years))
			}
			return snapshot.KnownFact(ol)
		})
}

func (r *run) encryption(c *s3.Client, name string) snapshot.Fact[snapshot.BucketEncryption] {
	return read(r, "s3:GetBucketEncryption", "s3:GetEncryptionConfiguration",
		func(ctx context.Context) (*s3.GetBucketEncryptionOutput, error) {
			return c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: &name})
		},
		func(o *s3.GetBucketEncryptionOutput) snapshot.Fact[snapshot.BucketEncryption] {
			if o.ServerSideEncryptionConfiguration == nil {
				return snapshot.AbsentFact[snapshot.BucketEncryption]()
			}
			for _, rule := range o.ServerSideEncryptionConfiguration.Rules {
				if d := rule.ApplyServerSideEncryptionByDefault; d != nil {
					return snapshot.KnownFact(snapshot.BucketEncryption{
						Algorithm:        string(d.SSEAlgorithm),
						KMSKeyID:         deref(d.KMSMasterKeyID),
						BucketKeyEnabled: rule.BucketKeyEnabled != nil && *rule.BucketKeyEnabled,
					})
				}
			}
			return snapshot.AbsentFact[snapshot.BucketEncryption]()
		})
}

func (r *run) bucketPolicy(c *s3.Client, name string) snapshot.Fact[snapshot.PolicyDocument] {
	return read(r, "s3:GetBucketPolicy", "s3:GetBucketPolicy",
		func(ctx context.Context) (*s3.GetBucketPolicyOutput, error) {
			return c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: &name})
		},
		func(o *s3.GetBucketPolicyOutput) snapshot.Fact[snapshot.PolicyDocument] {
			return policyFact("s3:GetBucketPolicy", deref(o.Policy))
		})
}

// policyFact records a policy document, or Unknown when it does not parse
// (an emulator may have accepted a malformed one).
func policyFact(op, doc string) snapshot.Fact[snapshot.PolicyDocument] {
	d, err := policyJSON(doc)
	if err != nil {
		return snapshot.UnknownFact[snapshot.PolicyDocument](&snapshot.FactError{Operation: op, Code: "MalformedPolicy", Message: err.Error()})
	}
	return snapshot.KnownFact(d)
}

// policyJSON returns a policy as JSON, URL-decoded if IAM encoded it,
// after checking that it parses.
func policyJSON(doc string) (snapshot.PolicyDocument, error) {
	if _, err := policy.Parse([]byte(doc)); err != nil {
		return nil, err
	}
	if len(doc) > 0 && doc[0] == '%' {
		// IAM returns documents URL-encoded; snapshots keep them readable.
		if d, err := url.PathUnescape(doc); err == nil {
			return snapshot.PolicyDocument(d), nil
		}
	}
	return snapshot.PolicyDocument(doc), nil
}

func (r *run) ownership(c *s3.Client, name string) snapshot.Fact[string] {
	return read(r, "s3:GetBucketOwnershipControls", "s3:GetBucketOwnershipControls",
		func(ctx context.Context) (*s3.GetBucketOwnershipControlsOutput, error) {
			return c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: &name})
		},
		func(o *s3.GetBucketOwnershipControlsOutput) snapshot.Fact[string] {
			if o.OwnershipControls == nil || len(o.OwnershipControls.Rules) == 0 {
				return snapshot.AbsentFact[string]()
			}
			return snapshot.KnownFact(string(o.OwnershipControls.Rules[0].ObjectOwnership))
		})
}

func (r *run) requestPayment(c *s3.Client, name string) snapshot.Fact[string] {
	return read(r, "s3:GetBucketRequestPayment", "s3:GetBucketRequestPayment",
		func(ctx context.Context) (*s3.GetBucketRequestPaymentOutput, error) {
			return c.GetBucketRequestPayment(ctx, &s3.GetBucketRequestPaymentInput{Bucket: &name})
		},
		func(o *s3.GetBucketRequestPaymentOutput) snapshot.Fact[string] {
			if o.Payer == "" {
				// AWS always names the payer; an emulator that answers
				// without one has no requester-pays support.
				return snapshot.KnownFact(string(types.PayerBucketOwner))
			}
			return snapshot.KnownFact(string(o.Payer))
		})
}

func (r *run) lifecycle(c *s3.Client, name string) snapshot.Fact[snapshot.Lifecycle] {
	return read(r, "s3:GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration",
		func(ctx context.Context) (*s3.GetBucketLifecycleConfigurationOutput, error) {
			return c.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: &name})
		},
		func(o *s3.GetBucketLifecycleConfigurationOutput) snapshot.Fact[snapshot.Lifecycle] {
			var l snapshot.Lifecycle
			for _, rule := range o.Rules {
				if rule.Status != types.ExpirationStatusEnabled {
					continue
				}
				if e := rule.NoncurrentVersionExpiration; e != nil && aws32(e.NoncurrentDays) > 0 {
					l.NoncurrentVersionExpirationDays = minPositive(l.NoncurrentVersionExpirationDays, int(aws32(e.NoncurrentDays)))
				}
				if e := rule.Expiration; e != nil && aws32(e.Days) > 0 {
					l.ExpirationDays = minPositive(l.ExpirationDays, int(aws32(e.Days)))
				}
			}
			return snapshot.KnownFact(l)
		})
}

func minPositive(cur, v int) int {
	if cur == 0 || v < cur {
		return v
	}
	return cur
}

func aws32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
