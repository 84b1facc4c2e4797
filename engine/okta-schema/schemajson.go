package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file reads the JSON document printed by `tofu providers schema -json`
// (format_version 1.0) and turns the one provider in it into the
// terraform-plugin-go protocol 6 types. Decoding is strict: a field this file
// does not know is an error rather than something silently dropped, so the
// stand-in never answers with a schema that differs from the file.

type jsonDocument struct {
	FormatVersion   string                   `json:"format_version"`
	ProviderSchemas map[string]*jsonProvider `json:"provider_schemas"`
}

type jsonProvider struct {
	Provider                 *jsonSchema                    `json:"provider"`
	ResourceSchemas          map[string]*jsonSchema         `json:"resource_schemas"`
	DataSourceSchemas        map[string]*jsonSchema         `json:"data_source_schemas"`
	EphemeralResourceSchemas map[string]*jsonSchema         `json:"ephemeral_resource_schemas"`
	Functions                map[string]*jsonFunction       `json:"functions"`
	ResourceIdentitySchemas  map[string]*jsonIdentitySchema `json:"resource_identity_schemas"`
}

type jsonSchema struct {
	Version int64      `json:"version"`
	Block   *jsonBlock `json:"block"`
}

type jsonBlock struct {
	Attributes         map[string]*jsonAttribute `json:"attributes"`
	BlockTypes         map[string]*jsonBlockType `json:"block_types"`
	Description        string                    `json:"description"`
	DescriptionKind    string                    `json:"description_kind"`
	Deprecated         bool                      `json:"deprecated"`
	DeprecationMessage string                    `json:"deprecation_message"`
}

type jsonAttribute struct {
	Type            json.RawMessage `json:"type"`
	NestedType      *jsonNestedType `json:"nested_type"`
	Description     string          `json:"description"`
	DescriptionKind string          `json:"description_kind"`
	Deprecated      bool            `json:"deprecated"`
	Required        bool            `json:"required"`
	Optional        bool            `json:"optional"`
	Computed        bool            `json:"computed"`
	Sensitive       bool            `json:"sensitive"`
	WriteOnly       bool            `json:"write_only"`
}

type jsonNestedType struct {
	Attributes  map[string]*jsonAttribute `json:"attributes"`
	NestingMode string                    `json:"nesting_mode"`
}

type jsonBlockType struct {
	NestingMode string     `json:"nesting_mode"`
	Block       *jsonBlock `json:"block"`
	MinItems    int64      `json:"min_items"`
	MaxItems    int64      `json:"max_items"`
}

type jsonFunction struct {
	Description       string               `json:"description"`
	Summary           string               `json:"summary"`
	ReturnType        json.RawMessage      `json:"return_type"`
	Parameters        []*jsonFunctionParam `json:"parameters"`
	VariadicParameter *jsonFunctionParam   `json:"variadic_parameter"`
}

type jsonFunctionParam struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Type        json.RawMessage `json:"type"`
	IsNullable  bool            `json:"is_nullable"`
}

type jsonIdentitySchema struct {
	Version    int64                             `json:"version"`
	Attributes map[string]*jsonIdentityAttribute `json:"attributes"`
}

type jsonIdentityAttribute struct {
	Type              json.RawMessage `json:"type"`
	Description       string          `json:"description"`
	RequiredForImport bool            `json:"required_for_import"`
	OptionalForImport bool            `json:"optional_for_import"`
}

// ProviderSchemas is one provider's schemas in protocol 6 form.
type ProviderSchemas struct {
	// Address is the key the provider had under provider_schemas.
	Address            string
	Provider           *tfprotov6.Schema
	Resources          map[string]*tfprotov6.Schema
	DataSources        map[string]*tfprotov6.Schema
	EphemeralResources map[string]*tfprotov6.Schema
	Functions          map[string]*tfprotov6.Function
	Identities         map[string]*tfprotov6.ResourceIdentitySchema
}

// ParseProviderSchemas decodes a `tofu providers schema -json` document that
// holds exactly one provider and converts it.
func ParseProviderSchemas(data []byte) (*ProviderSchemas, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc jsonDocument
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decoding provider schema JSON: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("decoding provider schema JSON: unexpected data after the document")
	}
	if doc.FormatVersion != "1.0" {
		return nil, fmt.Errorf("provider schema JSON: format_version is %q, want \"1.0\"", doc.FormatVersion)
	}
	if len(doc.ProviderSchemas) != 1 {
		return nil, fmt.Errorf("provider schema JSON: provider_schemas holds %d providers, want exactly 1", len(doc.ProviderSchemas))
	}

	out := &ProviderSchemas{}
	var p *jsonProvider
	for addr, v := range doc.ProviderSchemas {
		out.Address, p = addr, v
	}
	if p == nil {
		return nil, fmt.Errorf("provider %s: null entry", out.Address)
	}

	var err error
	if p.Provider != nil {
		if out.Provider, err = convertSchema(p.Provider); err != nil {
			return nil, fmt.Errorf("provider %s: provider configuration: %w", out.Address, err)
		}
	} else {
		out.Provider = &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{}}
	}
	if out.Resources, err = convertSchemas(p.ResourceSchemas); err != nil {
		return nil, fmt.Errorf("provider %s: resource %w", out.Address, err)
	}
	if out.DataSources, err = convertSchemas(p.DataSourceSchemas); err != nil {
		return nil, fmt.Errorf("provider %s: data source %w", out.Address, err)
	}
	if out.EphemeralResources, err = convertSchemas(p.EphemeralResourceSchemas); err != nil {
		return nil, fmt.Errorf("provider %s: ephemeral resource %w", out.Address, err)
	}

	out.Functions = make(map[string]*tfprotov6.Function, len(p.Functions))
	for name, f := range p.Functions {
		if out.Functions[name], err = convertFunction(f); err != nil {
			return nil, fmt.Errorf("provider %s: function %s: %w", out.Address, name, err)
		}
	}

	out.Identities = make(map[string]*tfprotov6.ResourceIdentitySchema, len(p.ResourceIdentitySchemas))
	for name, s := range p.ResourceIdentitySchemas {
		if _, ok := out.Resources[name]; !ok {
			return nil, fmt.Errorf("provider %s: identity schema for %s, which is not a resource type", out.Address, name)
		}
		if out.Identities[name], err = convertIdentity(s); err != nil {
			return nil, fmt.Errorf("provider %s: identity schema of %s: %w", out.Address, name, err)
		}
	}
	return out, nil
}

func convertSchemas(in map[string]*jsonSchema) (map[string]*tfprotov6.Schema, error) {
	out := make(map[string]*tfprotov6.Schema, len(in))
	for name, s := range in {
		converted, err := convertSchema(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = converted
	}
	return out, nil
}

func convertSchema(s *jsonSchema) (*tfprotov6.Schema, error) {
	if s == nil {
		return nil, fmt.Errorf("null schema")
	}
	if s.Version < 0 {
		return nil, fmt.Errorf("negative schema version %d", s.Version)
	}
	block, err := convertBlock(s.Block)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.Schema{Version: s.Version, Block: block}, nil
}

func convertBlock(b *jsonBlock) (*tfprotov6.SchemaBlock, error) {
	out := &tfprotov6.SchemaBlock{}
	if b == nil {
		return out, nil
	}
	kind, err := convertStringKind(b.DescriptionKind)
	if err != nil {
		return nil, err
	}
	out.Description = b.Description
	out.DescriptionKind = kind
	out.Deprecated = b.Deprecated
	out.DeprecationMessage = b.DeprecationMessage

	if out.Attributes, err = convertAttributes(b.Attributes); err != nil {
		return nil, err
	}

	for _, name := range sortedKeys(b.BlockTypes) {
		bt := b.BlockTypes[name]
		if bt == nil {
			return nil, fmt.Errorf("block %s: null block type", name)
		}
		nesting, err := convertBlockNesting(bt.NestingMode)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		if bt.MinItems < 0 || bt.MaxItems < 0 {
			return nil, fmt.Errorf("block %s: negative min_items or max_items", name)
		}
		inner, err := convertBlock(bt.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		out.BlockTypes = append(out.BlockTypes, &tfprotov6.SchemaNestedBlock{
			TypeName: name,
			Block:    inner,
			Nesting:  nesting,
			MinItems: bt.MinItems,
			MaxItems: bt.MaxItems,
		})
	}
	return out, nil
}

func convertAttributes(in map[string]*jsonAttribute) ([]*tfprotov6.SchemaAttribute, error) {
	var out []*tfprotov6.SchemaAttribute
	for _, name := range sortedKeys(in) {
		a, err := convertAttribute(name, in[name])
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func convertAttribute(name string, a *jsonAttribute) (*tfprotov6.SchemaAttribute, error) {
	if a == nil {
		return nil, fmt.Errorf("null attribute")
	}
	kind, err := convertStringKind(a.DescriptionKind)
	if err != nil {
		return nil, err
	}
	out := &tfprotov6.SchemaAttribute{
		Name:            name,
		Description:     a.Description,
		DescriptionKind: kind,
		Deprecated:      a.Deprecated,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		WriteOnly:       a.WriteOnly,
	}
	switch {
	case len(a.Type) > 0 && a.NestedType != nil:
		return nil, fmt.Errorf("has both type and nested_type")
	case len(a.Type) > 0:
		if out.Type, err = parseType(a.Type); err != nil {
			return nil, err
		}
	case a.NestedType != nil:
		nesting, err := convertObjectNesting(a.NestedType.NestingMode)
		if err != nil {
			return nil, fmt.Errorf("nested_type: %w", err)
		}
		attrs, err := convertAttributes(a.NestedType.Attributes)
		if err != nil {
			return nil, fmt.Errorf("nested_type: %w", err)
		}
		out.NestedType = &tfprotov6.SchemaObject{Attributes: attrs, Nesting: nesting}
	default:
		return nil, fmt.Errorf("has neither type nor nested_type")
	}
	return out, nil
}

func convertFunction(f *jsonFunction) (*tfprotov6.Function, error) {
	if f == nil {
		return nil, fmt.Errorf("null function")
	}
	ret, err := parseType(f.ReturnType)
	if err != nil {
		return nil, fmt.Errorf("return_type: %w", err)
	}
	out := &tfprotov6.Function{
		Summary:     f.Summary,
		Description: f.Description,
		Return:      &tfprotov6.FunctionReturn{Type: ret},
		// The JSON document always uses empty parameter lists rather than
		// null, so keep a non-nil slice here too.
		Parameters: []*tfprotov6.FunctionParameter{},
	}
	for i, p := range f.Parameters {
		param, err := convertFunctionParam(p)
		if err != nil {
			return nil, fmt.Errorf("parameter %d: %w", i, err)
		}
		out.Parameters = append(out.Parameters, param)
	}
	if f.VariadicParameter != nil {
		if out.VariadicParameter, err = convertFunctionParam(f.VariadicParameter); err != nil {
			return nil, fmt.Errorf("variadic_parameter: %w", err)
		}
	}
	return out, nil
}

func convertFunctionParam(p *jsonFunctionParam) (*tfprotov6.FunctionParameter, error) {
	if p == nil {
		return nil, fmt.Errorf("null parameter")
	}
	typ, err := parseType(p.Type)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.FunctionParameter{
		Name:           p.Name,
		Description:    p.Description,
		Type:           typ,
		AllowNullValue: p.IsNullable,
	}, nil
}

func convertIdentity(s *jsonIdentitySchema) (*tfprotov6.ResourceIdentitySchema, error) {
	if s == nil {
		return nil, fmt.Errorf("null identity schema")
	}
	out := &tfprotov6.ResourceIdentitySchema{Version: s.Version}
	for _, name := range sortedKeys(s.Attributes) {
		a := s.Attributes[name]
		if a == nil {
			return nil, fmt.Errorf("attribute %s: null attribute", name)
		}
		typ, err := parseType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		out.IdentityAttributes = append(out.IdentityAttributes, &tfprotov6.ResourceIdentitySchemaAttribute{
			Name:              name,
			Type:              typ,
			Description:       a.Description,
			RequiredForImport: a.RequiredForImport,
			OptionalForImport: a.OptionalForImport,
		})
	}
	return out, nil
}

func convertStringKind(kind string) (tfprotov6.StringKind, error) {
	switch kind {
	case "", "plain":
		return tfprotov6.StringKindPlain, nil
	case "markdown":
		return tfprotov6.StringKindMarkdown, nil
	}
	return 0, fmt.Errorf("unknown description_kind %q", kind)
}

func convertBlockNesting(mode string) (tfprotov6.SchemaNestedBlockNestingMode, error) {
	switch mode {
	case "single":
		return tfprotov6.SchemaNestedBlockNestingModeSingle, nil
	case "list":
		return tfprotov6.SchemaNestedBlockNestingModeList, nil
	case "set":
		return tfprotov6.SchemaNestedBlockNestingModeSet, nil
	case "map":
		return tfprotov6.SchemaNestedBlockNestingModeMap, nil
	case "group":
		return tfprotov6.SchemaNestedBlockNestingModeGroup, nil
	}
	return 0, fmt.Errorf("unknown block nesting_mode %q", mode)
}

func convertObjectNesting(mode string) (tfprotov6.SchemaObjectNestingMode, error) {
	switch mode {
	case "single":
		return tfprotov6.SchemaObjectNestingModeSingle, nil
	case "list":
		return tfprotov6.SchemaObjectNestingModeList, nil
	case "set":
		return tfprotov6.SchemaObjectNestingModeSet, nil
	case "map":
		return tfprotov6.SchemaObjectNestingModeMap, nil
	}
	return 0, fmt.Errorf("unknown nested attribute nesting_mode %q", mode)
}

// parseType reads cty's JSON form of a type: a primitive name ("string",
// "number", "bool", "dynamic") or an array whose first element names a
// collection or structural kind.
func parseType(raw json.RawMessage) (tftypes.Type, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("missing type")
	}
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		switch name {
		case "string":
			return tftypes.String, nil
		case "number":
			return tftypes.Number, nil
		case "bool":
			return tftypes.Bool, nil
		case "dynamic":
			return tftypes.DynamicPseudoType, nil
		}
		return nil, fmt.Errorf("unknown primitive type %q", name)
	}

	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) == 0 {
		return nil, fmt.Errorf("type %s is neither a type name nor a non-empty array", raw)
	}
	if err := json.Unmarshal(parts[0], &name); err != nil {
		return nil, fmt.Errorf("type %s: first element is not a string", raw)
	}
	args := parts[1:]

	switch name {
	case "list", "set", "map":
		if len(args) != 1 {
			return nil, fmt.Errorf("type %s: %s takes one element type", raw, name)
		}
		elem, err := parseType(args[0])
		if err != nil {
			return nil, err
		}
		switch name {
		case "list":
			return tftypes.List{ElementType: elem}, nil
		case "set":
			return tftypes.Set{ElementType: elem}, nil
		default:
			return tftypes.Map{ElementType: elem}, nil
		}

	case "object":
		if len(args) != 1 && len(args) != 2 {
			return nil, fmt.Errorf("type %s: object takes attribute types and optionally a list of optional attributes", raw)
		}
		var attrs map[string]json.RawMessage
		if err := json.Unmarshal(args[0], &attrs); err != nil || attrs == nil {
			return nil, fmt.Errorf("type %s: object attribute types are not a JSON object", raw)
		}
		obj := tftypes.Object{AttributeTypes: make(map[string]tftypes.Type, len(attrs))}
		for k, v := range attrs {
			t, err := parseType(v)
			if err != nil {
				return nil, fmt.Errorf("object attribute %s: %w", k, err)
			}
			obj.AttributeTypes[k] = t
		}
		if len(args) == 2 {
			var optional []string
			if err := json.Unmarshal(args[1], &optional); err != nil {
				return nil, fmt.Errorf("type %s: optional attributes are not a list of names", raw)
			}
			obj.OptionalAttributes = make(map[string]struct{}, len(optional))
			for _, k := range optional {
				if _, ok := obj.AttributeTypes[k]; !ok {
					return nil, fmt.Errorf("type %s: optional attribute %s is not an attribute", raw, k)
				}
				obj.OptionalAttributes[k] = struct{}{}
			}
		}
		return obj, nil

	case "tuple":
		if len(args) != 1 {
			return nil, fmt.Errorf("type %s: tuple takes one list of element types", raw)
		}
		var elems []json.RawMessage
		if err := json.Unmarshal(args[0], &elems); err != nil || elems == nil {
			return nil, fmt.Errorf("type %s: tuple element types are not a JSON array", raw)
		}
		tup := tftypes.Tuple{ElementTypes: make([]tftypes.Type, 0, len(elems))}
		for i, v := range elems {
			t, err := parseType(v)
			if err != nil {
				return nil, fmt.Errorf("tuple element %d: %w", i, err)
			}
			tup.ElementTypes = append(tup.ElementTypes, t)
		}
		return tup, nil
	}
	return nil, fmt.Errorf("type %s: unknown kind %q", raw, name)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
