//go:build !unix

package main

// lockDir is a no-op where flock does not exist: the in-process mutex is the
// only serialisation, which suffices while OpenTofu runs one plugin process
// at a time against a store.
func lockDir(string) (func(), error) { return func() {}, nil }
