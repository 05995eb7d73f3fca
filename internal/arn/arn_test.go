package arn

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:kms:us-east-1:111122223333:key/abc", ARN{"aws", "kms", "us-east-1", "111122223333", "key/abc"}, true},
		{"arn:aws-us-gov:iam::111122223333:role/path/r", ARN{"aws-us-gov", "iam", "", "111122223333", "role/path/r"}, true},
		{"arn:aws:s3:::bucket/key:with:colons", ARN{"aws", "s3", "", "", "bucket/key:with:colons"}, true},
		{"alias/aws/s3", ARN{}, false},
		{"arn:aws:kms:us-east-1", ARN{}, false},
		{"urn:aws:kms:us-east-1:1:key/x", ARN{}, false},
	} {
		got, ok := Parse(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	if Account("arn:aws:iam::111122223333:role/r") != "111122223333" || Account("not-an-arn") != "" {
		t.Error("Account")
	}
}
