package gather

import (
	"context"
	"fmt"
	"os"
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
	"github.com/aws/smithy-go/middleware"
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

// side is one set of credentials: the source's, or the destination's.
type side struct {
	name      string // "source" or "destination"
	cfg       aws.Config
	pathStyle bool

	mu  sync.Mutex
	s3  map[string]*s3.Client
	kms map[string]*kms.Client
	iam *iam.Client
	org *organizations.Client
	sts *sts.Client
}

// loadSides builds the source credentials and, when asked for, the
// destination's. The returned destination side is nil when neither
// DestinationProfile nor DestinationRole is set.
func loadSides(ctx context.Context, a Access, rec *Recorder) (src, dst *side, err error) {
	srcCfg, err := loadConfig(ctx, a, a.Profile, rec)
	if err != nil {
		return nil, nil, err
	}
	src = newSide("source", srcCfg, a)
	switch {
	case a.DestinationProfile != "" && a.DestinationRole != "":
		return nil, nil, fmt.Errorf("give --destination-profile or --destination-role, not both")
	case a.DestinationProfile != "":
		dstCfg, err := loadConfig(ctx, a, a.DestinationProfile, rec)
		if err != nil {
			return nil, nil, err
		}
		dst = newSide("destination", dstCfg, a)
	case a.DestinationRole != "":
		dstCfg := srcCfg.Copy()
		provider := stscreds.NewAssumeRoleProvider(src.STS(), a.DestinationRole, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = "replcheck"
		})
		dstCfg.Credentials = aws.NewCredentialsCache(provider)
		dst = newSide("destination", dstCfg, a)
	}
	return src, dst, nil
}

// loadConfig loads one identity's configuration with replcheck's retry,
// endpoint and guard settings: the credential guard on the credential
// providers' clients, the read-only guard on every client built from the
// returned configuration.
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
		// from these options: they get the credential guard.
		config.WithAPIOptions([]func(*middleware.Stack) error{rec.credentialMiddleware()}),
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
	// The clients built from cfg from here on are replcheck's own, which
	// read the user's resources: they get the read-only guard instead, and
	// the check that each answer came from AWS.
	cfg.APIOptions = []func(*middleware.Stack) error{rec.middleware(), checkAnswer}
	return cfg, nil
}

func profileNote(profile string) string {
	if profile == "" {
		return ""
	}
	return " for profile " + profile
}

func newSide(name string, cfg aws.Config, a Access) *side {
	return &side{
		name:      name,
		cfg:       cfg,
		pathStyle: a.EndpointURL != "" || os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != "",
		s3:        map[string]*s3.Client{},
		kms:       map[string]*kms.Client{},
	}
}

// S3 returns the side's S3 client for a Region (one per Region).
func (s *side) S3(region string) *s3.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.s3[region]
	if !ok {
		c = s3.NewFromConfig(s.cfg, func(o *s3.Options) {
			o.Region = region
			o.UsePathStyle = s.pathStyle
		})
		s.s3[region] = c
	}
	return c
}

// KMS returns the side's KMS client for a Region.
func (s *side) KMS(region string) *kms.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.kms[region]
	if !ok {
		c = kms.NewFromConfig(s.cfg, func(o *kms.Options) { o.Region = region })
		s.kms[region] = c
	}
	return c
}

// IAM returns the side's IAM client (IAM is global).
func (s *side) IAM() *iam.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.iam == nil {
		s.iam = iam.NewFromConfig(s.cfg)
	}
	return s.iam
}

// Organizations returns the side's Organizations client.
func (s *side) Organizations() *organizations.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.org == nil {
		s.org = organizations.NewFromConfig(s.cfg)
	}
	return s.org
}

// STS returns the side's STS client.
func (s *side) STS() *sts.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sts == nil {
		s.sts = sts.NewFromConfig(s.cfg)
	}
	return s.sts
}
