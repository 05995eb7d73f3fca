package snapshot

// The replication configuration uses the AWS API's field names, so that the
// JSON of `aws s3api get-bucket-replication` and of
// `put-bucket-replication --replication-configuration` reads unchanged.

// ReplicationConfiguration is a bucket's replication configuration.
type ReplicationConfiguration struct {
	Role  string            `json:"Role"`
	Rules []ReplicationRule `json:"Rules"`
}

// ReplicationRule is one rule. A rule with Filter is a V2 rule; a rule with
// the deprecated top-level Prefix and no Filter is a V1 rule.
type ReplicationRule struct {
	ID                        string                   `json:"ID,omitempty"`
	Priority                  *int                     `json:"Priority,omitempty"`
	Prefix                    *string                  `json:"Prefix,omitempty"`
	Filter                    *ReplicationRuleFilter   `json:"Filter,omitempty"`
	Status                    string                   `json:"Status"`
	SourceSelectionCriteria   *SourceSelectionCriteria `json:"SourceSelectionCriteria,omitempty"`
	ExistingObjectReplication *StatusElement           `json:"ExistingObjectReplication,omitempty"`
	Destination               Destination              `json:"Destination"`
	DeleteMarkerReplication   *StatusElement           `json:"DeleteMarkerReplication,omitempty"`
}

// ReplicationRuleFilter selects the objects a V2 rule applies to: exactly
// one of Prefix, Tag and And.
type ReplicationRuleFilter struct {
	Prefix *string                     `json:"Prefix,omitempty"`
	Tag    *Tag                        `json:"Tag,omitempty"`
	And    *ReplicationRuleAndOperator `json:"And,omitempty"`
}

// ReplicationRuleAndOperator combines a prefix and tags.
type ReplicationRuleAndOperator struct {
	Prefix *string `json:"Prefix,omitempty"`
	Tags   []Tag   `json:"Tags,omitempty"`
}

// Tag is an S3 object tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// StatusElement is an element holding only Status (Enabled or Disabled).
type StatusElement struct {
	Status string `json:"Status"`
}

// SourceSelectionCriteria opts encrypted objects and replica modifications
// in.
type SourceSelectionCriteria struct {
	SseKmsEncryptedObjects *StatusElement `json:"SseKmsEncryptedObjects,omitempty"`
	ReplicaModifications   *StatusElement `json:"ReplicaModifications,omitempty"`
}

// Destination is where a rule replicates to.
type Destination struct {
	Bucket                   string                    `json:"Bucket"`
	Account                  string                    `json:"Account,omitempty"`
	StorageClass             string                    `json:"StorageClass,omitempty"`
	AccessControlTranslation *AccessControlTranslation `json:"AccessControlTranslation,omitempty"`
	EncryptionConfiguration  *EncryptionConfiguration  `json:"EncryptionConfiguration,omitempty"`
	ReplicationTime          *ReplicationTime          `json:"ReplicationTime,omitempty"`
	Metrics                  *Metrics                  `json:"Metrics,omitempty"`
}

// AccessControlTranslation is the owner override.
type AccessControlTranslation struct {
	Owner string `json:"Owner"`
}

// EncryptionConfiguration names the replica KMS key.
type EncryptionConfiguration struct {
	ReplicaKmsKeyID string `json:"ReplicaKmsKeyID,omitempty"`
}

// ReplicationTime is S3 Replication Time Control.
type ReplicationTime struct {
	Status string              `json:"Status"`
	Time   *ReplicationMinutes `json:"Time,omitempty"`
}

// Metrics is replication metrics (and failure events).
type Metrics struct {
	Status         string              `json:"Status"`
	EventThreshold *ReplicationMinutes `json:"EventThreshold,omitempty"`
}

// ReplicationMinutes is a duration in minutes.
type ReplicationMinutes struct {
	Minutes int `json:"Minutes"`
}

// IsV2 reports whether the rule uses the V2 schema (it has a Filter).
func (r *ReplicationRule) IsV2() bool { return r.Filter != nil }

// Enabled reports whether a status element is present and Enabled.
func (s *StatusElement) Enabled() bool { return s != nil && s.Status == "Enabled" }

// FilterPrefix is the key prefix the rule selects ("" for all keys).
func (r *ReplicationRule) FilterPrefix() string {
	switch {
	case r.Filter == nil && r.Prefix != nil:
		return *r.Prefix
	case r.Filter == nil:
		return ""
	case r.Filter.Prefix != nil:
		return *r.Filter.Prefix
	case r.Filter.And != nil && r.Filter.And.Prefix != nil:
		return *r.Filter.And.Prefix
	}
	return ""
}

// FilterTags are the tags the rule's filter requires.
func (r *ReplicationRule) FilterTags() []Tag {
	switch {
	case r.Filter == nil:
		return nil
	case r.Filter.Tag != nil:
		return []Tag{*r.Filter.Tag}
	case r.Filter.And != nil:
		return r.Filter.And.Tags
	}
	return nil
}

// ReplicatesDeleteMarkers reports whether S3 replicates delete markers for
// this rule: always for V1 rules, for V2 rules only when
// DeleteMarkerReplication is Enabled (delete-marker-replication.html).
func (r *ReplicationRule) ReplicatesDeleteMarkers() bool {
	if !r.IsV2() {
		return true
	}
	return r.DeleteMarkerReplication.Enabled()
}

// ReplicatesKMSObjects reports whether the rule opts SSE-KMS and DSSE-KMS
// objects in.
func (r *ReplicationRule) ReplicatesKMSObjects() bool {
	return r.SourceSelectionCriteria != nil && r.SourceSelectionCriteria.SseKmsEncryptedObjects.Enabled()
}

// RuleName identifies rule i in findings: its ID, or "rule[N]".
func (c *ReplicationConfiguration) RuleName(i int) string {
	if id := c.Rules[i].ID; id != "" {
		return id
	}
	return "rule[" + itoa(i) + "]"
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
