# redact-plan.jq: the plan JSON of `terraform show -json` without sensitive
# values. Terraform writes sensitive values (the SCIM token) in clear text and
# marks them only in the *_sensitive masks; an uploaded plan must not carry them.
def redact($mask):
  if ($mask | type) == "boolean" then (if $mask and . != null then "(sensitive)" else . end)
  else reduce ($mask | paths(. == true)) as $p (.; if getpath($p) == null then . else setpath($p; "(sensitive)") end)
  end;
def redact_module:
  (if .resources then .resources |= map(. as $r | .values |= redact($r.sensitive_values // {})) else . end)
  | (if .child_modules then .child_modules |= map(redact_module) else . end);
(.configuration.root_module.variables // {}) as $declared
| (if .variables then .variables |= with_entries(if ($declared[.key].sensitive // false) then .value.value = "(sensitive)" else . end) else . end)
| (if .resource_changes then .resource_changes |= map(. as $rc
    | .change.before |= redact($rc.change.before_sensitive // {})
    | .change.after |= redact($rc.change.after_sensitive // {})) else . end)
| (if .planned_values.root_module then .planned_values.root_module |= redact_module else . end)
| (if .prior_state.values.root_module then .prior_state.values.root_module |= redact_module else . end)
