package gather

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// replicationXML is a GetBucketReplication answer with every field the
// checks read, in the shape S3 returns (moto drops several of them): a V2
// rule with every option, a V2 rule with a single tag, and a V1 rule with
// the top-level Prefix.
const replicationXML = `<Role>arn:aws:iam::111122223333:role/replication</Role>
<Rule>
  <ID>full</ID>
  <Priority>3</Priority>
  <Status>Enabled</Status>
  <Filter><And><Prefix>logs/</Prefix><Tag><Key>team</Key><Value>blue</Value></Tag><Tag><Key>tier</Key><Value>gold</Value></Tag></And></Filter>
  <SourceSelectionCriteria>
    <SseKmsEncryptedObjects><Status>Enabled</Status></SseKmsEncryptedObjects>
    <ReplicaModifications><Status>Disabled</Status></ReplicaModifications>
  </SourceSelectionCriteria>
  <ExistingObjectReplication><Status>Enabled</Status></ExistingObjectReplication>
  <Destination>
    <Bucket>arn:aws:s3:::dst</Bucket>
    <Account>444455556666</Account>
    <StorageClass>STANDARD_IA</StorageClass>
    <AccessControlTranslation><Owner>Destination</Owner></AccessControlTranslation>
    <EncryptionConfiguration><ReplicaKmsKeyID>arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab</ReplicaKmsKeyID></EncryptionConfiguration>
    <ReplicationTime><Status>Enabled</Status><Time><Minutes>15</Minutes></Time></ReplicationTime>
    <Metrics><Status>Enabled</Status><EventThreshold><Minutes>15</Minutes></EventThreshold></Metrics>
  </Destination>
  <DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication>
</Rule>
<Rule>
  <ID>tagged</ID>
  <Priority>0</Priority>
  <Status>Disabled</Status>
  <Filter><Tag><Key>k</Key><Value></Value></Tag></Filter>
  <Destination><Bucket>arn:aws:s3:::dst2</Bucket></Destination>
  <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
</Rule>
<Rule>
  <ID>v1</ID>
  <Prefix>old/</Prefix>
  <Status>Enabled</Status>
  <Destination><Bucket>arn:aws:s3:::dst</Bucket><StorageClass>GLACIER</StorageClass></Destination>
</Rule>`

// TestReplicationFidelity reads a configuration through the SDK and checks
// that every field reaches the snapshot, and that nothing is invented
// (absent elements stay nil, an empty filter prefix stays distinct).
func TestReplicationFidelity(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketReplication", func(q *fakeReq) {
		if q.bucket != "src" {
			t.Errorf("GetBucketReplication on bucket %q, want src", q.bucket)
		}
		q.s3("ReplicationConfiguration", replicationXML)
	})
	r := newTestRun(t, f, f.access(), nil)
	got := r.replication(r.base.S3("us-east-1"), "src")
	if !got.IsKnown() {
		t.Fatalf("replication = %+v, want known", got)
	}

	str := func(s string) *string { return &s }
	num := func(n int) *int { return &n }
	want := snapshot.ReplicationConfiguration{
		Role: "arn:aws:iam::111122223333:role/replication",
		Rules: []snapshot.ReplicationRule{{
			ID: "full", Priority: num(3), Status: "Enabled",
			Filter: &snapshot.ReplicationRuleFilter{And: &snapshot.ReplicationRuleAndOperator{
				Prefix: str("logs/"),
				Tags:   []snapshot.Tag{{Key: "team", Value: "blue"}, {Key: "tier", Value: "gold"}},
			}},
			SourceSelectionCriteria: &snapshot.SourceSelectionCriteria{
				SseKmsEncryptedObjects: &snapshot.StatusElement{Status: "Enabled"},
				ReplicaModifications:   &snapshot.StatusElement{Status: "Disabled"},
			},
			ExistingObjectReplication: &snapshot.StatusElement{Status: "Enabled"},
			DeleteMarkerReplication:   &snapshot.StatusElement{Status: "Disabled"},
			Destination: snapshot.Destination{
				Bucket:                   "arn:aws:s3:::dst",
				Account:                  "444455556666",
				StorageClass:             "STANDARD_IA",
				AccessControlTranslation: &snapshot.AccessControlTranslation{Owner: "Destination"},
				EncryptionConfiguration:  &snapshot.EncryptionConfiguration{ReplicaKmsKeyID: "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
				ReplicationTime:          &snapshot.ReplicationTime{Status: "Enabled", Time: &snapshot.ReplicationMinutes{Minutes: 15}},
				Metrics:                  &snapshot.Metrics{Status: "Enabled", EventThreshold: &snapshot.ReplicationMinutes{Minutes: 15}},
			},
		}, {
			ID: "tagged", Priority: num(0), Status: "Disabled",
			Filter:                  &snapshot.ReplicationRuleFilter{Tag: &snapshot.Tag{Key: "k", Value: ""}},
			DeleteMarkerReplication: &snapshot.StatusElement{Status: "Enabled"},
			Destination:             snapshot.Destination{Bucket: "arn:aws:s3:::dst2"},
		}, {
			ID: "v1", Prefix: str("old/"), Status: "Enabled",
			Destination: snapshot.Destination{Bucket: "arn:aws:s3:::dst", StorageClass: "GLACIER"},
		}},
	}
	if !reflect.DeepEqual(got.Value, want) {
		g, _ := json.MarshalIndent(got.Value, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("configuration:\n got %s\nwant %s", g, w)
	}
	rules := got.Value.Rules
	if !rules[0].IsV2() || !rules[1].IsV2() || rules[2].IsV2() {
		t.Errorf("V2 rules = %v %v %v, want true true false", rules[0].IsV2(), rules[1].IsV2(), rules[2].IsV2())
	}
	if p := rules[2].FilterPrefix(); p != "old/" {
		t.Errorf("V1 rule prefix = %q, want old/", p)
	}
	if !rules[2].ReplicatesDeleteMarkers() || rules[0].ReplicatesDeleteMarkers() {
		t.Error("delete-marker replication: want V1 rule yes, rule full no")
	}
}

// TestReplicationEmptyFilterPrefix checks that <Filter><Prefix></Prefix>
// (every object) stays a V2 rule with an empty prefix, not a V1 rule.
func TestReplicationEmptyFilterPrefix(t *testing.T) {
	f := newFake(t)
	f.on("s3:GetBucketReplication", func(q *fakeReq) {
		q.s3("ReplicationConfiguration", `<Role>arn:aws:iam::111122223333:role/r</Role><Rule><ID>all</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter><Destination><Bucket>arn:aws:s3:::dst</Bucket></Destination><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication></Rule>`)
	})
	r := newTestRun(t, f, f.access(), nil)
	got := r.replication(r.base.S3("us-east-1"), "src")
	if !got.IsKnown() || len(got.Value.Rules) != 1 {
		t.Fatalf("replication = %+v", got)
	}
	rule := got.Value.Rules[0]
	if !rule.IsV2() || rule.Filter.Prefix == nil || *rule.Filter.Prefix != "" || rule.Prefix != nil {
		t.Errorf("rule = %+v, filter %+v: want a V2 rule with an empty filter prefix", rule, rule.Filter)
	}
}
