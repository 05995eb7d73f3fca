package tfplan

import (
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// TestPendingBucketNameIsTiedToItsResource: a destination named by
// bucket_prefix is known only after apply, but its resources still decide
// its facts (it exists, its versioning is Enabled); only its name, and so
// its ARN, is a stand-in.
func TestPendingBucketNameIsTiedToItsResource(t *testing.T) {
	s := only(t, "bucket-prefix-destination")
	if len(s.Destinations) != 1 {
		t.Fatalf("%d destinations", len(s.Destinations))
	}
	d := s.Destinations[0]
	if want := placeholder("aws_s3_bucket.destination.bucket"); d.Name != want || snapshot.PendingIn(s.Replication.Value.Rules[0].Destination.Bucket) != want {
		t.Errorf("name %q, rule destination %q: want the stand-in %q", d.Name, s.Replication.Value.Rules[0].Destination.Bucket, want)
	}
	if !d.Exists.IsKnown() || !d.Exists.Value {
		t.Errorf("exists = %+v", d.Exists)
	}
	if !d.Versioning.IsKnown() || d.Versioning.Value != "Enabled" {
		t.Errorf("the planned aws_s3_bucket_versioning decides the versioning: %+v", d.Versioning)
	}
	if !d.Region.IsKnown() || d.Region.Value != "us-west-2" {
		t.Errorf("region = %+v", d.Region)
	}
	if o := s.Origins.Buckets[d.Name]; o.Bucket != "aws_s3_bucket.destination" || o.Versioning != "aws_s3_bucket_versioning.destination" {
		t.Errorf("origins = %+v", o)
	}
}
