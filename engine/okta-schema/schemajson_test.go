package main

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// sampleSchema is a small document in the `tofu providers schema -json`
// format, independent of the embedded schema.json.
const sampleSchema = `{
  "format_version": "1.0",
  "provider_schemas": {
    "registry.opentofu.org/okta/okta": {
      "provider": {"version": 0, "block": {
        "attributes": {
          "org_name":  {"type": "string", "optional": true, "description_kind": "plain"},
          "api_token": {"type": "string", "optional": true, "sensitive": true, "description_kind": "plain"}
        },
        "description_kind": "plain"
      }},
      "resource_schemas": {
        "okta_app_oauth": {"version": 3, "block": {
          "attributes": {
            "id":    {"type": "string", "optional": true, "computed": true},
            "label": {"type": "string", "required": true},
            "jwks":  {"type": ["set", ["object", {"kid": "string", "e": "string"}]], "optional": true},
            "meta":  {"type": ["object", {"a": "string", "b": ["tuple", ["number", "bool"]]}, ["b"]], "optional": true},
            "tokens": {
              "nested_type": {
                "attributes": {
                  "name":  {"type": "string", "required": true},
                  "value": {"type": "string", "computed": true, "sensitive": true}
                },
                "nesting_mode": "map"
              },
              "optional": true
            }
          },
          "block_types": {
            "groups_claim": {
              "nesting_mode": "list",
              "block": {
                "attributes": {"name": {"type": "string", "required": true}},
                "block_types": {
                  "filter": {"nesting_mode": "set", "block": {"attributes": {"regex": {"type": "string", "optional": true}}}}
                }
              },
              "min_items": 1,
              "max_items": 2
            }
          },
          "description": "An OIDC app.",
          "description_kind": "markdown"
        }}
      },
      "data_source_schemas": {
        "okta_group": {"version": 0, "block": {
          "attributes": {"name": {"type": "string", "optional": true}, "users": {"type": ["list", "string"], "computed": true}}
        }}
      }
    }
  }
}`

func findAttr(t *testing.T, attrs []*tfprotov6.SchemaAttribute, name string) *tfprotov6.SchemaAttribute {
	t.Helper()
	for _, a := range attrs {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("attribute %s not found", name)
	return nil
}

func TestConvertSample(t *testing.T) {
	ps, err := ParseProviderSchemas([]byte(sampleSchema))
	if err != nil {
		t.Fatal(err)
	}
	if ps.Address != "registry.opentofu.org/okta/okta" {
		t.Errorf("address = %q", ps.Address)
	}

	// Sensitive provider attribute.
	token := findAttr(t, ps.Provider.Block.Attributes, "api_token")
	if !token.Sensitive || !token.Optional || token.Required || token.Computed || !token.Type.Equal(tftypes.String) {
		t.Errorf("api_token = %+v", token)
	}

	app := ps.Resources["okta_app_oauth"]
	if app == nil || app.Version != 3 {
		t.Fatalf("okta_app_oauth = %+v", app)
	}
	if app.Block.DescriptionKind != tfprotov6.StringKindMarkdown || app.Block.Description != "An OIDC app." {
		t.Errorf("block description = %q kind %v", app.Block.Description, app.Block.DescriptionKind)
	}
	if id := findAttr(t, app.Block.Attributes, "id"); !id.Optional || !id.Computed {
		t.Errorf("id = %+v", id)
	}
	if label := findAttr(t, app.Block.Attributes, "label"); !label.Required {
		t.Errorf("label = %+v", label)
	}

	// A set of objects type.
	wantJwks := tftypes.Set{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"kid": tftypes.String, "e": tftypes.String,
	}}}
	if got := findAttr(t, app.Block.Attributes, "jwks").Type; !got.Equal(wantJwks) {
		t.Errorf("jwks type = %s, want %s", got, wantJwks)
	}

	// An object with an optional attribute and a tuple inside.
	meta := findAttr(t, app.Block.Attributes, "meta").Type.(tftypes.Object)
	if _, ok := meta.OptionalAttributes["b"]; !ok || len(meta.OptionalAttributes) != 1 {
		t.Errorf("meta optional attributes = %v", meta.OptionalAttributes)
	}
	if !meta.AttributeTypes["b"].Equal(tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.Number, tftypes.Bool}}) {
		t.Errorf("meta.b = %s", meta.AttributeTypes["b"])
	}

	// A nested attribute with map nesting and a sensitive inner attribute.
	tokens := findAttr(t, app.Block.Attributes, "tokens")
	if tokens.Type != nil || tokens.NestedType == nil || tokens.NestedType.Nesting != tfprotov6.SchemaObjectNestingModeMap {
		t.Fatalf("tokens = %+v", tokens)
	}
	if v := findAttr(t, tokens.NestedType.Attributes, "value"); !v.Computed || !v.Sensitive {
		t.Errorf("tokens.value = %+v", v)
	}

	// A nested block with nesting, limits and a block inside it.
	if len(app.Block.BlockTypes) != 1 {
		t.Fatalf("block types = %d", len(app.Block.BlockTypes))
	}
	gc := app.Block.BlockTypes[0]
	if gc.TypeName != "groups_claim" || gc.Nesting != tfprotov6.SchemaNestedBlockNestingModeList || gc.MinItems != 1 || gc.MaxItems != 2 {
		t.Errorf("groups_claim = %+v", gc)
	}
	if f := gc.Block.BlockTypes[0]; f.TypeName != "filter" || f.Nesting != tfprotov6.SchemaNestedBlockNestingModeSet {
		t.Errorf("filter = %+v", f)
	}

	// The whole value type, as OpenTofu and the state decoder see it.
	wantApp := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"id":    tftypes.String,
		"label": tftypes.String,
		"jwks":  wantJwks,
		"meta":  meta,
		"tokens": tftypes.Map{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
			"name": tftypes.String, "value": tftypes.String,
		}}},
		"groups_claim": tftypes.List{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
			"name": tftypes.String,
			"filter": tftypes.Set{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
				"regex": tftypes.String,
			}}},
		}}},
	}}
	if got := app.ValueType(); !got.Equal(wantApp) {
		t.Errorf("okta_app_oauth value type = %s\nwant %s", got, wantApp)
	}

	if ds := ps.DataSources["okta_group"]; ds == nil || !findAttr(t, ds.Block.Attributes, "users").Type.Equal(tftypes.List{ElementType: tftypes.String}) {
		t.Errorf("data okta_group = %+v", ds)
	}
}

func TestParseRejects(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":  `{"format_version":"1.0","provider_schemas":{"p":{"resource_schemas":{"r":{"version":0,"block":{"attributes":{"a":{"type":"string","frobnicate":true}}}}}}}}`,
		"bad type":       `{"format_version":"1.0","provider_schemas":{"p":{"resource_schemas":{"r":{"version":0,"block":{"attributes":{"a":{"type":["list"]}}}}}}}}`,
		"bad nesting":    `{"format_version":"1.0","provider_schemas":{"p":{"resource_schemas":{"r":{"version":0,"block":{"block_types":{"b":{"nesting_mode":"bag","block":{}}}}}}}}}`,
		"two providers":  `{"format_version":"1.0","provider_schemas":{"p":{},"q":{}}}`,
		"format version": `{"format_version":"2.0","provider_schemas":{"p":{}}}`,
		"no type":        `{"format_version":"1.0","provider_schemas":{"p":{"resource_schemas":{"r":{"version":0,"block":{"attributes":{"a":{"optional":true}}}}}}}}`,
		"trailing data":  `{"format_version":"1.0","provider_schemas":{"p":{}}} {}`,
	} {
		if _, err := ParseProviderSchemas([]byte(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestUpgradeResourceStateRoundTrip(t *testing.T) {
	srv := newServer([]byte(sampleSchema), nil)
	if srv.loadErr != nil {
		t.Fatal(srv.loadErr)
	}
	raw := `{"id":"0oa1","label":"app","jwks":[{"kid":"k1","e":"AQAB"}],"meta":null,"tokens":{"t":{"name":"t","value":"s"}},"groups_claim":[{"name":"groups","filter":[]}],"removed_attr":1}`
	resp, err := srv.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "okta_app_oauth",
		Version:  3,
		RawState: &tfprotov6.RawState{JSON: []byte(raw)},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("err=%v diags=%+v", err, resp.Diagnostics)
	}
	typ := valueType(srv.schemas.Resources["okta_app_oauth"].ValueType())
	val, err := resp.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]tftypes.Value
	if err := val.As(&obj); err != nil {
		t.Fatal(err)
	}
	var label string
	if err := obj["label"].As(&label); err != nil || label != "app" {
		t.Errorf("label = %q (%v)", label, err)
	}
	var jwks []tftypes.Value
	if err := obj["jwks"].As(&jwks); err != nil || len(jwks) != 1 {
		t.Errorf("jwks = %v (%v)", jwks, err)
	}

	bad, _ := srv.UpgradeResourceState(context.Background(), &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "okta_nope", RawState: &tfprotov6.RawState{JSON: []byte(`{}`)},
	})
	if len(bad.Diagnostics) != 1 || bad.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Errorf("unknown type diags = %+v", bad.Diagnostics)
	}
}

func TestRefusals(t *testing.T) {
	srv := newServer([]byte(sampleSchema), nil)
	ctx := context.Background()
	plan, _ := srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: "okta_app_oauth"})
	read, _ := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "okta_group"})
	for _, diags := range [][]*tfprotov6.Diagnostic{plan.Diagnostics, read.Diagnostics} {
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(diags[0].Detail, "schema-only stand-in for okta/okta built by accessctl's engine harness") ||
			!strings.Contains(diags[0].Detail, "`mock_provider \"okta\"`") {
			t.Errorf("diags = %+v", diags)
		}
	}
	cfg := &tfprotov6.DynamicValue{MsgPack: []byte{0x80}}
	vp, _ := srv.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: cfg})
	if vp.PreparedConfig != cfg || len(vp.Diagnostics) != 0 {
		t.Errorf("ValidateProviderConfig = %+v", vp)
	}
	call, _ := srv.CallFunction(ctx, &tfprotov6.CallFunctionRequest{Name: "f"})
	if call.Error == nil || !strings.Contains(call.Error.Text, "schema-only stand-in") {
		t.Errorf("CallFunction = %+v", call)
	}
}

// TestEmbeddedSchema checks that the schema.json this binary embeds converts.
func TestEmbeddedSchema(t *testing.T) {
	ps, err := ParseProviderSchemas(schemaJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Resources) == 0 || len(ps.DataSources) == 0 {
		t.Errorf("embedded schema has %d resources and %d data sources", len(ps.Resources), len(ps.DataSources))
	}
	t.Logf("embedded schema %s: %d resources, %d data sources, %d ephemeral resources, %d functions",
		ps.Address, len(ps.Resources), len(ps.DataSources), len(ps.EphemeralResources), len(ps.Functions))
}
