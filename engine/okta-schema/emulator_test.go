package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// emuFixture is a server in emulator mode over a store in a temporary directory.
type emuFixture struct {
	t     *testing.T
	srv   *server
	store string
}

func newEmuFixture(t *testing.T, store string) *emuFixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "okta.json")
	if err := os.WriteFile(path, []byte(store), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := newServer(schemaJSON, nil)
	if srv.loadErr != nil {
		t.Fatal(srv.loadErr)
	}
	srv.emu = newEmulator(path, srv.schemas)
	return &emuFixture{t: t, srv: srv, store: path}
}

func (f *emuFixture) typ(typeName string) tftypes.Type {
	f.t.Helper()
	s, ok := f.srv.schemas.Resources[typeName]
	if !ok {
		f.t.Fatalf("no resource %s", typeName)
	}
	return valueType(s.ValueType())
}

// val builds a value of a resource type from JSON; attributes left out are null.
func (f *emuFixture) val(typeName, js string) tftypes.Value {
	f.t.Helper()
	typ := f.typ(typeName)
	if js == "" {
		return tftypes.NewValue(typ, nil)
	}
	v, err := tftypes.ValueFromJSON([]byte(js), typ)
	if err != nil {
		f.t.Fatalf("%s %s: %v", typeName, js, err)
	}
	return v
}

func (f *emuFixture) dv(typeName string, v tftypes.Value) *tfprotov6.DynamicValue {
	f.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(f.typ(typeName), v)
	if err != nil {
		f.t.Fatal(err)
	}
	return &dv
}

func (f *emuFixture) decode(typeName string, dv *tfprotov6.DynamicValue) tftypes.Value {
	f.t.Helper()
	v, err := dv.Unmarshal(f.typ(typeName))
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func noDiags(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
	}
}

func (f *emuFixture) plan(typeName string, prior, proposed tftypes.Value) (tftypes.Value, *tfprotov6.PlanResourceChangeResponse) {
	f.t.Helper()
	resp, err := f.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: f.dv(typeName, prior), ProposedNewState: f.dv(typeName, proposed), Config: f.dv(typeName, proposed),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	noDiags(f.t, "plan "+typeName, resp.Diagnostics)
	return f.decode(typeName, resp.PlannedState), resp
}

func (f *emuFixture) apply(typeName string, prior, planned tftypes.Value) tftypes.Value {
	f.t.Helper()
	resp, err := f.srv.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: f.dv(typeName, prior), PlannedState: f.dv(typeName, planned), Config: f.dv(typeName, planned),
	})
	if err != nil {
		f.t.Fatal(err)
	}
	noDiags(f.t, "apply "+typeName, resp.Diagnostics)
	return f.decode(typeName, resp.NewState)
}

// create plans and applies a new object from a configuration.
func (f *emuFixture) create(typeName, config string) tftypes.Value {
	f.t.Helper()
	null := f.val(typeName, "")
	planned, _ := f.plan(typeName, null, f.val(typeName, config))
	return f.apply(typeName, null, planned)
}

func (f *emuFixture) read(typeName string, prior tftypes.Value) tftypes.Value {
	f.t.Helper()
	resp, err := f.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: f.dv(typeName, prior)})
	if err != nil {
		f.t.Fatal(err)
	}
	noDiags(f.t, "read "+typeName, resp.Diagnostics)
	return f.decode(typeName, resp.NewState)
}

func (f *emuFixture) load() *emuStore {
	f.t.Helper()
	st, err := f.srv.emu.load()
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}

// edit changes the store file as the harness (or someone clicking in Okta) would.
func (f *emuFixture) edit(fn func(st *emuStore)) {
	f.t.Helper()
	st := f.load()
	fn(st)
	if err := f.srv.emu.save(st); err != nil {
		f.t.Fatal(err)
	}
}

func attr(t *testing.T, v tftypes.Value, name string) tftypes.Value {
	t.Helper()
	attrs, err := attrsOf(v)
	if err != nil {
		t.Fatal(err)
	}
	a, ok := attrs[name]
	if !ok {
		t.Fatalf("no attribute %s", name)
	}
	return a
}

func wantString(t *testing.T, v tftypes.Value, name, want string) {
	t.Helper()
	a := attr(t, v, name)
	var s string
	if !a.IsKnown() || a.IsNull() || a.As(&s) != nil || s != want {
		t.Errorf("%s = %s, want %q", name, a, want)
	}
}

func wantUnknown(t *testing.T, v tftypes.Value, names ...string) {
	t.Helper()
	for _, n := range names {
		if a := attr(t, v, n); a.IsKnown() {
			t.Errorf("%s = %s, want unknown", n, a)
		}
	}
}

func wantNull(t *testing.T, v tftypes.Value, names ...string) {
	t.Helper()
	for _, n := range names {
		if a := attr(t, v, n); !a.IsKnown() || !a.IsNull() {
			t.Errorf("%s = %s, want null", n, a)
		}
	}
}

func callsOf(st *emuStore) []string {
	var out []string
	for _, c := range st.Calls {
		s := c.Op + " " + c.Type
		if c.ID != "" {
			s += " " + c.ID
		}
		if c.App != "" {
			s += " " + c.App + "/" + c.Group
		}
		out = append(out, s)
	}
	return out
}

func wantCalls(t *testing.T, st *emuStore, want ...string) {
	t.Helper()
	got := callsOf(st)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("calls:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	for i, c := range st.Calls {
		if c.Seq != int64(i+1) {
			t.Errorf("call %d has seq %d", i, c.Seq)
		}
	}
}

func TestEmulatorPlanCreate(t *testing.T) {
	f := newEmuFixture(t, `{}`)

	push, resp := f.plan("okta_push_group", f.val("okta_push_group", ""),
		f.val("okta_push_group", `{"app_id":"0oaA","source_group_id":"00gS","target_group_name":"aws-admins"}`))
	wantUnknown(t, push, "id", "target_group_id")
	wantString(t, push, "status", "ACTIVE")
	if v := attr(t, push, "delete_target_group_on_destroy"); !v.Equal(tftypes.NewValue(tftypes.Bool, true)) {
		t.Errorf("delete_target_group_on_destroy = %s, want true", v)
	}
	wantString(t, push, "target_group_name", "aws-admins")
	wantNull(t, push, "app_config")
	if len(resp.RequiresReplace) != 0 {
		t.Errorf("create plan requires replace of %v", resp.RequiresReplace)
	}

	// A configured value is kept, default or not.
	push, _ = f.plan("okta_push_group", f.val("okta_push_group", ""),
		f.val("okta_push_group", `{"app_id":"0oaA","source_group_id":"00gS","delete_target_group_on_destroy":false,"status":"INACTIVE","target_group_id":"t1"}`))
	if v := attr(t, push, "delete_target_group_on_destroy"); !v.Equal(tftypes.NewValue(tftypes.Bool, false)) {
		t.Errorf("configured delete_target_group_on_destroy = %s", v)
	}
	wantString(t, push, "status", "INACTIVE")
	wantString(t, push, "target_group_id", "t1")

	app, _ := f.plan("okta_app_saml", f.val("okta_app_saml", ""), f.val("okta_app_saml", `{"label":"AWS","status":"ACTIVE","attribute_statements":[]}`))
	wantUnknown(t, app, "id", "certificate", "features", "keys", "authentication_policy", "metadata", "name", "sign_on_mode")
	wantString(t, app, "label", "AWS")
	wantNull(t, app, "admin_note", "acs_endpoints")

	// Updates keep computed values and name what forces a replacement.
	prior := f.val("okta_push_group", `{"id":"gpm1","app_id":"0oaA","source_group_id":"00gS","target_group_name":"a","target_group_id":"aws1","status":"ACTIVE","delete_target_group_on_destroy":true}`)
	proposed := f.val("okta_push_group", `{"id":"gpm1","app_id":"0oaA","source_group_id":"00gS","target_group_name":"b","target_group_id":"aws1","status":"ACTIVE","delete_target_group_on_destroy":true}`)
	planned, resp := f.plan("okta_push_group", prior, proposed)
	if !planned.Equal(proposed) {
		t.Errorf("update plan = %s, want the proposed state", planned)
	}
	want := []*tftypes.AttributePath{tftypes.NewAttributePath().WithAttributeName("target_group_name")}
	if !reflect.DeepEqual(resp.RequiresReplace, want) {
		t.Errorf("requires replace = %v, want %v", resp.RequiresReplace, want)
	}

	// A destroy plan passes through.
	null := f.val("okta_push_group", "")
	planned, _ = f.plan("okta_push_group", prior, null)
	if !planned.IsNull() {
		t.Errorf("destroy plan = %s", planned)
	}
	if st := f.load(); len(st.Calls) != 0 {
		t.Errorf("planning logged calls: %v", callsOf(st))
	}
}

func TestEmulatorApplyIDs(t *testing.T) {
	f := newEmuFixture(t, `{}`)

	group := f.create("okta_group", `{"name":"admins"}`)
	wantString(t, group, "id", "00g00000000000000001")
	wantNull(t, group, "description")

	app := f.create("okta_app_saml", `{"label":"AWS","attribute_statements":[]}`)
	wantString(t, app, "id", "0oa00000000000000002")
	wantString(t, app, "certificate", "emulated-certificate")
	wantString(t, app, "authentication_policy", "emulated-authentication_policy")
	var keys []tftypes.Value
	if v := attr(t, app, "keys"); v.IsNull() || !v.IsFullyKnown() || v.As(&keys) != nil || len(keys) != 0 {
		t.Errorf("keys = %s, want an empty list", v)
	}

	push := f.create("okta_push_group", `{"app_id":"0oa00000000000000002","source_group_id":"00g00000000000000001","target_group_name":"admins"}`)
	wantString(t, push, "id", "gpm00000000000000003")
	wantString(t, push, "target_group_id", "aws00000000000000004")

	members := f.create("okta_group_memberships", `{"group_id":"00g00000000000000001","users":["00u1"],"track_all_users":true}`)
	wantString(t, members, "id", "00g00000000000000001")
	assignments := f.create("okta_app_group_assignments", `{"app_id":"0oa00000000000000002","group":[{"id":"00g00000000000000001"}]}`)
	wantString(t, assignments, "id", "0oa00000000000000002")
	one := f.create("okta_app_group_assignment", `{"app_id":"0oa00000000000000002","group_id":"00gX"}`)
	wantString(t, one, "id", "00gX")
	features := f.create("okta_app_features", `{"app_id":"0oa00000000000000002","name":"USER_PROVISIONING"}`)
	wantString(t, features, "id", "0oa00000000000000002/USER_PROVISIONING")
	conn := f.create("okta_app_connection", `{"id":"0oa00000000000000002","action":"activate","base_url":"https://scim.example"}`)
	wantString(t, conn, "id", "0oa00000000000000002")
	wantString(t, conn, "status", "emulated-status")
	owner := f.create("okta_group_owner", `{"group_id":"00g00000000000000001","id_of_group_owner":"00u1","type":"USER"}`)
	wantString(t, owner, "id", "gow00000000000000005")
	if v := attr(t, owner, "resolved"); !v.Equal(tftypes.NewValue(tftypes.Bool, false)) {
		t.Errorf("resolved = %s", v)
	}
	policy := f.create("okta_app_signon_policy", `{"name":"p","description":"d"}`)
	wantString(t, policy, "id", "rst00000000000000006")
	if v := attr(t, policy, "priority"); !v.Equal(tftypes.NewValue(tftypes.Number, 0)) {
		t.Errorf("priority = %s", v)
	}
	rule := f.create("okta_app_signon_policy_rule", `{"name":"r","policy_id":"rst00000000000000006"}`)
	wantString(t, rule, "id", "rul00000000000000007")
	other := f.create("okta_group_rule", `{"name":"r","expression_value":"true","group_assignments":["00g1"]}`)
	wantString(t, other, "id", "emu00000000000000008")

	st := f.load()
	if st.Next != 9 {
		t.Errorf("next = %d, want 9", st.Next)
	}
	stored, ok, err := st.object("okta_push_group", "gpm00000000000000003", f.typ("okta_push_group"))
	if err != nil || !ok || !stored.Equal(push) {
		t.Errorf("stored push group = %s (%v, %v), want %s", stored, ok, err, push)
	}
	wantCalls(t, st,
		"create okta_group 00g00000000000000001",
		"create okta_app_saml 0oa00000000000000002",
		"create okta_push_group gpm00000000000000003",
		"create okta_group_memberships 00g00000000000000001",
		"create okta_app_group_assignments 0oa00000000000000002",
		"assign okta_app_group_assignments 0oa00000000000000002/00g00000000000000001",
		"create okta_app_group_assignment 00gX",
		"assign okta_app_group_assignment 0oa00000000000000002/00gX",
		"create okta_app_features 0oa00000000000000002/USER_PROVISIONING",
		"create okta_app_connection 0oa00000000000000002",
		"create okta_group_owner gow00000000000000005",
		"create okta_app_signon_policy rst00000000000000006",
		"create okta_app_signon_policy_rule rul00000000000000007",
		"create okta_group_rule emu00000000000000008",
	)
	if got := st.Assignments["0oa00000000000000002"]; !reflect.DeepEqual(got, []string{"00g00000000000000001", "00gX"}) {
		t.Errorf("assignments = %v", got)
	}

	// Update overwrites, delete removes.
	renamed := f.val("okta_group", `{"id":"00g00000000000000001","name":"admins2"}`)
	f.apply("okta_group", group, renamed)
	f.apply("okta_app_group_assignment", one, f.val("okta_app_group_assignment", ""))
	st = f.load()
	stored, _, _ = st.object("okta_group", "00g00000000000000001", f.typ("okta_group"))
	wantString(t, stored, "name", "admins2")
	if _, ok := st.Objects["okta_app_group_assignment"]; ok {
		t.Errorf("deleted assignment still stored: %s", st.Objects["okta_app_group_assignment"])
	}
	n := len(st.Calls)
	if got := callsOf(st)[n-3:]; !reflect.DeepEqual(got, []string{
		"update okta_group 00g00000000000000001",
		"delete okta_app_group_assignment 00gX",
		"unassign okta_app_group_assignment 0oa00000000000000002/00gX",
	}) {
		t.Errorf("last calls = %v", got)
	}
	if got := st.Assignments["0oa00000000000000002"]; !reflect.DeepEqual(got, []string{"00g00000000000000001"}) {
		t.Errorf("assignments after unassign = %v", got)
	}
}

func TestEmulatorAssignmentsUpdateOrder(t *testing.T) {
	f := newEmuFixture(t, `{"assignments":{"0oaA":["g2"]}}`)
	prior := f.create("okta_app_group_assignments", `{"app_id":"0oaA","group":[{"id":"g1"},{"id":"g2","priority":1}]}`)
	proposed := f.val("okta_app_group_assignments", `{"id":"0oaA","app_id":"0oaA","group":[{"id":"g3"},{"id":"g2"},{"id":"g4"}]}`)
	planned, resp := f.plan("okta_app_group_assignments", prior, proposed)
	if len(resp.RequiresReplace) != 0 {
		t.Errorf("requires replace = %v", resp.RequiresReplace)
	}
	f.apply("okta_app_group_assignments", prior, planned)
	f.apply("okta_app_group_assignments", planned, f.val("okta_app_group_assignments", ""))
	st := f.load()
	wantCalls(t, st,
		"create okta_app_group_assignments 0oaA",
		"assign okta_app_group_assignments 0oaA/g1",
		"assign okta_app_group_assignments 0oaA/g2", // already assigned: logged all the same
		"update okta_app_group_assignments 0oaA",
		"unassign okta_app_group_assignments 0oaA/g1",
		"assign okta_app_group_assignments 0oaA/g3",
		"assign okta_app_group_assignments 0oaA/g4",
		"delete okta_app_group_assignments 0oaA",
		"unassign okta_app_group_assignments 0oaA/g3",
		"unassign okta_app_group_assignments 0oaA/g2",
		"unassign okta_app_group_assignments 0oaA/g4",
	)
	if len(st.Assignments) != 0 || len(st.Objects) != 0 {
		t.Errorf("after delete: assignments %v, objects %v", st.Assignments, st.Objects)
	}
}

func TestEmulatorAssignmentsRead(t *testing.T) {
	f := newEmuFixture(t, `{}`)
	plural := f.create("okta_app_group_assignments", `{"app_id":"0oaA","group":[{"id":"g5","priority":2,"profile":"{}"},{"id":"g1"}]}`)
	single := f.create("okta_app_group_assignment", `{"app_id":"0oaA","group_id":"g3","priority":7}`)

	// The plural resource sees every group of the app: its own in its own
	// order, then the others, sorted, with only their id.
	got := f.read("okta_app_group_assignments", plural)
	want := f.val("okta_app_group_assignments", `{"id":"0oaA","app_id":"0oaA","group":[{"id":"g5","priority":2,"profile":"{}"},{"id":"g1"},{"id":"g3"}]}`)
	if !got.Equal(want) {
		t.Errorf("plural read = %s\nwant %s", got, want)
	}
	if got := f.read("okta_app_group_assignment", single); !got.Equal(single) {
		t.Errorf("singular read = %s, want %s", got, single)
	}

	// Unassigned outside Terraform: the plural drops it, the singular is gone.
	f.edit(func(st *emuStore) { st.Assignments["0oaA"] = []string{"g1", "g2"} })
	got = f.read("okta_app_group_assignments", plural)
	want = f.val("okta_app_group_assignments", `{"id":"0oaA","app_id":"0oaA","group":[{"id":"g1"},{"id":"g2"}]}`)
	if !got.Equal(want) {
		t.Errorf("plural read after drift = %s\nwant %s", got, want)
	}
	if got := f.read("okta_app_group_assignment", single); !got.IsNull() {
		t.Errorf("singular read after unassign = %s, want null", got)
	}
	if n := len(f.load().Calls); n != 5 {
		t.Errorf("reads logged calls: %d calls", n)
	}
}

func TestEmulatorRefresh(t *testing.T) {
	f := newEmuFixture(t, `{}`)
	push := f.create("okta_push_group", `{"app_id":"0oaA","source_group_id":"00gS","target_group_name":"t"}`)
	members := f.create("okta_group_memberships", `{"group_id":"00gS","users":["00u1"],"track_all_users":true}`)
	if got := f.read("okta_push_group", push); !got.Equal(push) {
		t.Errorf("read = %s, want %s", got, push)
	}

	// Drift in Okta shows; the attributes Okta does not hold come from the prior state.
	f.edit(func(st *emuStore) {
		st.Objects["okta_push_group"]["gpm00000000000000001"] = json.RawMessage(`{"id":"gpm00000000000000001","app_id":"0oaA","source_group_id":"00gS","target_group_name":"t","target_group_id":"aws00000000000000002","status":"INACTIVE","delete_target_group_on_destroy":false}`)
		st.Objects["okta_group_memberships"]["00gS"] = json.RawMessage(`{"id":"00gS","group_id":"00gS","users":["00u1","00u2"]}`)
	})
	got := f.read("okta_push_group", push)
	wantString(t, got, "status", "INACTIVE")
	if v := attr(t, got, "delete_target_group_on_destroy"); !v.Equal(tftypes.NewValue(tftypes.Bool, true)) {
		t.Errorf("delete_target_group_on_destroy = %s, want the prior true", v)
	}
	got = f.read("okta_group_memberships", members)
	if v := attr(t, got, "track_all_users"); !v.Equal(tftypes.NewValue(tftypes.Bool, true)) {
		t.Errorf("track_all_users = %s, want the prior true", v)
	}
	var users []tftypes.Value
	if err := attr(t, got, "users").As(&users); err != nil || len(users) != 2 {
		t.Errorf("users = %v (%v)", users, err)
	}

	// Deleted outside Terraform.
	f.edit(func(st *emuStore) { delete(st.Objects, "okta_push_group") })
	if got := f.read("okta_push_group", push); !got.IsNull() {
		t.Errorf("read of a deleted object = %s, want null", got)
	}
}

func (f *emuFixture) importID(typeName, id string) (tftypes.Value, []*tfprotov6.Diagnostic) {
	f.t.Helper()
	resp, err := f.srv.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id})
	if err != nil {
		f.t.Fatal(err)
	}
	if len(resp.Diagnostics) > 0 {
		return tftypes.Value{}, resp.Diagnostics
	}
	if len(resp.ImportedResources) != 1 || resp.ImportedResources[0].TypeName != typeName {
		f.t.Fatalf("imported %+v", resp.ImportedResources)
	}
	return f.decode(typeName, resp.ImportedResources[0].State), nil
}

func TestEmulatorImport(t *testing.T) {
	f := newEmuFixture(t, `{
	  "objects": {
	    "okta_push_group": {"gpmP": {"id":"gpmP","app_id":"0oaA","source_group_id":"00gS","target_group_id":"awsT","status":"ACTIVE","delete_target_group_on_destroy":true}},
	    "okta_group_memberships": {"00gS": {"id":"00gS","group_id":"00gS","users":["00u1"],"track_all_users":true}},
	    "okta_group": {"00gS": {"id":"00gS","name":"admins"}},
	    "okta_app_saml": {"0oaA": {"id":"0oaA","label":"AWS"}}
	  },
	  "assignments": {"0oaA": ["00gS", "00gB"]},
	  "next": 40
	}`)

	push, diags := f.importID("okta_push_group", "0oaA/gpmP")
	noDiags(t, "import push group", diags)
	wantString(t, push, "id", "gpmP")
	wantString(t, push, "target_group_id", "awsT")
	wantNull(t, push, "delete_target_group_on_destroy", "target_group_name")
	// The refresh that follows an import keeps it null.
	wantNull(t, f.read("okta_push_group", push), "delete_target_group_on_destroy")

	members, diags := f.importID("okta_group_memberships", "00gS/false")
	noDiags(t, "import memberships", diags)
	if v := attr(t, members, "track_all_users"); !v.Equal(tftypes.NewValue(tftypes.Bool, false)) {
		t.Errorf("track_all_users = %s, want false from the id", v)
	}
	members, diags = f.importID("okta_group_memberships", "00gS")
	noDiags(t, "import memberships", diags)
	wantNull(t, members, "track_all_users")

	group, diags := f.importID("okta_group", "00gS")
	noDiags(t, "import group", diags)
	wantString(t, group, "name", "admins")

	plural, diags := f.importID("okta_app_group_assignments", "0oaA")
	noDiags(t, "import assignments", diags)
	want := f.val("okta_app_group_assignments", `{"id":"0oaA","app_id":"0oaA","group":[{"id":"00gB"},{"id":"00gS"}]}`)
	if !plural.Equal(want) {
		t.Errorf("imported assignments = %s\nwant %s", plural, want)
	}
	if got := f.read("okta_app_group_assignments", plural); !got.Equal(want) {
		t.Errorf("refresh after import = %s", got)
	}
	single, diags := f.importID("okta_app_group_assignment", "0oaA/00gB")
	noDiags(t, "import assignment", diags)
	wantString(t, single, "id", "00gB")
	wantString(t, single, "app_id", "0oaA")

	for typeName, id := range map[string]string{
		"okta_push_group":           "0oaB/gpmP", // another app's mapping
		"okta_group":                "00gNope",
		"okta_app_group_assignment": "0oaA/00gNope",
	} {
		_, diags := f.importID(typeName, id)
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError ||
			!strings.Contains(diags[0].Summary+diags[0].Detail, typeName) {
			t.Errorf("import %s %s: diags %+v", typeName, id, diags)
		}
	}
	if _, diags := f.importID("okta_push_group", "gpmP"); len(diags) != 1 || !strings.Contains(diags[0].Detail, "<app_id>/<mapping_id>") {
		t.Errorf("import id without app: diags %+v", diags)
	}

	st := f.load()
	wantCalls(t, st,
		"import okta_push_group gpmP",
		"import okta_group_memberships 00gS",
		"import okta_group_memberships 00gS",
		"import okta_group 00gS",
		"import okta_app_group_assignments 0oaA",
		"import okta_app_group_assignment 00gB",
	)
	if st.Next != 40 {
		t.Errorf("next = %d", st.Next)
	}
}

func TestParseLoginSearch(t *testing.T) {
	got, err := parseLoginSearch(`profile.login eq "a@x.com" or profile.login eq "B@x.com"`)
	if err != nil || !reflect.DeepEqual(got, []string{"a@x.com", "B@x.com"}) {
		t.Errorf("got %v, %v", got, err)
	}
	got, err = parseLoginSearch(`profile.login eq "solo@x.com"`)
	if err != nil || !reflect.DeepEqual(got, []string{"solo@x.com"}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{
		``,
		`profile.email eq "a@x.com"`,
		`profile.login eq "a@x.com" and profile.login eq "b@x.com"`,
		`profile.login sw "a"`,
		`profile.login eq "a@x.com" or`,
		`profile.login eq "a@x.com`,
		`profile.login eq "a@x.com"  or profile.login eq "b@x.com"`,
		`(profile.login eq "a@x.com")`,
	} {
		if _, err := parseLoginSearch(bad); err == nil {
			t.Errorf("%q: no error", bad)
		} else if !strings.Contains(err.Error(), bad) {
			t.Errorf("%q: error does not quote it: %v", bad, err)
		}
	}
}

func TestEmulatorUsersDataSource(t *testing.T) {
	f := newEmuFixture(t, `{"users":[
	  {"id":"00u3","login":"zoe@example.com","email":"zoe@example.com"},
	  {"id":"00u1","login":"Ada@Example.com","email":"ada@example.com"},
	  {"id":"00u2","login":"bob@example.com","email":"bob@example.com"}
	]}`)
	ds := f.srv.schemas.DataSources["okta_users"]
	typ := valueType(ds.ValueType())
	read := func(config string) (tftypes.Value, []*tfprotov6.Diagnostic) {
		t.Helper()
		v, err := tftypes.ValueFromJSON([]byte(config), typ)
		if err != nil {
			t.Fatal(err)
		}
		dv, err := tfprotov6.NewDynamicValue(typ, v)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := f.srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "okta_users", Config: &dv})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) > 0 {
			return tftypes.Value{}, resp.Diagnostics
		}
		out, err := resp.State.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		return out, nil
	}

	got, diags := read(`{"search":[{"expression":"profile.login eq \"zoe@example.com\" or profile.login eq \"ada@example.com\" or profile.login eq \"nobody@example.com\""}]}`)
	noDiags(t, "read okta_users", diags)
	wantString(t, got, "id", "emulated")
	var users []tftypes.Value
	if err := attr(t, got, "users").As(&users); err != nil || len(users) != 2 {
		t.Fatalf("users = %v (%v)", users, err)
	}
	wantString(t, users[0], "id", "00u1") // "Ada@…" sorts before "zoe@…"
	wantString(t, users[0], "login", "Ada@Example.com")
	wantString(t, users[0], "email", "ada@example.com")
	wantNull(t, users[0], "first_name", "status", "group_memberships")
	wantString(t, users[1], "id", "00u3")

	// Two search blocks: "and" by default, "or" on request.
	two := `[{"expression":"profile.login eq \"bob@example.com\" or profile.login eq \"zoe@example.com\""},{"expression":"profile.login eq \"ZOE@example.com\""}]`
	got, diags = read(`{"search":` + two + `}`)
	noDiags(t, "read okta_users and", diags)
	if err := attr(t, got, "users").As(&users); err != nil || len(users) != 1 {
		t.Fatalf("and users = %v (%v)", users, err)
	}
	wantString(t, users[0], "id", "00u3")
	got, diags = read(`{"compound_search_operator":"or","search":` + two + `}`)
	noDiags(t, "read okta_users or", diags)
	if err := attr(t, got, "users").As(&users); err != nil || len(users) != 2 {
		t.Fatalf("or users = %v (%v)", users, err)
	}

	bad := `profile.login eq "ada@example.com" and profile.login eq "bob@example.com"`
	quoted, _ := json.Marshal(bad)
	_, diags = read(`{"search":[{"expression":` + string(quoted) + `}]}`)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || !strings.Contains(diags[0].Detail, bad) {
		t.Errorf("bad expression diags = %+v", diags)
	}

	resp, _ := f.srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "okta_group"})
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "not emulated: okta_group" {
		t.Errorf("okta_group diags = %+v", resp.Diagnostics)
	}
}

func TestEmulatorStoreFile(t *testing.T) {
	f := newEmuFixture(t, `{"users":[{"id":"00u1","login":"a@x","email":"a@x"}]}`)
	f.create("okta_group", `{"name":"g"}`)
	entries, err := os.ReadDir(filepath.Dir(f.store))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("store directory holds %v, want only the store", entries)
	}
	var doc map[string]json.RawMessage
	data, _ := os.ReadFile(f.store)
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"users", "objects", "assignments", "calls", "next"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("store has no %s: %s", k, data)
		}
	}
	if !strings.Contains(string(data), `"login": "a@x"`) {
		t.Errorf("users not kept: %s", data)
	}

	// A second server (another plugin process) sees what the first wrote.
	other := newServer(schemaJSON, nil)
	other.emu = newEmulator(f.store, other.schemas)
	g := f.val("okta_group", `{"id":"00g00000000000000001","name":"g"}`)
	resp, _ := other.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "okta_group", CurrentState: f.dv("okta_group", g)})
	noDiags(t, "read from a second server", resp.Diagnostics)
	if got := f.decode("okta_group", resp.NewState); !got.Equal(g) {
		t.Errorf("second server read %s", got)
	}

	// A store that is not the contract is an error, not silently reset.
	if err := os.WriteFile(f.store, []byte(`{"user":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	resp, _ = other.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: "okta_group", CurrentState: f.dv("okta_group", g)})
	if len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail, "user") {
		t.Errorf("bad store diags = %+v", resp.Diagnostics)
	}
}

// TestEmulatorConcurrentWriters creates groups from many goroutines through
// two emulators on one store, as two plugin processes would: no write is lost.
func TestEmulatorConcurrentWriters(t *testing.T) {
	f := newEmuFixture(t, `{}`)
	second := newServer(schemaJSON, nil)
	second.emu = newEmulator(f.store, second.schemas)
	planned := f.val("okta_group", `{"name":"g"}`)
	planned, _ = f.plan("okta_group", f.val("okta_group", ""), planned)
	const each = 15
	errs := make(chan string, 2*each)
	var wg sync.WaitGroup
	for _, srv := range []*server{f.srv, second} {
		for i := 0; i < each; i++ {
			wg.Add(1)
			go func(srv *server) {
				defer wg.Done()
				resp, _ := srv.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
					TypeName: "okta_group", PriorState: f.dv("okta_group", f.val("okta_group", "")), PlannedState: f.dv("okta_group", planned),
				})
				for _, d := range resp.Diagnostics {
					errs <- d.Summary + ": " + d.Detail
				}
			}(srv)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	st := f.load()
	if len(st.Objects["okta_group"]) != 2*each || len(st.Calls) != 2*each || st.Next != 2*each+1 {
		t.Errorf("%d groups, %d calls, next %d; want %d, %d, %d", len(st.Objects["okta_group"]), len(st.Calls), st.Next, 2*each, 2*each, 2*each+1)
	}
	for i, c := range st.Calls {
		if c.Seq != int64(i+1) {
			t.Errorf("call %d has seq %d", i, c.Seq)
		}
	}
}
