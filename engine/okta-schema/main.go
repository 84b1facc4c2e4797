// Command terraform-provider-okta is a schema-only stand-in for the okta/okta
// Terraform provider, built by accessctl's engine harness.
//
// The real provider cannot be built here, yet `tofu test` with
// `mock_provider "okta" {}` still starts a provider plugin to learn the
// schema of every resource and data source. This program is that plugin: it
// serves the schema embedded from schema.json (the output of
// `tofu providers schema -json` for okta/okta) over plugin protocol 6,
// validates nothing beyond what OpenTofu checks against that schema, re-encodes
// stored state on upgrade, and refuses every call that would need Okta.
//
// With ACCESSCTL_OKTA_EMULATOR set to the path of a JSON store, it instead
// emulates a tiny Okta org kept in that file, so that plans, applies and
// imports run (emulator.go; README.md describes the store).
//
// Set ACCESSCTL_OKTA_SCHEMA_RPC_LOG to a file path to have each call OpenTofu
// makes appended to that file.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// providerAddress is the source address the plugin is served under.
const providerAddress = "registry.opentofu.org/okta/okta"

//go:embed schema.json
var schemaJSON []byte

func main() {
	log := &rpcLog{path: os.Getenv("ACCESSCTL_OKTA_SCHEMA_RPC_LOG")}
	srv := newServer(schemaJSON, log)
	if store := os.Getenv(emulatorEnv); store != "" {
		srv.emu = newEmulator(store, srv.schemas)
	}
	if err := tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return srv }); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
