package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// standInNote is the plain statement every refused call carries.
const standInNote = "This is a schema-only stand-in for okta/okta built by accessctl's engine harness; " +
	"it answers only under `tofu test` with `mock_provider \"okta\"`. " +
	"It has no Okta client and cannot read or change anything in an Okta org. " +
	"Use the real okta/okta provider for plans and applies against Okta."

// server implements the protocol 6 provider server from a converted schema
// document. It answers schema, validation and state-upgrade calls, which
// `tofu test` still sends to a mocked provider, and refuses everything else.
type server struct {
	schemas *ProviderSchemas
	// loadErr is set when the embedded schema did not convert; every call
	// then reports it instead of a schema.
	loadErr error
	log     *rpcLog
	// emu is set in emulator mode (ACCESSCTL_OKTA_EMULATOR names a store
	// file): plan, apply, read, import and data source reads are then
	// answered from that store instead of refused. See emulator.go.
	emu *emulator
}

var (
	_ tfprotov6.ProviderServer                 = (*server)(nil)
	_ tfprotov6.ProviderServerWithListResource = (*server)(nil)
	_ tfprotov6.ProviderServerWithActions      = (*server)(nil)
	_ tfprotov6.ProviderServerWithStateStores  = (*server)(nil)
)

func newServer(schemaJSON []byte, log *rpcLog) *server {
	s, err := ParseProviderSchemas(schemaJSON)
	return &server{schemas: s, loadErr: err, log: log}
}

// rpcLog appends one line per call to the file named by
// ACCESSCTL_OKTA_SCHEMA_RPC_LOG, for seeing what OpenTofu asks of the plugin.
type rpcLog struct {
	mu   sync.Mutex
	path string
}

func (l *rpcLog) record(rpc, typeName string) {
	if l == nil || l.path == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	f, err := os.OpenFile(l.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s pid=%d %s %s\n", time.Now().UTC().Format(time.RFC3339Nano), os.Getpid(), rpc, typeName)
}

func errorDiag(summary, detail string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  summary,
		Detail:   detail,
	}}
}

// refuse is the answer to any call that would need to talk to Okta.
func refuse(rpc, kind, typeName string) []*tfprotov6.Diagnostic {
	what := rpc
	if typeName != "" {
		what = fmt.Sprintf("%s for %s %s", rpc, kind, typeName)
	}
	return errorDiag(
		"okta/okta schema-only stand-in cannot run "+rpc,
		fmt.Sprintf("%s\n\nRefused call: %s.", standInNote, what),
	)
}

// valueType turns a schema type into the type of values that conform to it.
// Object types in a schema may mark attributes optional, but tftypes refuses
// to build values of such types; a conforming value has every attribute, the
// optional ones possibly null, so the marks are dropped.
func valueType(t tftypes.Type) tftypes.Type {
	switch t := t.(type) {
	case tftypes.Object:
		attrs := make(map[string]tftypes.Type, len(t.AttributeTypes))
		for k, v := range t.AttributeTypes {
			attrs[k] = valueType(v)
		}
		return tftypes.Object{AttributeTypes: attrs}
	case tftypes.List:
		return tftypes.List{ElementType: valueType(t.ElementType)}
	case tftypes.Set:
		return tftypes.Set{ElementType: valueType(t.ElementType)}
	case tftypes.Map:
		return tftypes.Map{ElementType: valueType(t.ElementType)}
	case tftypes.Tuple:
		elems := make([]tftypes.Type, len(t.ElementTypes))
		for i, v := range t.ElementTypes {
			elems[i] = valueType(v)
		}
		return tftypes.Tuple{ElementTypes: elems}
	}
	return t
}

// decodeRaw reads stored JSON (state or identity) as a value of typ and
// re-encodes it for the wire. tftypes reports some mismatches by panicking;
// those become errors here rather than a crashed plugin.
func decodeRaw(raw *tfprotov6.RawState, typ tftypes.Type) (dv *tfprotov6.DynamicValue, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	val, err := raw.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return nil, err
	}
	out, err := tfprotov6.NewDynamicValue(typ, val)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func (s *server) loadDiags() []*tfprotov6.Diagnostic {
	if s.loadErr == nil {
		return nil
	}
	return errorDiag("okta/okta schema-only stand-in has no usable schema",
		fmt.Sprintf("The schema.json embedded in this stand-in did not convert: %v\n\n%s", s.loadErr, standInNote))
}

func unknownType(kind, typeName string) []*tfprotov6.Diagnostic {
	return errorDiag("Unknown "+kind+" type",
		fmt.Sprintf("The schema embedded in the okta/okta schema-only stand-in has no %s type %q.", kind, typeName))
}

func capabilities() *tfprotov6.ServerCapabilities {
	return &tfprotov6.ServerCapabilities{}
}

// --- Provider-level calls ---

func (s *server) GetMetadata(_ context.Context, _ *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	s.log.record("GetMetadata", "")
	resp := &tfprotov6.GetMetadataResponse{ServerCapabilities: capabilities()}
	if d := s.loadDiags(); d != nil {
		resp.Diagnostics = d
		return resp, nil
	}
	for _, name := range sortedKeys(s.schemas.Resources) {
		resp.Resources = append(resp.Resources, tfprotov6.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schemas.DataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov6.DataSourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schemas.EphemeralResources) {
		resp.EphemeralResources = append(resp.EphemeralResources, tfprotov6.EphemeralResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schemas.Functions) {
		resp.Functions = append(resp.Functions, tfprotov6.FunctionMetadata{Name: name})
	}
	return resp, nil
}

func (s *server) GetProviderSchema(_ context.Context, _ *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	s.log.record("GetProviderSchema", "")
	resp := &tfprotov6.GetProviderSchemaResponse{
		ServerCapabilities:       capabilities(),
		ResourceSchemas:          map[string]*tfprotov6.Schema{},
		DataSourceSchemas:        map[string]*tfprotov6.Schema{},
		EphemeralResourceSchemas: map[string]*tfprotov6.Schema{},
		Functions:                map[string]*tfprotov6.Function{},
		ListResourceSchemas:      map[string]*tfprotov6.Schema{},
		ActionSchemas:            map[string]*tfprotov6.ActionSchema{},
		StateStoreSchemas:        map[string]*tfprotov6.Schema{},
	}
	if d := s.loadDiags(); d != nil {
		resp.Diagnostics = d
		return resp, nil
	}
	resp.Provider = s.schemas.Provider
	resp.ResourceSchemas = s.schemas.Resources
	resp.DataSourceSchemas = s.schemas.DataSources
	resp.EphemeralResourceSchemas = s.schemas.EphemeralResources
	resp.Functions = s.schemas.Functions
	return resp, nil
}

func (s *server) GetResourceIdentitySchemas(_ context.Context, _ *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	s.log.record("GetResourceIdentitySchemas", "")
	resp := &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}
	if d := s.loadDiags(); d != nil {
		resp.Diagnostics = d
		return resp, nil
	}
	resp.IdentitySchemas = s.schemas.Identities
	return resp, nil
}

func (s *server) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	s.log.record("ValidateProviderConfig", "")
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config, Diagnostics: s.loadDiags()}, nil
}

func (s *server) ConfigureProvider(_ context.Context, _ *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	s.log.record("ConfigureProvider", "")
	return &tfprotov6.ConfigureProviderResponse{Diagnostics: s.loadDiags()}, nil
}

func (s *server) StopProvider(_ context.Context, _ *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.log.record("StopProvider", "")
	return &tfprotov6.StopProviderResponse{}, nil
}

// --- Managed resources ---

func (s *server) ValidateResourceConfig(_ context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	s.log.record("ValidateResourceConfig", req.TypeName)
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: s.loadDiags()}, nil
}

// UpgradeResourceState decodes the stored JSON state with the resource's
// current type and hands it back as a typed value. The stand-in has no
// upgraders of its own: it only re-encodes, so state that `tofu test` wrote
// with this same schema reads back unchanged.
func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	s.log.record("UpgradeResourceState", req.TypeName)
	resp := &tfprotov6.UpgradeResourceStateResponse{}
	if d := s.loadDiags(); d != nil {
		resp.Diagnostics = d
		return resp, nil
	}
	schema, ok := s.schemas.Resources[req.TypeName]
	if !ok {
		resp.Diagnostics = unknownType("resource", req.TypeName)
		return resp, nil
	}
	if req.Version > schema.Version {
		resp.Diagnostics = errorDiag("Resource state is newer than the schema",
			fmt.Sprintf("The state of %s has schema version %d; the okta/okta schema-only stand-in knows version %d.", req.TypeName, req.Version, schema.Version))
		return resp, nil
	}
	typ := valueType(schema.ValueType())
	if req.RawState == nil {
		resp.Diagnostics = errorDiag("Missing resource state", fmt.Sprintf("UpgradeResourceState for %s carried no state.", req.TypeName))
		return resp, nil
	}
	dv, err := decodeRaw(req.RawState, typ)
	if err != nil {
		resp.Diagnostics = errorDiag("Unreadable resource state",
			fmt.Sprintf("The stored state of %s does not match its schema: %v", req.TypeName, err))
		return resp, nil
	}
	resp.UpgradedState = dv
	return resp, nil
}

func (s *server) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	s.log.record("ReadResource", req.TypeName)
	if s.emu != nil {
		if d := s.loadDiags(); d != nil {
			return &tfprotov6.ReadResourceResponse{Diagnostics: d}, nil
		}
		return s.emu.readResource(req), nil
	}
	return &tfprotov6.ReadResourceResponse{Diagnostics: refuse("ReadResource", "resource", req.TypeName)}, nil
}

func (s *server) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	s.log.record("PlanResourceChange", req.TypeName)
	if s.emu != nil {
		if d := s.loadDiags(); d != nil {
			return &tfprotov6.PlanResourceChangeResponse{Diagnostics: d}, nil
		}
		return s.emu.planResourceChange(req), nil
	}
	return &tfprotov6.PlanResourceChangeResponse{Diagnostics: refuse("PlanResourceChange", "resource", req.TypeName)}, nil
}

func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	s.log.record("ApplyResourceChange", req.TypeName)
	if s.emu != nil {
		if d := s.loadDiags(); d != nil {
			return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: d}, nil
		}
		return s.emu.applyResourceChange(req), nil
	}
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: refuse("ApplyResourceChange", "resource", req.TypeName)}, nil
}

func (s *server) ImportResourceState(_ context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	s.log.record("ImportResourceState", req.TypeName)
	if s.emu != nil {
		if d := s.loadDiags(); d != nil {
			return &tfprotov6.ImportResourceStateResponse{Diagnostics: d}, nil
		}
		return s.emu.importResourceState(req), nil
	}
	return &tfprotov6.ImportResourceStateResponse{Diagnostics: refuse("ImportResourceState", "resource", req.TypeName)}, nil
}

// MoveResourceState is never offered (the capability is off); a call is
// refused because moving state between Okta resource types is provider logic
// the stand-in does not have.
func (s *server) MoveResourceState(_ context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	s.log.record("MoveResourceState", req.SourceTypeName+" -> "+req.TargetTypeName)
	return &tfprotov6.MoveResourceStateResponse{Diagnostics: refuse("MoveResourceState", "resource", req.TargetTypeName)}, nil
}

// UpgradeResourceIdentity re-encodes stored identity data with the current
// identity type, as UpgradeResourceState does for state.
func (s *server) UpgradeResourceIdentity(_ context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	s.log.record("UpgradeResourceIdentity", req.TypeName)
	resp := &tfprotov6.UpgradeResourceIdentityResponse{}
	if d := s.loadDiags(); d != nil {
		resp.Diagnostics = d
		return resp, nil
	}
	schema, ok := s.schemas.Identities[req.TypeName]
	if !ok {
		resp.Diagnostics = unknownType("resource identity", req.TypeName)
		return resp, nil
	}
	if req.RawIdentity == nil {
		resp.Diagnostics = errorDiag("Missing resource identity", fmt.Sprintf("UpgradeResourceIdentity for %s carried no identity.", req.TypeName))
		return resp, nil
	}
	typ := valueType(schema.ValueType())
	dv, err := decodeRaw(req.RawIdentity, typ)
	if err != nil {
		resp.Diagnostics = errorDiag("Unreadable resource identity",
			fmt.Sprintf("The stored identity of %s does not match its identity schema: %v", req.TypeName, err))
		return resp, nil
	}
	resp.UpgradedIdentity = &tfprotov6.ResourceIdentityData{IdentityData: dv}
	return resp, nil
}

// GenerateResourceConfig is never offered (the capability is off): it only
// follows an import, which the stand-in refuses.
func (s *server) GenerateResourceConfig(_ context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	s.log.record("GenerateResourceConfig", req.TypeName)
	return &tfprotov6.GenerateResourceConfigResponse{Diagnostics: refuse("GenerateResourceConfig", "resource", req.TypeName)}, nil
}

// --- Data sources ---

func (s *server) ValidateDataResourceConfig(_ context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	s.log.record("ValidateDataResourceConfig", req.TypeName)
	return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: s.loadDiags()}, nil
}

func (s *server) ReadDataSource(_ context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	s.log.record("ReadDataSource", req.TypeName)
	if s.emu != nil {
		if d := s.loadDiags(); d != nil {
			return &tfprotov6.ReadDataSourceResponse{Diagnostics: d}, nil
		}
		return s.emu.readDataSource(req), nil
	}
	return &tfprotov6.ReadDataSourceResponse{Diagnostics: refuse("ReadDataSource", "data source", req.TypeName)}, nil
}

// --- Functions ---

func (s *server) GetFunctions(_ context.Context, _ *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	s.log.record("GetFunctions", "")
	resp := &tfprotov6.GetFunctionsResponse{Functions: map[string]*tfprotov6.Function{}}
	if d := s.loadDiags(); d != nil {
		resp.Diagnostics = d
		return resp, nil
	}
	resp.Functions = s.schemas.Functions
	return resp, nil
}

func (s *server) CallFunction(_ context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	s.log.record("CallFunction", req.Name)
	return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{
		// OpenTofu adds its own full stop after this text.
		Text: fmt.Sprintf("%s Refused call: function %s", standInNote, req.Name),
	}}, nil
}

// --- Ephemeral resources ---

func (s *server) ValidateEphemeralResourceConfig(_ context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	s.log.record("ValidateEphemeralResourceConfig", req.TypeName)
	return &tfprotov6.ValidateEphemeralResourceConfigResponse{Diagnostics: s.loadDiags()}, nil
}

func (s *server) OpenEphemeralResource(_ context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	s.log.record("OpenEphemeralResource", req.TypeName)
	return &tfprotov6.OpenEphemeralResourceResponse{Diagnostics: refuse("OpenEphemeralResource", "ephemeral resource", req.TypeName)}, nil
}

func (s *server) RenewEphemeralResource(_ context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	s.log.record("RenewEphemeralResource", req.TypeName)
	return &tfprotov6.RenewEphemeralResourceResponse{Diagnostics: refuse("RenewEphemeralResource", "ephemeral resource", req.TypeName)}, nil
}

// CloseEphemeralResource has nothing to close, since nothing can be opened.
func (s *server) CloseEphemeralResource(_ context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	s.log.record("CloseEphemeralResource", req.TypeName)
	return &tfprotov6.CloseEphemeralResourceResponse{}, nil
}

// --- List resources, actions and state stores ---
//
// schema.json cannot describe any of these, so the stand-in offers none:
// validation of an unknown type is an error, and the remaining calls are
// refused.

func (s *server) ValidateListResourceConfig(_ context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	s.log.record("ValidateListResourceConfig", req.TypeName)
	return &tfprotov6.ValidateListResourceConfigResponse{Diagnostics: unknownType("list resource", req.TypeName)}, nil
}

func (s *server) ListResource(_ context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	s.log.record("ListResource", req.TypeName)
	diags := refuse("ListResource", "list resource", req.TypeName)
	return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
		yield(tfprotov6.ListResourceResult{Diagnostics: diags})
	}}, nil
}

func (s *server) ValidateActionConfig(_ context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	s.log.record("ValidateActionConfig", req.ActionType)
	return &tfprotov6.ValidateActionConfigResponse{Diagnostics: unknownType("action", req.ActionType)}, nil
}

func (s *server) PlanAction(_ context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	s.log.record("PlanAction", req.ActionType)
	return &tfprotov6.PlanActionResponse{Diagnostics: refuse("PlanAction", "action", req.ActionType)}, nil
}

func (s *server) InvokeAction(_ context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	s.log.record("InvokeAction", req.ActionType)
	diags := refuse("InvokeAction", "action", req.ActionType)
	return &tfprotov6.InvokeActionServerStream{Events: func(yield func(tfprotov6.InvokeActionEvent) bool) {
		yield(tfprotov6.InvokeActionEvent{Type: tfprotov6.CompletedInvokeActionEventType{Diagnostics: diags}})
	}}, nil
}

func (s *server) ValidateStateStoreConfig(_ context.Context, req *tfprotov6.ValidateStateStoreConfigRequest) (*tfprotov6.ValidateStateStoreConfigResponse, error) {
	s.log.record("ValidateStateStoreConfig", req.TypeName)
	return &tfprotov6.ValidateStateStoreConfigResponse{Diagnostics: unknownType("state store", req.TypeName)}, nil
}

func (s *server) ConfigureStateStore(_ context.Context, req *tfprotov6.ConfigureStateStoreRequest) (*tfprotov6.ConfigureStateStoreResponse, error) {
	s.log.record("ConfigureStateStore", req.TypeName)
	return &tfprotov6.ConfigureStateStoreResponse{Diagnostics: refuse("ConfigureStateStore", "state store", req.TypeName)}, nil
}

func (s *server) ReadStateBytes(_ context.Context, req *tfprotov6.ReadStateBytesRequest) (*tfprotov6.ReadStateBytesStream, error) {
	s.log.record("ReadStateBytes", req.TypeName)
	diags := refuse("ReadStateBytes", "state store", req.TypeName)
	return &tfprotov6.ReadStateBytesStream{Chunks: func(yield func(tfprotov6.ReadStateByteChunk) bool) {
		yield(tfprotov6.ReadStateByteChunk{Diagnostics: diags})
	}}, nil
}

func (s *server) WriteStateBytes(_ context.Context, stream *tfprotov6.WriteStateBytesStream) (*tfprotov6.WriteStateBytesResponse, error) {
	typeName := ""
	if stream != nil && stream.Chunks != nil {
		// Drain the stream so the client is not left blocked on a send.
		for chunk := range stream.Chunks {
			if chunk != nil && chunk.Meta != nil && typeName == "" {
				typeName = chunk.Meta.TypeName
			}
		}
	}
	s.log.record("WriteStateBytes", typeName)
	return &tfprotov6.WriteStateBytesResponse{Diagnostics: refuse("WriteStateBytes", "state store", typeName)}, nil
}

func (s *server) GetStates(_ context.Context, req *tfprotov6.GetStatesRequest) (*tfprotov6.GetStatesResponse, error) {
	s.log.record("GetStates", req.TypeName)
	return &tfprotov6.GetStatesResponse{Diagnostics: refuse("GetStates", "state store", req.TypeName)}, nil
}

func (s *server) DeleteState(_ context.Context, req *tfprotov6.DeleteStateRequest) (*tfprotov6.DeleteStateResponse, error) {
	s.log.record("DeleteState", req.TypeName)
	return &tfprotov6.DeleteStateResponse{Diagnostics: refuse("DeleteState", "state store", req.TypeName)}, nil
}

func (s *server) LockState(_ context.Context, req *tfprotov6.LockStateRequest) (*tfprotov6.LockStateResponse, error) {
	s.log.record("LockState", req.TypeName)
	return &tfprotov6.LockStateResponse{Diagnostics: refuse("LockState", "state store", req.TypeName)}, nil
}

func (s *server) UnlockState(_ context.Context, req *tfprotov6.UnlockStateRequest) (*tfprotov6.UnlockStateResponse, error) {
	s.log.record("UnlockState", req.TypeName)
	return &tfprotov6.UnlockStateResponse{Diagnostics: refuse("UnlockState", "state store", req.TypeName)}, nil
}
