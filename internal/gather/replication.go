package gather

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// replication reads a bucket's replication configuration.
func (r *run) replication(c *s3.Client, name string) snapshot.Fact[snapshot.ReplicationConfiguration] {
	return read(r, "s3:GetBucketReplication", "s3:GetReplicationConfiguration",
		func(ctx context.Context) (*s3.GetBucketReplicationOutput, error) {
			return c.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: &name})
		},
		func(o *s3.GetBucketReplicationOutput) snapshot.Fact[snapshot.ReplicationConfiguration] {
			if o.ReplicationConfiguration == nil {
				return snapshot.AbsentFact[snapshot.ReplicationConfiguration]()
			}
			return snapshot.KnownFact(convertConfig(o.ReplicationConfiguration))
		})
}

// convertConfig turns the SDK's configuration into the snapshot's, field
// for field.
func convertConfig(c *types.ReplicationConfiguration) snapshot.ReplicationConfiguration {
	out := snapshot.ReplicationConfiguration{Role: deref(c.Role)}
	for _, r := range c.Rules {
		rule := snapshot.ReplicationRule{
			ID:     deref(r.ID),
			Prefix: r.Prefix,
			Status: string(r.Status),
		}
		if r.Priority != nil {
			p := int(*r.Priority)
			rule.Priority = &p
		}
		if f := r.Filter; f != nil {
			rule.Filter = &snapshot.ReplicationRuleFilter{Prefix: f.Prefix}
			if f.Tag != nil {
				rule.Filter.Tag = &snapshot.Tag{Key: deref(f.Tag.Key), Value: deref(f.Tag.Value)}
			}
			if f.And != nil {
				and := &snapshot.ReplicationRuleAndOperator{Prefix: f.And.Prefix}
				for _, t := range f.And.Tags {
					and.Tags = append(and.Tags, snapshot.Tag{Key: deref(t.Key), Value: deref(t.Value)})
				}
				rule.Filter.And = and
			}
		}
		if s := r.SourceSelectionCriteria; s != nil {
			rule.SourceSelectionCriteria = &snapshot.SourceSelectionCriteria{}
			if s.SseKmsEncryptedObjects != nil {
				rule.SourceSelectionCriteria.SseKmsEncryptedObjects = &snapshot.StatusElement{Status: string(s.SseKmsEncryptedObjects.Status)}
			}
			if s.ReplicaModifications != nil {
				rule.SourceSelectionCriteria.ReplicaModifications = &snapshot.StatusElement{Status: string(s.ReplicaModifications.Status)}
			}
		}
		if e := r.ExistingObjectReplication; e != nil {
			rule.ExistingObjectReplication = &snapshot.StatusElement{Status: string(e.Status)}
		}
		if d := r.DeleteMarkerReplication; d != nil {
			rule.DeleteMarkerReplication = &snapshot.StatusElement{Status: string(d.Status)}
		}
		if d := r.Destination; d != nil {
			rule.Destination = convertDestination(d)
		}
		out.Rules = append(out.Rules, rule)
	}
	return out
}

func convertDestination(d *types.Destination) snapshot.Destination {
	out := snapshot.Destination{Bucket: deref(d.Bucket), Account: deref(d.Account), StorageClass: string(d.StorageClass)}
	if a := d.AccessControlTranslation; a != nil {
		out.AccessControlTranslation = &snapshot.AccessControlTranslation{Owner: string(a.Owner)}
	}
	if e := d.EncryptionConfiguration; e != nil {
		out.EncryptionConfiguration = &snapshot.EncryptionConfiguration{ReplicaKmsKeyID: deref(e.ReplicaKmsKeyID)}
	}
	if t := d.ReplicationTime; t != nil {
		out.ReplicationTime = &snapshot.ReplicationTime{Status: string(t.Status)}
		if t.Time != nil {
			out.ReplicationTime.Time = &snapshot.ReplicationMinutes{Minutes: int(aws32(t.Time.Minutes))}
		}
	}
	if m := d.Metrics; m != nil {
		out.Metrics = &snapshot.Metrics{Status: string(m.Status)}
		if m.EventThreshold != nil {
			out.Metrics.EventThreshold = &snapshot.ReplicationMinutes{Minutes: int(aws32(m.EventThreshold.Minutes))}
		}
	}
	return out
}
