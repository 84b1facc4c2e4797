# redact-plan.jq: the plan JSON of `terraform show -json`, fit to upload.
# - Sensitive values (the SCIM token) are in clear text there, marked only in
#   the *_sensitive masks: each becomes "(sensitive)".
# - The prior state is cut down to what plan-summary reads: Okta users' id and
#   login (from the okta_users look-ups) and Okta groups' id and name. Users'
#   full profiles, and every other object's state, are left out; so are the
#   users of data sources in resource_changes.
def redact($mask):
  if ($mask | type) == "boolean" then (if $mask and . != null then "(sensitive)" else . end)
  else reduce ($mask | paths(. == true)) as $p (.; if getpath($p) == null then . else setpath($p; "(sensitive)") end)
  end;
def redact_module:
  (if .resources then .resources |= map(. as $r | .values |= redact($r.sensitive_values // {})) else . end)
  | (if .child_modules then .child_modules |= map(redact_module) else . end);
def users: [(. // [])[] | {id, login}];
def slim_module:
  { resources: [(.resources // [])[]
      | select((.mode == "data" and .type == "okta_users") or (.mode == "managed" and .type == "okta_group"))
      | if .type == "okta_users" then .values = {users: (.values.users | users)} else .values = {id: .values.id, name: .values.name} end
      | del(.sensitive_values)],
    child_modules: [(.child_modules // [])[] | slim_module] };
(.configuration.root_module.variables // {}) as $declared
| (if .variables then .variables |= with_entries(if ($declared[.key].sensitive // false) then .value.value = "(sensitive)" else . end) else . end)
| (if .resource_changes then .resource_changes |= map(. as $rc
    | .change.before |= redact($rc.change.before_sensitive // {})
    | .change.after |= redact($rc.change.after_sensitive // {})
    | if .mode == "data" then .change.before = null | .change.after = (if .type == "okta_users" then {users: (.change.after.users | users)} else null end) else . end) else . end)
| (if .planned_values.root_module then .planned_values.root_module |= redact_module else . end)
| (if .prior_state.values.root_module then .prior_state.values.root_module |= slim_module else . end)
