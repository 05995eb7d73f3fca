package snapshot

import "fmt"

// Changes are what an apply would change, for a source of facts that
// plans (a Terraform plan). Sources that read the present state (live
// AWS, snapshot files) leave Changes nil: nothing is pending.
type Changes struct {
	// Replication is the apply's change to the replication
	// configuration; nil when the apply leaves it as it is.
	Replication *Change `json:"replication,omitempty"`
	// Versioning lists the apply's changes that create or enable a
	// bucket's versioning.
	Versioning []VersioningChange `json:"versioning,omitempty"`
}

// Change is one resource the apply creates or updates.
type Change struct {
	// Address names the change, e.g. a Terraform resource address.
	Address string `json:"address"`
	// Action is "create", "update" or "replace".
	Action string `json:"action"`
	// DependsOn lists the addresses the change waits for in the apply,
	// directly or transitively (depends_on and references).
	DependsOn []string `json:"dependsOn,omitempty"`
}

// VersioningChange enables versioning on a bucket.
type VersioningChange struct {
	// Bucket is the bucket's name.
	Bucket string `json:"bucket"`
	// Address names the change; Action is "create", "update" or
	// "replace".
	Address string `json:"address"`
	Action  string `json:"action"`
}

// Waits reports whether the change waits for the one at address.
func (c *Change) Waits(address string) bool {
	for _, d := range c.DependsOn {
		if d == address {
			return true
		}
	}
	return false
}

// validate checks that every change names its address and bucket.
func (c *Changes) validate() error {
	if c == nil {
		return nil
	}
	if c.Replication != nil && c.Replication.Address == "" {
		return fieldError("changes.replication.address", "required")
	}
	for i, v := range c.Versioning {
		if v.Address == "" {
			return fieldError(fmt.Sprintf("changes.versioning[%d].address", i), "required")
		}
		if v.Bucket == "" {
			return fieldError(fmt.Sprintf("changes.versioning[%d].bucket", i), "required")
		}
	}
	return nil
}
