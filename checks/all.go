package checks

import "strings"

// All lists every check, in the order reports list a rule's findings.
var All = []*Check{
	SrcBucketReplicationConfigMissing,
	AssumeRoleNotPermitted,
	DstBucketUnversioned,
	DstPutObjNotPermitted,
}

// Lookup returns the check whose reason or alias is name, ignoring case,
// or nil.
func Lookup(name string) *Check {
	for _, c := range All {
		for _, n := range c.Names() {
			if strings.EqualFold(n, name) {
				return c
			}
		}
	}
	return nil
}
