package policy

import "strings"

// Context holds a request's condition keys and their values. Key names are
// case-insensitive, as in IAM: they are stored lower-cased.
type Context struct {
	values map[string][]string
}

// NewContext builds a Context from keys and values; keys are folded to lower
// case, and values of keys that differ only in case are merged.
func NewContext(m map[string][]string) Context {
	c := Context{values: make(map[string][]string, len(m))}
	for k, v := range m {
		c.Set(k, v...)
	}
	return c
}

// Set adds values to key (case-insensitive). Set with no values records the
// key as present with an empty value set, which ForAllValues treats as empty.
func (c *Context) Set(key string, values ...string) {
	if c.values == nil {
		c.values = make(map[string][]string)
	}
	k := strings.ToLower(key)
	c.values[k] = append(c.values[k], values...)
}

// Get returns the values of key (case-insensitive) and whether it is present.
func (c Context) Get(key string) ([]string, bool) {
	v, ok := c.values[strings.ToLower(key)]
	return v, ok
}

// Keys returns the lower-cased keys present in the context, in no particular
// order.
func (c Context) Keys() []string {
	keys := make([]string, 0, len(c.values))
	for k := range c.values {
		keys = append(keys, k)
	}
	return keys
}

// lookup reads a key that is already lower case, without allocating.
func (c Context) lookup(lowerKey string) ([]string, bool) {
	v, ok := c.values[lowerKey]
	return v, ok
}

// Request is one authorization question: may Principal perform Action on
// Resource, given Context.
type Request struct {
	// Principal is the caller: an IAM role ARN (the caller is then a session of
	// that role, as when S3 assumes a replication role), an assumed-role
	// session ARN, an IAM user ARN, an account root ARN, or a service
	// principal name such as "s3.amazonaws.com".
	Principal string
	// PrincipalAccount is the caller's account; when empty it is read from
	// the Principal ARN.
	PrincipalAccount string
	// Action is "service:Action", for example "s3:ReplicateObject".
	Action string
	// Resource is the ARN acted on. A KMS key ARN is evaluated with key-policy
	// rules, an IAM role ARN with sts:AssumeRole* with trust-policy rules.
	Resource string
	// ResourceAccount owns the resource. When empty it is read from the
	// Resource ARN; S3 ARNs carry no account, so it then defaults to the
	// principal's account.
	ResourceAccount string
	// Context holds the condition keys. aws:PrincipalArn,
	// aws:PrincipalAccount and (for IAM users) aws:username are derived from
	// Principal when the context does not set them.
	Context Context
}
