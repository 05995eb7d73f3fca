package main

import "runtime/debug"

// version is set at link time: go build -ldflags "-X main.version=v1.2.3".
var version = "dev"

// buildVersion returns version, or the module version recorded by
// `go install module@version` when the linker did not set one.
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}
