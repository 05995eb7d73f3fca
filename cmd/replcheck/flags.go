package main

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// bucketName matches S3 bucket names, legacy ones (capitals, underscores)
// included.
var bucketName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{1,253}[a-zA-Z0-9]$`)

// regionName matches AWS Region names such as us-east-1 and us-gov-west-1.
var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// bucketArg returns the bucket name a NAME|ARN flag value names.
func bucketArg(flag, v string) (string, error) {
	if name, ok := snapshot.BucketFromARN(v); ok {
		return name, nil
	}
	if bucketName.MatchString(v) {
		return v, nil
	}
	hint := "pass the bucket name (my-bucket) or its ARN (arn:aws:s3:::my-bucket)"
	switch {
	case strings.HasPrefix(v, "s3://"):
		hint = fmt.Sprintf("pass the bucket name without s3://: %s %s", flag, strings.TrimSuffix(strings.TrimPrefix(v, "s3://"), "/"))
	case strings.Contains(v, ":accesspoint/"):
		hint = "access points are not supported: pass the bucket the access point belongs to"
	}
	return "", usageError(fmt.Errorf("%s %q is not a bucket name or bucket ARN", flag, v), hint)
}

// roleArg checks that an ARN flag value is an IAM role ARN.
func roleArg(flag, v string) error {
	if snapshot.IsRoleARN(v) {
		return nil
	}
	return usageError(fmt.Errorf("%s %q is not an IAM role ARN", flag, v),
		"pass arn:aws:iam::ACCOUNT:role/NAME")
}

// awsFlags are the flags that only make sense when reading from AWS.
var awsFlags = []string{"profile", "region", "destination-profile", "destination-role", "endpoint-url", "objects"}

// checkLiveFlags validates the credential, Region and endpoint flags.
func checkLiveFlags(c *cli.Context) error {
	for _, f := range []string{"profile", "destination-profile"} {
		if c.IsSet(f) && strings.TrimSpace(c.String(f)) == "" {
			return usageError(fmt.Errorf("--%s is empty", f), "name a profile from ~/.aws/config, or leave the flag out to use the default credential chain")
		}
	}
	if r := c.String("region"); c.IsSet("region") && !regionName.MatchString(r) {
		return usageError(fmt.Errorf("--region %q is not an AWS Region name", r), "pass a Region such as us-east-1")
	}
	if c.IsSet("destination-role") {
		if err := roleArg("--destination-role", c.String("destination-role")); err != nil {
			return err
		}
		if c.IsSet("destination-profile") {
			return usageError(fmt.Errorf("--destination-profile and --destination-role both say how to read the destination account"),
				"pass one: a profile for the destination account, or a role to assume from the source credentials")
		}
	}
	if e := c.String("endpoint-url"); c.IsSet("endpoint-url") {
		u, err := url.Parse(e)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError(fmt.Errorf("--endpoint-url %q is not an http or https URL", e), "pass a URL such as http://localhost:4566")
		}
	}
	if n := c.Int("objects"); n < 0 {
		return usageError(fmt.Errorf("--objects %d is negative", n), "pass 0 to turn object inspection off, or the number of versions to inspect per rule")
	}
	return nil
}
