package snapshot

// Origins says where a source of facts declares each fact, in its own
// terms: the addresses of Terraform resources for a plan. Findings name
// the address of the fact they judge (see checks.Subject); a fact without
// an address falls back to the replication configuration's. Sources
// without addresses (live AWS, snapshot files) leave Origins nil.
type Origins struct {
	// Replication declares the replication configuration.
	Replication string `json:"replication,omitempty"`
	// Buckets are per bucket name.
	Buckets map[string]BucketOrigins `json:"buckets,omitempty"`
	// Roles are per role ARN, as the snapshot's roles name them.
	Roles map[string]RoleOrigins `json:"roles,omitempty"`
	// Keys map a KMS key ARN (or alias, as configured) to the address
	// that declares the key.
	Keys map[string]string `json:"keys,omitempty"`
	// Locations map an address to the file and line that declare it.
	Locations map[string]Location `json:"locations,omitempty"`
}

// BucketOrigins are the addresses declaring a bucket and each of its
// settings; an empty setting is declared with the bucket.
type BucketOrigins struct {
	Bucket         string `json:"bucket,omitempty"`
	Versioning     string `json:"versioning,omitempty"`
	ObjectLock     string `json:"objectLock,omitempty"`
	Encryption     string `json:"encryption,omitempty"`
	Policy         string `json:"policy,omitempty"`
	Ownership      string `json:"ownership,omitempty"`
	RequestPayment string `json:"requestPayment,omitempty"`
	Lifecycle      string `json:"lifecycle,omitempty"`
}

// RoleOrigins are the addresses declaring a role and its policies.
type RoleOrigins struct {
	// Role declares the role and its trust policy.
	Role string `json:"role,omitempty"`
	// Policies map an inline policy's name, or a managed policy's ARN, to
	// the address that declares it (or attaches it).
	Policies map[string]string `json:"policies,omitempty"`
}

// Location is a position in a file.
type Location struct {
	File string `json:"file"`
	// Line is 1-based; 0 when only the file is known.
	Line int `json:"line,omitempty"`
}

// Aspect returns the address declaring one of a bucket's settings
// ("versioning", "objectLock", "encryption", "policy", "ownership",
// "requestPayment", "lifecycle"), or the bucket's own for "" and for a
// setting declared with the bucket.
func (b BucketOrigins) Aspect(name string) string {
	var a string
	switch name {
	case "versioning":
		a = b.Versioning
	case "objectLock":
		a = b.ObjectLock
	case "encryption":
		a = b.Encryption
	case "policy":
		a = b.Policy
	case "ownership":
		a = b.Ownership
	case "requestPayment":
		a = b.RequestPayment
	case "lifecycle":
		a = b.Lifecycle
	}
	if a == "" {
		return b.Bucket
	}
	return a
}
