// Package arn parses Amazon Resource Names, in one place for every package
// that needs a field of one.
package arn

import "strings"

// ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

// Parse splits s into its six fields; ok is false when s is not an ARN
// (it does not start with "arn:" or has fewer than six fields). The
// resource keeps any colons it holds.
func Parse(s string) (a ARN, ok bool) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return ARN{}, false
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}, true
}

// Account returns the account field of an ARN, or "" when s is not one or
// names no account (S3 bucket ARNs).
func Account(s string) string {
	a, _ := Parse(s)
	return a.Account
}
