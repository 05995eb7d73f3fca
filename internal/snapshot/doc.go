// Package snapshot is the facts model that replcheck's checks read: the
// source and destination buckets, the replication configuration, the
// replication role, KMS keys, organization policies, sampled object versions
// and recorded simulator decisions.
//
// Every fact is Known, Absent (AWS answered "not configured") or Unknown
// (with the error that kept it from being read). The zero Fact is Unknown,
// so a fact nobody gathered can never pass a check.
//
// A Snapshot round-trips through JSON: `replcheck snapshot` writes one,
// `replcheck preflight --snapshot` reads one, and fixtures are snapshots.
// docs/snapshot.md documents the format.
package snapshot
