package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// ruleSamples returns the sampled source object versions the rule selects
// (by prefix and tags), leaving out delete markers and versions known to be
// gone. maybe lists the versions under the rule's prefix whose tags could
// not be read: whether a tag-filtered rule selects them is unknown.
func (t *Target) ruleSamples() (selected, maybe []*snapshot.ObjectVersion) {
	prefix, tags := t.Rule.FilterPrefix(), t.Rule.FilterTags()
	for i := range t.Facts.Snap.Objects {
		o := &t.Facts.Snap.Objects[i]
		if o.IsDeleteMarker || (o.Exists.IsKnown() && !o.Exists.Value) || !strings.HasPrefix(o.Key, prefix) {
			continue
		}
		switch have := o.TagsFact(); {
		case len(tags) == 0:
			selected = append(selected, o)
		case have.IsUnknown():
			maybe = append(maybe, o)
		case missingTags(have.Value, tags) == "":
			selected = append(selected, o)
		}
	}
	return selected, maybe
}

// sampledInRule returns the sampled source versions under the rule's
// prefix, or a skip outcome when there are none. Tags are not part of the
// scope: an object whose tags miss the rule's filter is exactly what
// SrcObjectNotEligible reports.
func (t *Target) sampledInRule() ([]*snapshot.ObjectVersion, *Outcome) {
	all := t.Facts.Snap.Objects
	prefix := t.Rule.FilterPrefix()
	var out []*snapshot.ObjectVersion
	for i := range all {
		if strings.HasPrefix(all[i].Key, prefix) {
			out = append(out, &all[i])
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	var o Outcome
	if why := t.Facts.Snap.ObjectSampling; why != nil {
		o = unknown("object versions under the rule's prefix " + fmt.Sprintf("%q", prefix) + " could not be sampled: " + why.String())
	} else if len(all) == 0 {
		o = skip("no object versions were sampled (run with --objects N)")
	} else {
		o = skip(fmt.Sprintf("none of the %d sampled object versions is under the rule's prefix %q", len(all), prefix))
	}
	return nil, &o
}

// versionName names a sampled version for messages: `src/key (version v)`.
func (t *Target) versionName(o *snapshot.ObjectVersion) string {
	name := t.Source().Name + "/" + o.Key
	if o.VersionID != "" {
		name += " (version " + o.VersionID + ")"
	}
	return name
}

// versionEvidence is an evidence line for a sampled version.
func (t *Target) versionEvidence(o *snapshot.ObjectVersion, what string) string {
	return "s3:HeadObject " + t.versionName(o) + " -> " + what
}

// someNames lists at most three names, then how many more.
func someNames(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
}

// isCompleted reports whether a replication status says the version was
// replicated (COMPLETE is the legacy spelling some SDKs still return).
func isCompleted(status string) bool { return status == "COMPLETED" || status == "COMPLETE" }

// goneKind says which missing source entries a check reports.
type goneKind int

const (
	// goneKey: entries naming only a key, whose key is gone.
	goneKey goneKind = iota
	// goneVersion: versions gone while their key keeps a live version.
	goneVersion
	// goneObject: versions gone with no live version of their key left
	// (nothing, or only delete markers).
	goneObject
)

// goneText holds a gone kind's wording.
var goneText = map[goneKind]struct{ entries, fact, reason, none string }{
	goneKey:     {"keys", "no longer exist", "SrcKeyNotFound", "all %d sampled keys under %q still exist in %s"},
	goneVersion: {"versions", "were deleted while other versions of their keys remain", "SrcVersionNotFound", "none of the %d sampled versions under %q was deleted from %s while its key lives on"},
	goneObject:  {"versions", "were deleted and no version of their keys remains (at most a delete marker)", "SrcObjectNotFound", "none of the %d sampled versions under %q belongs to a key with no version left in %s"},
}

// Whether a key still has a version that is not a delete marker.
const (
	keyDead = iota
	keyMaybe
	keyLive
)

// keyLiveness maps each sampled key to keyDead, keyMaybe (a version's
// existence was not read) or keyLive.
func keyLiveness(objs []*snapshot.ObjectVersion) map[string]int {
	live := map[string]int{}
	for _, v := range objs {
		switch {
		case v.IsDeleteMarker:
		case v.Exists.IsKnown() && v.Exists.Value:
			live[v.Key] = keyLive
		case !v.Exists.IsKnown():
			live[v.Key] = max(live[v.Key], keyMaybe)
		}
	}
	return live
}

// sourceGoneOutcome decides SrcKeyNotFound, SrcVersionNotFound and
// SrcObjectNotFound from the sampled entries under the rule's prefix whose
// existence was checked (s3:HeadObject, with the version ID when there is
// one).
func (t *Target) sourceGoneOutcome(kind goneKind) Outcome {
	objs, o := t.sampledInRule()
	if o != nil {
		return *o
	}
	text := goneText[kind]
	prefix := t.Rule.FilterPrefix()
	live := keyLiveness(objs)
	var considered, found int
	var gone, undecided []string
	var evidence []string
	for _, v := range objs {
		if (v.VersionID == "") != (kind == goneKey) {
			continue
		}
		considered++
		if !v.Exists.IsKnown() {
			undecided = append(undecided, t.versionName(v))
			evidence = append(evidence, t.versionEvidence(v, v.Exists.Why()))
			continue
		}
		if v.Exists.Value {
			found++
			continue
		}
		evidence = append(evidence, t.versionEvidence(v, "404 Not Found"))
		switch l := live[v.Key]; {
		case kind == goneKey, l == keyLive && kind == goneVersion, l == keyDead && kind == goneObject:
			gone = append(gone, t.versionName(v))
		case l == keyMaybe:
			undecided = append(undecided, t.versionName(v)+" (gone; whether another version of the key exists was not read)")
		}
	}
	switch {
	case considered == 0 && kind == goneKey:
		return skip(fmt.Sprintf("every sampled entry under %q names a version ID (SrcVersionNotFound and SrcObjectNotFound judge them)", prefix))
	case considered == 0:
		return skip(fmt.Sprintf("no sampled entry under %q names a version ID (SrcKeyNotFound judges them)", prefix))
	case len(gone) > 0:
		return fail(fmt.Sprintf("%d of %d sampled %s under %q in %s %s: replicating them fails with %s (%s)",
			len(gone), considered, text.entries, prefix, t.Source().Name, text.fact, text.reason, someNames(gone)),
			"entries deleted before replication cannot be replicated: build the Batch Replication manifest from the bucket's current versions "+
				"(an S3-generated manifest, aws s3control create-job --manifest-generator '{\"S3JobManifestGenerator\":{\"SourceBucket\":\""+t.Source().ARN+
				"\",\"EnableManifestOutput\":false,\"Filter\":{\"EligibleForReplication\":true}}}' ...) instead of a stale list, "+
				"and do not delete versions by ID while their ReplicationStatus is PENDING",
			evidence...)
	case len(undecided) > 0:
		return unknown(fmt.Sprintf("could not tell whether %d of %d sampled %s under %q still exist in %s: %s",
			len(undecided), considered, text.entries, prefix, t.Source().Name, someNames(undecided)), evidence...)
	}
	evidence = append(evidence, fmt.Sprintf("s3:HeadObject %d sampled %s of %s under %q -> %d found", considered, text.entries, t.Source().Name, prefix, found))
	return pass(fmt.Sprintf(text.none, considered, prefix, t.Source().Name), evidence...)
}
