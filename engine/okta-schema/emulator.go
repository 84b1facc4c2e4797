package main

// The emulator mode: when ACCESSCTL_OKTA_EMULATOR names a JSON file, the
// stand-in plans, applies, refreshes and imports against a tiny in-memory
// model of an Okta org kept in that file, so that real `tofu plan`,
// `tofu apply` and import blocks can run without Okta. The file is the whole
// state of the emulated org: OpenTofu calls the plugin concurrently and may
// start several plugin processes over one command, so every call re-reads it
// and every change writes it back (atomically) before the call returns.
//
// The file format is a contract with the TypeScript engine harness; README.md
// describes it.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// emulatorEnv names the environment variable that switches the mode on.
const emulatorEnv = "ACCESSCTL_OKTA_EMULATOR"

// emulator answers the calls that need an Okta org from the store file.
type emulator struct {
	path    string
	schemas *ProviderSchemas
	// mu serialises the calls of this process; lockDir (a flock on the
	// store's directory) serialises them with other plugin processes.
	mu sync.Mutex
}

func newEmulator(path string, schemas *ProviderSchemas) *emulator {
	return &emulator{path: path, schemas: schemas}
}

// --- The store file ---

type emuStore struct {
	Users       []emuUser                             `json:"users"`
	Objects     map[string]map[string]json.RawMessage `json:"objects"`
	Assignments map[string][]string                   `json:"assignments"`
	Calls       []emuCall                             `json:"calls"`
	Next        int64                                 `json:"next"`
}

type emuUser struct {
	ID    string `json:"id"`
	Login string `json:"login"`
	Email string `json:"email"`
}

type emuCall struct {
	Seq   int64  `json:"seq"`
	Op    string `json:"op"`
	Type  string `json:"type"`
	ID    string `json:"id,omitempty"`
	App   string `json:"app,omitempty"`
	Group string `json:"group,omitempty"`
}

func (e *emulator) load() (*emuStore, error) {
	data, err := os.ReadFile(e.path)
	if err != nil {
		return nil, fmt.Errorf("reading the emulator store %s (named by %s): %w", e.path, emulatorEnv, err)
	}
	st := &emuStore{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(st); err != nil {
		return nil, fmt.Errorf("decoding the emulator store %s: %w", e.path, err)
	}
	if st.Objects == nil {
		st.Objects = map[string]map[string]json.RawMessage{}
	}
	if st.Assignments == nil {
		st.Assignments = map[string][]string{}
	}
	if st.Users == nil {
		st.Users = []emuUser{}
	}
	if st.Calls == nil {
		st.Calls = []emuCall{}
	}
	return st, nil
}

// save writes the store to a temporary file in the same directory and
// renames it over the store, so a reader never sees a half-written file.
func (e *emulator) save(st *emuStore) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the emulator store: %w", err)
	}
	data = append(data, '\n')
	dir, base := filepath.Split(e.path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing the emulator store: %w", err)
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(name, e.path)
	}
	if werr != nil {
		os.Remove(name)
		return fmt.Errorf("writing the emulator store %s: %w", e.path, werr)
	}
	return nil
}

// withStore runs fn on the current store under both locks and, when write is
// set and fn succeeds, writes the store back.
func (e *emulator) withStore(write bool, fn func(st *emuStore) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	unlock, err := lockDir(filepath.Dir(e.path))
	if err != nil {
		return fmt.Errorf("locking the emulator store's directory: %w", err)
	}
	defer unlock()
	st, err := e.load()
	if err != nil {
		return err
	}
	if err := fn(st); err != nil {
		return err
	}
	if write {
		return e.save(st)
	}
	return nil
}

// record appends one entry to the call log.
func (st *emuStore) record(c emuCall) {
	var last int64
	if n := len(st.Calls); n > 0 {
		last = st.Calls[n-1].Seq
	}
	c.Seq = last + 1
	st.Calls = append(st.Calls, c)
}

// newID takes the next value of the id counter. A store without a counter
// (or with 0) starts at 1, so no generated id is all zeros.
func (st *emuStore) newID(prefix string) string {
	n := st.Next
	if n < 1 {
		n = 1
	}
	st.Next = n + 1
	return fmt.Sprintf("%s%017d", prefix, n)
}

func (st *emuStore) assigned(app, group string) bool {
	for _, g := range st.Assignments[app] {
		if g == group {
			return true
		}
	}
	return false
}

func (st *emuStore) assign(typeName, app, group string) {
	if !st.assigned(app, group) {
		groups := append(st.Assignments[app], group)
		sort.Strings(groups)
		st.Assignments[app] = groups
	}
	st.record(emuCall{Op: "assign", Type: typeName, App: app, Group: group})
}

// unassign removes a group from an app; an app left with no groups loses its
// key, so the store never holds empty assignment lists.
func (st *emuStore) unassign(typeName, app, group string) {
	var kept []string
	for _, g := range st.Assignments[app] {
		if g != group {
			kept = append(kept, g)
		}
	}
	if len(kept) == 0 {
		delete(st.Assignments, app)
	} else {
		st.Assignments[app] = kept
	}
	st.record(emuCall{Op: "unassign", Type: typeName, App: app, Group: group})
}

// object reads objects[typeName][id] as a value of typ. A missing entry (or
// a JSON null) is reported as absent. Attributes the file leaves out are null.
func (st *emuStore) object(typeName, id string, typ tftypes.Type) (tftypes.Value, bool, error) {
	raw, ok := st.Objects[typeName][id]
	if !ok || len(raw) == 0 || string(raw) == "null" {
		return tftypes.Value{}, false, nil
	}
	v, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true})
	if err != nil {
		return tftypes.Value{}, false, fmt.Errorf("the emulator store's objects[%q][%q] does not match the schema: %w", typeName, id, err)
	}
	return v, true, nil
}

func (st *emuStore) putObject(typeName, id string, v tftypes.Value) error {
	j, err := valueJSON(v)
	if err != nil {
		return fmt.Errorf("encoding %s %s for the emulator store: %w", typeName, id, err)
	}
	raw, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("encoding %s %s for the emulator store: %w", typeName, id, err)
	}
	if st.Objects[typeName] == nil {
		st.Objects[typeName] = map[string]json.RawMessage{}
	}
	st.Objects[typeName][id] = raw
	return nil
}

func (st *emuStore) deleteObject(typeName, id string) {
	delete(st.Objects[typeName], id)
	if len(st.Objects[typeName]) == 0 {
		delete(st.Objects, typeName)
	}
}

// valueJSON turns a wholly known value into what encoding/json writes as the
// value's JSON form (the form tftypes.ValueFromJSON reads back).
func valueJSON(v tftypes.Value) (any, error) {
	if !v.IsKnown() {
		return nil, errors.New("value is unknown")
	}
	if v.IsNull() {
		return nil, nil
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		err := v.As(&s)
		return s, err
	case t.Is(tftypes.Bool):
		var b bool
		err := v.As(&b)
		return b, err
	case t.Is(tftypes.Number):
		f := new(big.Float)
		if err := v.As(&f); err != nil {
			return nil, err
		}
		return json.Number(f.Text('g', -1)), nil
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}), t.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make([]any, 0, len(elems))
		for _, el := range elems {
			j, err := valueJSON(el)
			if err != nil {
				return nil, err
			}
			out = append(out, j)
		}
		return out, nil
	case t.Is(tftypes.Map{}), t.Is(tftypes.Object{}):
		var elems map[string]tftypes.Value
		if err := v.As(&elems); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(elems))
		for k, el := range elems {
			j, err := valueJSON(el)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out[k] = j
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot store a value of type %s", t)
}

// --- Value helpers ---

// attrsOf and elemsOf copy what Value.As hands out: As returns the value's
// own map or slice, and changing that would change the (shared) value.
func attrsOf(v tftypes.Value) (map[string]tftypes.Value, error) {
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return nil, err
	}
	out := make(map[string]tftypes.Value, len(attrs))
	for k, a := range attrs {
		out[k] = a
	}
	return out, nil
}

func elemsOf(v tftypes.Value) ([]tftypes.Value, error) {
	var elems []tftypes.Value
	if err := v.As(&elems); err != nil {
		return nil, err
	}
	return append([]tftypes.Value(nil), elems...), nil
}

// strAttr is the string attribute name of the object v, or "" when v is null
// or the attribute is null, unknown or missing.
func strAttr(v tftypes.Value, name string) string {
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	attrs, err := attrsOf(v)
	if err != nil {
		return ""
	}
	a, ok := attrs[name]
	if !ok || a.IsNull() || !a.IsKnown() {
		return ""
	}
	var s string
	if a.As(&s) != nil {
		return ""
	}
	return s
}

// withAttrs is the object v with some attributes replaced.
func withAttrs(v tftypes.Value, set map[string]tftypes.Value) (tftypes.Value, error) {
	attrs, err := attrsOf(v)
	if err != nil {
		return v, err
	}
	for k, nv := range set {
		if _, ok := attrs[k]; !ok {
			return v, fmt.Errorf("no attribute %s", k)
		}
		attrs[k] = nv
	}
	return tftypes.NewValue(v.Type(), attrs), nil
}

func attrType(typ tftypes.Type, name string) tftypes.Type {
	if o, ok := typ.(tftypes.Object); ok {
		return o.AttributeTypes[name]
	}
	return nil
}

// groupList is the `group` block list of an okta_app_group_assignments value.
func groupList(v tftypes.Value) ([]tftypes.Value, error) {
	if v.IsNull() {
		return nil, nil
	}
	attrs, err := attrsOf(v)
	if err != nil {
		return nil, err
	}
	g := attrs["group"]
	if g.IsNull() || !g.IsKnown() {
		return nil, nil
	}
	return elemsOf(g)
}

func groupIDs(v tftypes.Value) ([]string, error) {
	elems, err := groupList(v)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(elems))
	for _, el := range elems {
		ids = append(ids, strAttr(el, "id"))
	}
	return ids, nil
}

// groupEntries builds the `group` list of an okta_app_group_assignments
// value: kept (existing entries) followed by one {id only} entry per id.
func groupEntries(resType tftypes.Type, kept []tftypes.Value, ids []string) tftypes.Value {
	listType := attrType(resType, "group").(tftypes.List)
	objType := listType.ElementType.(tftypes.Object)
	elems := append([]tftypes.Value{}, kept...)
	for _, id := range ids {
		attrs := map[string]tftypes.Value{}
		for k, t := range objType.AttributeTypes {
			attrs[k] = tftypes.NewValue(t, nil)
		}
		attrs["id"] = tftypes.NewValue(tftypes.String, id)
		elems = append(elems, tftypes.NewValue(objType, attrs))
	}
	return tftypes.NewValue(listType, elems)
}

// --- Planning ---

// requiresReplace lists, per resource type, the attributes whose change
// forces a new resource (ForceNew in the real provider).
var requiresReplace = map[string][]string{
	"okta_push_group":             {"app_id", "source_group_id", "target_group_name", "target_group_id"},
	"okta_group_memberships":      {"group_id"},
	"okta_group_owner":            {"group_id", "id_of_group_owner", "type"},
	"okta_app_group_assignment":   {"app_id", "group_id"},
	"okta_app_group_assignments":  {"app_id"},
	"okta_app_features":           {"app_id", "name"},
	"okta_app_connection":         {"id"},
	"okta_app_signon_policy_rule": {"policy_id"},
}

// planDefaults are computed attributes the real provider plans as known
// values on create when the configuration leaves them out.
var planDefaults = map[string]map[string]tftypes.Value{
	"okta_push_group": {
		"status":                         tftypes.NewValue(tftypes.String, "ACTIVE"),
		"delete_target_group_on_destroy": tftypes.NewValue(tftypes.Bool, true),
	},
}

// unknownComputed makes every computed attribute of block that is null in v
// unknown, in nested attributes and nested blocks too. On create the proposed
// new state is the configuration (there is no prior value to carry over), so
// "null in v" is "null in the configuration".
func unknownComputed(block *tfprotov6.SchemaBlock, v tftypes.Value) (tftypes.Value, error) {
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	attrs, err := attrsOf(v)
	if err != nil {
		return v, err
	}
	for _, a := range block.Attributes {
		cur, ok := attrs[a.Name]
		if !ok {
			continue
		}
		if a.Computed && cur.IsNull() {
			attrs[a.Name] = tftypes.NewValue(cur.Type(), tftypes.UnknownValue)
			continue
		}
		if a.NestedType != nil {
			inner := &tfprotov6.SchemaBlock{Attributes: a.NestedType.Attributes}
			single := a.NestedType.Nesting == tfprotov6.SchemaObjectNestingModeSingle
			if attrs[a.Name], err = eachElement(cur, single, func(el tftypes.Value) (tftypes.Value, error) {
				return unknownComputed(inner, el)
			}); err != nil {
				return v, fmt.Errorf("%s: %w", a.Name, err)
			}
		}
	}
	for _, b := range block.BlockTypes {
		cur, ok := attrs[b.TypeName]
		if !ok {
			continue
		}
		single := b.Nesting == tfprotov6.SchemaNestedBlockNestingModeSingle || b.Nesting == tfprotov6.SchemaNestedBlockNestingModeGroup
		if attrs[b.TypeName], err = eachElement(cur, single, func(el tftypes.Value) (tftypes.Value, error) {
			return unknownComputed(b.Block, el)
		}); err != nil {
			return v, fmt.Errorf("%s: %w", b.TypeName, err)
		}
	}
	return tftypes.NewValue(v.Type(), attrs), nil
}

// eachElement applies f to v itself (single nesting) or to each element of
// the list, set or map v.
func eachElement(v tftypes.Value, single bool, f func(tftypes.Value) (tftypes.Value, error)) (tftypes.Value, error) {
	if single {
		return f(v)
	}
	if v.IsNull() || !v.IsKnown() {
		return v, nil
	}
	if v.Type().Is(tftypes.Map{}) {
		elems, err := attrsOf(v)
		if err != nil {
			return v, err
		}
		for k, el := range elems {
			nv, err := f(el)
			if err != nil {
				return v, err
			}
			elems[k] = nv
		}
		return tftypes.NewValue(v.Type(), elems), nil
	}
	elems, err := elemsOf(v)
	if err != nil {
		return v, err
	}
	for i, el := range elems {
		nv, err := f(el)
		if err != nil {
			return v, err
		}
		elems[i] = nv
	}
	return tftypes.NewValue(v.Type(), elems), nil
}

func (e *emulator) resource(typeName string) (*tfprotov6.Schema, tftypes.Type, []*tfprotov6.Diagnostic) {
	schema, ok := e.schemas.Resources[typeName]
	if !ok {
		return nil, nil, unknownType("resource", typeName)
	}
	return schema, valueType(schema.ValueType()), nil
}

// decodeDV decodes a request value; a missing one is null.
func decodeDV(dv *tfprotov6.DynamicValue, typ tftypes.Type) (v tftypes.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	if dv == nil {
		return tftypes.NewValue(typ, nil), nil
	}
	return dv.Unmarshal(typ)
}

func encodeDV(typ tftypes.Type, v tftypes.Value) (dv *tfprotov6.DynamicValue, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	out, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

func emuError(rpc, typeName string, err error) []*tfprotov6.Diagnostic {
	return errorDiag("okta/okta emulator: "+rpc+" failed for "+typeName, err.Error())
}

func (e *emulator) planResourceChange(req *tfprotov6.PlanResourceChangeRequest) *tfprotov6.PlanResourceChangeResponse {
	resp := &tfprotov6.PlanResourceChangeResponse{PlannedPrivate: req.PriorPrivate}
	schema, typ, diags := e.resource(req.TypeName)
	if diags != nil {
		resp.Diagnostics = diags
		return resp
	}
	fail := func(err error) *tfprotov6.PlanResourceChangeResponse {
		resp.Diagnostics = emuError("PlanResourceChange", req.TypeName, err)
		return resp
	}
	proposed, err := decodeDV(req.ProposedNewState, typ)
	if err != nil {
		return fail(fmt.Errorf("proposed new state: %w", err))
	}
	prior, err := decodeDV(req.PriorState, typ)
	if err != nil {
		return fail(fmt.Errorf("prior state: %w", err))
	}
	if proposed.IsNull() {
		// A destroy plan: nothing to add.
		resp.PlannedState = req.ProposedNewState
		return resp
	}

	planned := proposed
	if prior.IsNull() {
		if planned, err = unknownComputed(schema.Block, proposed); err != nil {
			return fail(err)
		}
		if defaults := planDefaults[req.TypeName]; defaults != nil {
			config, err := attrsOf(proposed)
			if err != nil {
				return fail(err)
			}
			set := map[string]tftypes.Value{}
			for name, def := range defaults {
				if config[name].IsNull() {
					set[name] = def
				}
			}
			if planned, err = withAttrs(planned, set); err != nil {
				return fail(err)
			}
		}
	} else {
		// An update: OpenTofu's proposed new state already carries computed
		// values over from the prior state.
		priorAttrs, err := attrsOf(prior)
		if err != nil {
			return fail(err)
		}
		plannedAttrs, err := attrsOf(planned)
		if err != nil {
			return fail(err)
		}
		for _, name := range requiresReplace[req.TypeName] {
			if !priorAttrs[name].Equal(plannedAttrs[name]) {
				resp.RequiresReplace = append(resp.RequiresReplace, tftypes.NewAttributePath().WithAttributeName(name))
			}
		}
	}
	if resp.PlannedState, err = encodeDV(typ, planned); err != nil {
		return fail(err)
	}
	return resp
}

// --- Applying ---

// idPrefixes are the prefixes of generated ids, per resource type.
var idPrefixes = map[string]string{
	"okta_group":                  "00g",
	"okta_app_saml":               "0oa",
	"okta_push_group":             "gpm",
	"okta_group_owner":            "gow",
	"okta_app_signon_policy":      "rst",
	"okta_app_signon_policy_rule": "rul",
}

// targetGroupPrefix is the prefix of an okta_push_group's generated
// target_group_id (the group in the target app, AWS here).
const targetGroupPrefix = "aws"

func idPrefix(typeName string) string {
	if p, ok := idPrefixes[typeName]; ok {
		return p
	}
	return "emu"
}

// newObjectID is the id a created object gets when its plan left id unknown.
func newObjectID(st *emuStore, typeName string, planned tftypes.Value) (string, error) {
	need := func(name string) (string, error) {
		s := strAttr(planned, name)
		if s == "" {
			return "", fmt.Errorf("%s has no %s to derive its id from", typeName, name)
		}
		return s, nil
	}
	switch typeName {
	case "okta_group_memberships", "okta_app_group_assignment":
		return need("group_id")
	case "okta_app_group_assignments":
		return need("app_id")
	case "okta_app_features":
		app, err := need("app_id")
		if err != nil {
			return "", err
		}
		name, err := need("name")
		if err != nil {
			return "", err
		}
		return app + "/" + name, nil
	case "okta_app_connection":
		// Its id is configured (required), so it is never unknown here.
		return need("id")
	}
	return st.newID(idPrefix(typeName)), nil
}

// fillValue is the value an unknown of type t named name takes on apply.
func fillValue(t tftypes.Type, name string) tftypes.Value {
	switch {
	case t.Is(tftypes.String):
		return tftypes.NewValue(t, "emulated-"+name)
	case t.Is(tftypes.Bool):
		return tftypes.NewValue(t, false)
	case t.Is(tftypes.Number):
		return tftypes.NewValue(t, new(big.Float))
	case t.Is(tftypes.List{}), t.Is(tftypes.Set{}):
		return tftypes.NewValue(t, []tftypes.Value{})
	case t.Is(tftypes.Map{}):
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case t.Is(tftypes.Object{}):
		o := t.(tftypes.Object)
		attrs := make(map[string]tftypes.Value, len(o.AttributeTypes))
		for k, at := range o.AttributeTypes {
			attrs[k] = fillValue(at, k)
		}
		return tftypes.NewValue(t, attrs)
	case t.Is(tftypes.Tuple{}):
		tt := t.(tftypes.Tuple)
		elems := make([]tftypes.Value, 0, len(tt.ElementTypes))
		for _, et := range tt.ElementTypes {
			elems = append(elems, fillValue(et, name))
		}
		return tftypes.NewValue(t, elems)
	}
	// A dynamic value: a string is as good as anything.
	return tftypes.NewValue(tftypes.String, "emulated-"+name)
}

// fillUnknowns replaces every unknown in v by its fillValue, naming each by
// the nearest attribute on its path.
func fillUnknowns(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(p *tftypes.AttributePath, val tftypes.Value) (tftypes.Value, error) {
		if val.IsKnown() {
			return val, nil
		}
		name := ""
		steps := p.Steps()
		for i := len(steps) - 1; i >= 0; i-- {
			if a, ok := steps[i].(tftypes.AttributeName); ok {
				name = string(a)
				break
			}
		}
		return fillValue(val.Type(), name), nil
	})
}

func (e *emulator) applyResourceChange(req *tfprotov6.ApplyResourceChangeRequest) *tfprotov6.ApplyResourceChangeResponse {
	resp := &tfprotov6.ApplyResourceChangeResponse{Private: req.PlannedPrivate}
	_, typ, diags := e.resource(req.TypeName)
	if diags != nil {
		resp.Diagnostics = diags
		return resp
	}
	fail := func(err error) *tfprotov6.ApplyResourceChangeResponse {
		resp.Diagnostics = emuError("ApplyResourceChange", req.TypeName, err)
		return resp
	}
	prior, err := decodeDV(req.PriorState, typ)
	if err != nil {
		return fail(fmt.Errorf("prior state: %w", err))
	}
	planned, err := decodeDV(req.PlannedState, typ)
	if err != nil {
		return fail(fmt.Errorf("planned state: %w", err))
	}

	var newState tftypes.Value
	err = e.withStore(true, func(st *emuStore) error {
		if planned.IsNull() {
			newState = planned
			return applyDelete(st, req.TypeName, prior)
		}
		var err error
		newState, err = applyCreateOrUpdate(st, req.TypeName, prior, planned)
		return err
	})
	if err != nil {
		return fail(err)
	}
	if resp.NewState, err = encodeDV(typ, newState); err != nil {
		return fail(err)
	}
	return resp
}

func applyCreateOrUpdate(st *emuStore, typeName string, prior, planned tftypes.Value) (tftypes.Value, error) {
	attrs, err := attrsOf(planned)
	if err != nil {
		return planned, err
	}
	set := map[string]tftypes.Value{}
	if id, ok := attrs["id"]; ok && !id.IsKnown() {
		newID, err := newObjectID(st, typeName, planned)
		if err != nil {
			return planned, err
		}
		set["id"] = tftypes.NewValue(tftypes.String, newID)
	}
	if typeName == "okta_push_group" && !attrs["target_group_id"].IsKnown() {
		set["target_group_id"] = tftypes.NewValue(tftypes.String, st.newID(targetGroupPrefix))
	}
	if len(set) > 0 {
		if planned, err = withAttrs(planned, set); err != nil {
			return planned, err
		}
	}
	newState, err := fillUnknowns(planned)
	if err != nil {
		return planned, err
	}
	id := strAttr(newState, "id")
	if id == "" {
		return planned, fmt.Errorf("%s has no id after apply", typeName)
	}

	if prior.IsNull() {
		if err := st.putObject(typeName, id, newState); err != nil {
			return planned, err
		}
		st.record(emuCall{Op: "create", Type: typeName, ID: id})
		switch typeName {
		case "okta_app_group_assignment":
			st.assign(typeName, strAttr(newState, "app_id"), strAttr(newState, "group_id"))
		case "okta_app_group_assignments":
			groups, err := groupIDs(newState)
			if err != nil {
				return planned, err
			}
			app := strAttr(newState, "app_id")
			for _, g := range groups {
				st.assign(typeName, app, g)
			}
		}
		return newState, nil
	}

	if priorID := strAttr(prior, "id"); priorID != id {
		st.deleteObject(typeName, priorID)
	}
	if err := st.putObject(typeName, id, newState); err != nil {
		return planned, err
	}
	st.record(emuCall{Op: "update", Type: typeName, ID: id})
	if typeName == "okta_app_group_assignments" {
		before, err := groupIDs(prior)
		if err != nil {
			return planned, err
		}
		after, err := groupIDs(newState)
		if err != nil {
			return planned, err
		}
		app := strAttr(newState, "app_id")
		// Removals first, then additions, as the real provider does.
		for _, g := range before {
			if !contains(after, g) {
				st.unassign(typeName, app, g)
			}
		}
		for _, g := range after {
			if !contains(before, g) {
				st.assign(typeName, app, g)
			}
		}
	}
	return newState, nil
}

func applyDelete(st *emuStore, typeName string, prior tftypes.Value) error {
	if prior.IsNull() {
		return nil
	}
	id := strAttr(prior, "id")
	app := strAttr(prior, "app_id")
	if typeName == "okta_app_group_assignment" {
		// objects are keyed by group id alone; leave another app's entry.
		if raw, ok := st.Objects[typeName][id]; !ok || storedApp(raw) == app {
			st.deleteObject(typeName, id)
		}
	} else {
		st.deleteObject(typeName, id)
	}
	st.record(emuCall{Op: "delete", Type: typeName, ID: id})
	switch typeName {
	case "okta_app_group_assignment":
		st.unassign(typeName, app, strAttr(prior, "group_id"))
	case "okta_app_group_assignments":
		groups, err := groupIDs(prior)
		if err != nil {
			return err
		}
		for _, g := range groups {
			st.unassign(typeName, app, g)
		}
	}
	return nil
}

// storedApp is the app_id of a stored object, "" when it has none.
func storedApp(raw json.RawMessage) string {
	var o struct {
		AppID string `json:"app_id"`
	}
	_ = json.Unmarshal(raw, &o)
	return o.AppID
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// --- Reading (refresh) ---

// priorOnly are attributes the real provider does not read back from Okta:
// a refresh keeps the prior state's value.
var priorOnly = map[string]string{
	"okta_push_group":        "delete_target_group_on_destroy",
	"okta_group_memberships": "track_all_users",
}

func (e *emulator) readResource(req *tfprotov6.ReadResourceRequest) *tfprotov6.ReadResourceResponse {
	resp := &tfprotov6.ReadResourceResponse{Private: req.Private}
	_, typ, diags := e.resource(req.TypeName)
	if diags != nil {
		resp.Diagnostics = diags
		return resp
	}
	fail := func(err error) *tfprotov6.ReadResourceResponse {
		resp.Diagnostics = emuError("ReadResource", req.TypeName, err)
		return resp
	}
	prior, err := decodeDV(req.CurrentState, typ)
	if err != nil {
		return fail(fmt.Errorf("current state: %w", err))
	}
	if prior.IsNull() {
		resp.NewState = req.CurrentState
		return resp
	}
	var state tftypes.Value
	err = e.withStore(false, func(st *emuStore) error {
		var err error
		state, err = readObject(st, req.TypeName, typ, prior)
		return err
	})
	if err != nil {
		return fail(err)
	}
	if resp.NewState, err = encodeDV(typ, state); err != nil {
		return fail(err)
	}
	return resp
}

// readObject is what a refresh of prior finds in the store: null when the
// object is gone.
func readObject(st *emuStore, typeName string, typ tftypes.Type, prior tftypes.Value) (tftypes.Value, error) {
	null := tftypes.NewValue(typ, nil)
	id := strAttr(prior, "id")
	if id == "" {
		return null, nil
	}
	stored, ok, err := st.object(typeName, id, typ)
	if err != nil {
		return null, err
	}

	switch typeName {
	case "okta_app_group_assignment":
		app, group := strAttr(prior, "app_id"), strAttr(prior, "group_id")
		if !st.assigned(app, group) {
			return null, nil
		}
		// objects are keyed by group id alone, so an entry may belong to
		// another app's assignment of the same group: the assignment still
		// exists (assignments says so), as the prior state describes it.
		if !ok || strAttr(stored, "app_id") != app {
			return prior, nil
		}
		return stored, nil

	case "okta_app_group_assignments":
		app := strAttr(prior, "app_id")
		current, known := st.Assignments[app]
		if !ok {
			// Imported rather than created here: the app's assignments are the object.
			if !known && !appExists(st, app) {
				return null, nil
			}
			stored = prior
		}
		entries, err := groupList(prior)
		if err != nil {
			return null, err
		}
		var kept []tftypes.Value
		seen := map[string]bool{}
		for _, el := range entries {
			g := strAttr(el, "id")
			if contains(current, g) && !seen[g] {
				kept = append(kept, el)
				seen[g] = true
			}
		}
		var added []string
		for _, g := range current { // already sorted
			if !seen[g] {
				added = append(added, g)
			}
		}
		return withAttrs(stored, map[string]tftypes.Value{"group": groupEntries(typ, kept, added)})
	}

	if !ok {
		return null, nil
	}
	if name, ok := priorOnly[typeName]; ok {
		priorAttrs, err := attrsOf(prior)
		if err != nil {
			return null, err
		}
		return withAttrs(stored, map[string]tftypes.Value{name: priorAttrs[name]})
	}
	return stored, nil
}

// appExists reports whether some okta_app_* object in the store has the id.
func appExists(st *emuStore, id string) bool {
	for typeName, objs := range st.Objects {
		if strings.HasPrefix(typeName, "okta_app") {
			if _, ok := objs[id]; ok {
				return true
			}
		}
	}
	return false
}

// --- Importing ---

func (e *emulator) importResourceState(req *tfprotov6.ImportResourceStateRequest) *tfprotov6.ImportResourceStateResponse {
	resp := &tfprotov6.ImportResourceStateResponse{}
	_, typ, diags := e.resource(req.TypeName)
	if diags != nil {
		resp.Diagnostics = diags
		return resp
	}
	var state tftypes.Value
	err := e.withStore(true, func(st *emuStore) error {
		var err error
		if state, err = importObject(st, req.TypeName, typ, req.ID); err != nil {
			return err
		}
		st.record(emuCall{Op: "import", Type: req.TypeName, ID: strAttr(state, "id")})
		return nil
	})
	if err != nil {
		resp.Diagnostics = emuError("ImportResourceState", req.TypeName, err)
		return resp
	}
	dv, err := encodeDV(typ, state)
	if err != nil {
		resp.Diagnostics = emuError("ImportResourceState", req.TypeName, err)
		return resp
	}
	resp.ImportedResources = []*tfprotov6.ImportedResource{{TypeName: req.TypeName, State: dv}}
	return resp
}

// splitImportID splits "<a>/<b>" into its two non-empty parts.
func splitImportID(typeName, id, form string) (string, string, error) {
	a, b, ok := strings.Cut(id, "/")
	if !ok || a == "" || b == "" || strings.Contains(b, "/") {
		return "", "", fmt.Errorf("import id %q of %s is not of the form %s", id, typeName, form)
	}
	return a, b, nil
}

func importObject(st *emuStore, typeName string, typ tftypes.Type, importID string) (tftypes.Value, error) {
	notFound := func(id string) error {
		return fmt.Errorf("cannot import %s %q: the emulated org has no such object (import id %q)", typeName, id, importID)
	}
	lookup := func(id string) (tftypes.Value, error) {
		v, ok, err := st.object(typeName, id, typ)
		if err != nil {
			return v, err
		}
		if !ok {
			return v, notFound(id)
		}
		return v, nil
	}
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	nullOf := func(name string) tftypes.Value { return tftypes.NewValue(attrType(typ, name), nil) }

	switch typeName {
	case "okta_push_group":
		app, mapping, err := splitImportID(typeName, importID, "<app_id>/<mapping_id>")
		if err != nil {
			return tftypes.Value{}, err
		}
		v, err := lookup(mapping)
		if err != nil {
			return v, err
		}
		if strAttr(v, "app_id") != app {
			return v, notFound(mapping)
		}
		return withAttrs(v, map[string]tftypes.Value{"delete_target_group_on_destroy": nullOf("delete_target_group_on_destroy")})

	case "okta_group_memberships":
		group, suffix, hasSuffix := strings.Cut(importID, "/")
		track := nullOf("track_all_users")
		if hasSuffix {
			switch suffix {
			case "true", "false":
				track = tftypes.NewValue(tftypes.Bool, suffix == "true")
			default:
				return tftypes.Value{}, fmt.Errorf("import id %q of %s is not of the form <group_id>, <group_id>/true or <group_id>/false", importID, typeName)
			}
		}
		v, err := lookup(group)
		if err != nil {
			return v, err
		}
		return withAttrs(v, map[string]tftypes.Value{"track_all_users": track})

	case "okta_group_owner":
		group, owner, err := splitImportID(typeName, importID, "<group_id>/<owner object id>")
		if err != nil {
			return tftypes.Value{}, err
		}
		v, err := lookup(owner)
		if err != nil {
			return v, err
		}
		if strAttr(v, "group_id") != group {
			return v, notFound(owner)
		}
		return v, nil

	case "okta_app_group_assignment":
		app, group, err := splitImportID(typeName, importID, "<app_id>/<group_id>")
		if err != nil {
			return tftypes.Value{}, err
		}
		v, ok, err := st.object(typeName, group, typ)
		if err != nil {
			return v, err
		}
		if ok && strAttr(v, "app_id") == app {
			return v, nil
		}
		if !st.assigned(app, group) {
			return v, notFound(importID)
		}
		// Assigned (by the plural resource, or seeded) without an object of
		// this type: the assignment is all there is to import.
		attrs := map[string]tftypes.Value{}
		for k, t := range typ.(tftypes.Object).AttributeTypes {
			attrs[k] = tftypes.NewValue(t, nil)
		}
		attrs["id"], attrs["app_id"], attrs["group_id"] = str(group), str(app), str(group)
		return tftypes.NewValue(typ, attrs), nil

	case "okta_app_group_assignments":
		app := importID
		groups, known := st.Assignments[app]
		if !known && !appExists(st, app) {
			return tftypes.Value{}, notFound(app)
		}
		attrs := map[string]tftypes.Value{}
		for k, t := range typ.(tftypes.Object).AttributeTypes {
			attrs[k] = tftypes.NewValue(t, nil)
		}
		sorted := append([]string{}, groups...)
		sort.Strings(sorted)
		attrs["id"], attrs["app_id"] = str(app), str(app)
		attrs["group"] = groupEntries(typ, nil, sorted)
		return tftypes.NewValue(typ, attrs), nil
	}
	return lookup(importID)
}

// --- Data sources ---

func (e *emulator) readDataSource(req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	resp := &tfprotov6.ReadDataSourceResponse{}
	if req.TypeName != "okta_users" {
		resp.Diagnostics = errorDiag("not emulated: "+req.TypeName,
			fmt.Sprintf("The okta/okta emulator (%s) answers only the okta_users data source; %s is not emulated.", emulatorEnv, req.TypeName))
		return resp
	}
	schema, ok := e.schemas.DataSources[req.TypeName]
	if !ok {
		resp.Diagnostics = unknownType("data source", req.TypeName)
		return resp
	}
	typ := valueType(schema.ValueType())
	fail := func(err error) *tfprotov6.ReadDataSourceResponse {
		resp.Diagnostics = emuError("ReadDataSource", req.TypeName, err)
		return resp
	}
	config, err := decodeDV(req.Config, typ)
	if err != nil {
		return fail(fmt.Errorf("config: %w", err))
	}
	var state tftypes.Value
	err = e.withStore(false, func(st *emuStore) error {
		var err error
		state, err = readUsers(st.Users, typ, config)
		return err
	})
	if err != nil {
		return fail(err)
	}
	if resp.State, err = encodeDV(typ, state); err != nil {
		return fail(err)
	}
	return resp
}

// parseLoginSearch reads an Okta search expression of exactly the form
// `profile.login eq "a" or profile.login eq "b" ...` and returns its logins.
func parseLoginSearch(expr string) ([]string, error) {
	const term, or = `profile.login eq "`, " or "
	bad := func(pos int, why string) error {
		return fmt.Errorf("the okta/okta emulator cannot read the okta_users search expression\n\n    %s\n\n"+
			"(%s at character %d): it understands only terms `profile.login eq \"<login>\"` joined by ` or `", expr, why, pos+1)
	}
	var logins []string
	pos := 0
	for {
		if !strings.HasPrefix(expr[pos:], term) {
			return nil, bad(pos, "expected `"+term+"`")
		}
		pos += len(term)
		end := strings.IndexByte(expr[pos:], '"')
		if end < 0 {
			return nil, bad(pos, "unterminated string")
		}
		login := expr[pos : pos+end]
		if i := strings.IndexByte(login, '\\'); i >= 0 {
			return nil, bad(pos+i, "escapes are not supported")
		}
		logins = append(logins, login)
		pos += end + 1
		if pos == len(expr) {
			return logins, nil
		}
		if !strings.HasPrefix(expr[pos:], or) {
			return nil, bad(pos, "expected ` or ` or the end")
		}
		pos += len(or)
	}
}

// readUsers answers an okta_users read: the users matching every search
// block (or any, with compound_search_operator "or"), sorted by login.
func readUsers(users []emuUser, typ tftypes.Type, config tftypes.Value) (tftypes.Value, error) {
	attrs, err := attrsOf(config)
	if err != nil {
		return config, err
	}
	if g := attrs["group_id"]; !g.IsNull() {
		return config, errors.New("the okta/okta emulator does not emulate okta_users with group_id; use search")
	}
	var blocks []tftypes.Value
	if s := attrs["search"]; !s.IsNull() {
		if err := s.As(&blocks); err != nil {
			return config, err
		}
	}
	if len(blocks) == 0 {
		return config, errors.New("must specify either group_id or search attributes")
	}
	op := strings.ToLower(strAttr(config, "compound_search_operator"))
	if op == "" {
		op = "and"
	}
	if op != "and" && op != "or" {
		return config, fmt.Errorf("compound_search_operator %q is neither \"and\" nor \"or\"", op)
	}

	matches := make([]int, len(users)) // how many search blocks each user matches
	for _, b := range blocks {
		expr := strAttr(b, "expression")
		if expr == "" {
			return config, errors.New("the okta/okta emulator needs an expression in every search block (name/value/comparison searches are not emulated)")
		}
		logins, err := parseLoginSearch(expr)
		if err != nil {
			return config, err
		}
		for i, u := range users {
			for _, l := range logins {
				if strings.EqualFold(u.Login, l) {
					matches[i]++
					break
				}
			}
		}
	}
	var found []emuUser
	for i, u := range users {
		if (op == "and" && matches[i] == len(blocks)) || (op == "or" && matches[i] > 0) {
			found = append(found, u)
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].Login < found[j].Login })

	listType := attrType(typ, "users").(tftypes.List)
	userType := listType.ElementType.(tftypes.Object)
	elems := make([]tftypes.Value, 0, len(found))
	for _, u := range found {
		ua := make(map[string]tftypes.Value, len(userType.AttributeTypes))
		for k, t := range userType.AttributeTypes {
			ua[k] = tftypes.NewValue(t, nil)
		}
		ua["id"] = tftypes.NewValue(tftypes.String, u.ID)
		ua["login"] = tftypes.NewValue(tftypes.String, u.Login)
		ua["email"] = tftypes.NewValue(tftypes.String, u.Email)
		elems = append(elems, tftypes.NewValue(userType, ua))
	}
	set := map[string]tftypes.Value{"users": tftypes.NewValue(listType, elems)}
	if attrs["id"].IsNull() {
		set["id"] = tftypes.NewValue(tftypes.String, "emulated")
	}
	return withAttrs(config, set)
}
