package snapshot

import "strings"

// pendingMark ends the stand-in for an identifier that is known only
// later, in the words terraform plan prints.
const pendingMark = ", known after apply)"

// Pending stands in for an identifier (bucket name, ARN, key ID) that is
// not known yet: "(aws_s3_bucket.dst.bucket, known after apply)". Facts
// about what it names may still be known; a decision that depends on the
// identifier itself is not.
func Pending(what string) string { return "(" + what + pendingMark }

// PendingIn returns the first stand-in made by Pending that s holds, or
// "".
func PendingIn(s string) string {
	end := strings.Index(s, pendingMark)
	if end < 0 {
		return ""
	}
	start := strings.LastIndexByte(s[:end], '(')
	if start < 0 {
		return ""
	}
	return s[start : end+len(pendingMark)]
}
