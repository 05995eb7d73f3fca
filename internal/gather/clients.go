package gather

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	"github.com/replcheck/replcheck/internal/arn"
)

// Access says how to reach AWS.
type Access struct {
	// Profile and Region select the source credentials; empty means the
	// SDK's standard chain (environment, shared config, SSO, IMDS).
	Profile, Region string
	// DestinationProfile selects credentials for the destination account.
	DestinationProfile string
	// DestinationRole is a role to assume, from the source credentials, to
	// read the destination account.
	DestinationRole string
	// EndpointURL is one endpoint for S3, IAM, KMS, STS and Organizations.
	// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are honoured as the
	// SDK defines them. S3 uses path-style addressing when an endpoint is
	// set.
	EndpointURL string
	// MaxAttempts bounds retries of throttled and 5xx calls (default 5).
	MaxAttempts int
	// MaxBackoff caps the delay between retries (default 20 s).
	MaxBackoff time.Duration
}

// identity is one set of credentials and the clients built from it: the
// base credentials (--profile or the chain), a destination profile, or a
// role assumed from the base credentials. Facts are memoized per
// identity, and the recorder names calls by it.
type identity struct {
	// label names the credentials in memo keys and distinct-call keys:
	// "base", "profile:NAME", or the assumed role's ARN.
	label string
	// roleARN is the role these credentials are a session of, "" for
	// credentials from the chain or a profile. An assumed role's account
	// is known from its ARN, without a call.
	roleARN   string
	cfg       aws.Config
	pathStyle bool

	mu  sync.Mutex
	s3  map[string]*s3.Client
	kms map[string]*kms.Client
	iam *iam.Client
	org *organizations.Client
	sts *sts.Client
}

// knownAccount is the account of an assumed role's credentials, or "" when
// only sts:GetCallerIdentity can tell.
func (id *identity) knownAccount() string { return arn.Account(id.roleARN) }

// loadConfig loads one identity's configuration with replcheck's retry,
// endpoint and guard settings: the credential guard on the credential
// providers' clients, the read-only guard on every client built from the
// returned configuration (see withGuards).
func loadConfig(ctx context.Context, a Access, profile string, rec *Recorder) (aws.Config, error) {
	attempts, backoff := a.MaxAttempts, a.MaxBackoff
	if attempts == 0 {
		attempts = 5
	}
	if backoff == 0 {
		backoff = 20 * time.Second
	}
	opts := []func(*config.LoadOptions) error{
		// The credential providers build their clients (IMDS, the container
		// endpoint, STS, IAM Identity Center) while the configuration loads,
		// from these options: they get the credential guard, and the check
		// that their answers came from AWS.
		config.WithAPIOptions([]func(*middleware.Stack) error{rec.credentialMiddleware(), checkCredentialAnswer(a.EndpointURL != "")}),
		// A fresh retryer per client, without the client-side retry quota:
		// under concurrency the shared token bucket drains and turns
		// throttling into "retry quota exceeded" (performance.md §2.1).
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = attempts
				o.MaxBackoff = backoff
				o.RateLimiter = ratelimit.None
			})
		}),
		// The SDK logs warnings (a response body it could not drain) to
		// standard error; replcheck reports what matters itself, as error
		// lines or Unknown facts.
		config.WithLogger(logging.Nop{}),
	}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	if a.Region != "" {
		opts = append(opts, config.WithRegion(a.Region))
	}
	if a.EndpointURL != "" {
		opts = append(opts, config.WithBaseEndpoint(a.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration%s: %w", profileNote(profile), err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1" // only the first HeadBucket uses it: buckets report their Region
	}
	return cfg, nil
}

func profileNote(profile string) string {
	if profile == "" {
		return ""
	}
	return " for profile " + profile
}

// newIdentity wraps a loaded configuration. The clients built from it from
// here on are replcheck's own, which read the user's resources: they get
// the read-only guard (which records each call under the identity's
// label), the limits on calls in flight, the check that each answer came
// from AWS, and the naming of the resource each call is about.
func newIdentity(label, roleARN string, cfg aws.Config, a Access, rec *Recorder, lim *limits) *identity {
	cfg.APIOptions = []func(*middleware.Stack) error{rec.middleware(label), lim.middleware(label), checkAnswer, nameResource}
	return &identity{
		label:     label,
		roleARN:   roleARN,
		cfg:       cfg,
		pathStyle: a.EndpointURL != "" || os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != "",
		s3:        map[string]*s3.Client{},
		kms:       map[string]*kms.Client{},
	}
}

// assume returns the identity of a role assumed from base's credentials
// (one session per role per run; the credential cache refreshes it before
// it expires, so long audits keep reading).
func assume(base *identity, roleARN string, a Access, rec *Recorder, lim *limits) *identity {
	cfg := base.cfg.Copy()
	provider := stscreds.NewAssumeRoleProvider(base.STS(), roleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = "replcheck"
	})
	cfg.Credentials = aws.NewCredentialsCache(provider)
	return newIdentity(roleARN, roleARN, cfg, a, rec, lim)
}

// roleIn is the ARN of role name in account.
func roleIn(account, name string) string {
	return "arn:aws:iam::" + account + ":role/" + strings.TrimPrefix(name, "/")
}

// S3 returns the identity's S3 client for a Region (one per Region).
func (id *identity) S3(region string) *s3.Client {
	id.mu.Lock()
	defer id.mu.Unlock()
	c, ok := id.s3[region]
	if !ok {
		c = s3.NewFromConfig(id.cfg, func(o *s3.Options) {
			o.Region = region
			o.UsePathStyle = id.pathStyle
		})
		id.s3[region] = c
	}
	return c
}

// KMS returns the identity's KMS client for a Region.
func (id *identity) KMS(region string) *kms.Client {
	id.mu.Lock()
	defer id.mu.Unlock()
	c, ok := id.kms[region]
	if !ok {
		c = kms.NewFromConfig(id.cfg, func(o *kms.Options) { o.Region = region })
		id.kms[region] = c
	}
	return c
}

// IAM returns the identity's IAM client (IAM is global).
func (id *identity) IAM() *iam.Client {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.iam == nil {
		id.iam = iam.NewFromConfig(id.cfg)
	}
	return id.iam
}

// Organizations returns the identity's Organizations client.
func (id *identity) Organizations() *organizations.Client {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.org == nil {
		id.org = organizations.NewFromConfig(id.cfg)
	}
	return id.org
}

// STS returns the identity's STS client.
func (id *identity) STS() *sts.Client {
	id.mu.Lock()
	defer id.mu.Unlock()
	if id.sts == nil {
		id.sts = sts.NewFromConfig(id.cfg)
	}
	return id.sts
}
