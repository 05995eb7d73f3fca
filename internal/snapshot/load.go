package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/replcheck/replcheck/internal/strictjson"
)

// FileError is an invalid input file: the file, the JSON path of the field,
// and what is wrong.
type FileError struct {
	File string
	Path string
	Msg  string
}

// Error returns "FILE: PATH: MSG".
func (e *FileError) Error() string {
	if e.Path == "" {
		return e.File + ": " + e.Msg
	}
	return e.File + ": " + e.Path + ": " + e.Msg
}

// Load reads and validates a snapshot file.
func Load(file string) (*Snapshot, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	return Decode(file, data)
}

// Decode parses a snapshot; file names the input in errors.
func Decode(file string, data []byte) (*Snapshot, error) {
	var s Snapshot
	if err := strictjson.Unmarshal(data, &s); err != nil {
		return nil, fileError(file, err)
	}
	if s.SchemaVersion != SchemaVersion {
		return nil, &FileError{File: file, Path: "schemaVersion", Msg: fmt.Sprintf("got %d, want %d (this replcheck reads snapshot schema version %d)", s.SchemaVersion, SchemaVersion, SchemaVersion)}
	}
	if err := s.Validate(); err != nil {
		return nil, fileError(file, err)
	}
	return &s, nil
}

// LoadConfig reads a replication configuration file in either form the AWS
// CLI uses: the bare object passed to put-bucket-replication, or the
// {"ReplicationConfiguration": {...}} that get-bucket-replication prints.
func LoadConfig(file string) (*ReplicationConfiguration, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read replication configuration: %w", err)
	}
	return DecodeConfig(file, data)
}

// DecodeConfig parses a replication configuration; file names the input in
// errors.
func DecodeConfig(file string, data []byte) (*ReplicationConfiguration, error) {
	var wrapped struct {
		ReplicationConfiguration json.RawMessage `json:"ReplicationConfiguration"`
	}
	prefix := ""
	if json.Unmarshal(data, &wrapped) == nil && len(bytes.TrimSpace(wrapped.ReplicationConfiguration)) > 0 {
		var outer map[string]json.RawMessage
		_ = json.Unmarshal(data, &outer)
		if len(outer) != 1 {
			return nil, &FileError{File: file, Msg: "a wrapped configuration holds only \"ReplicationConfiguration\""}
		}
		data, prefix = wrapped.ReplicationConfiguration, "ReplicationConfiguration"
	}
	var c ReplicationConfiguration
	if err := strictjson.Unmarshal(data, &c); err != nil {
		fe := fileError(file, err)
		if prefix != "" {
			fe.Path = strictjson.Join(prefix, fe.Path)
		}
		return nil, fe
	}
	if err := c.validate(); err != nil {
		fe := fileError(file, err)
		if prefix != "" {
			fe.Path = strictjson.Join(prefix, fe.Path)
		}
		return nil, fe
	}
	return &c, nil
}

func fileError(file string, err error) *FileError {
	if se, ok := err.(*strictjson.Error); ok {
		return &FileError{File: file, Path: se.Path, Msg: se.Msg}
	}
	return &FileError{File: file, Msg: err.Error()}
}
