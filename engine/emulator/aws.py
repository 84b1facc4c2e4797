"""Seeds the emulated AWS and reads it back, through the AWS API (boto3).

    python engine/emulator/aws.py seed ENDPOINT < spec.json
    python engine/emulator/aws.py read ENDPOINT > live.json
    python engine/emulator/aws.py groups ENDPOINT < ops.json

seed: {"groups": ["display name", ...]}
  creates the Identity Store groups that SCIM Group Push would have created,
  in the Identity Center instance moto starts with.
groups: {"create": [...], "delete": [...]} adds or removes Identity Store
  groups (a push that happened, a group deleted in AWS).
read: {"accountIds": [...]}: what Identity Center holds, as JSON: the
  instance, the Identity Store groups, every permission set with its
  policies, and every account assignment of those accounts (listed per
  account and permission set, as the API offers them).

Everything goes through the public API of each service, never moto's
internals: the read is what a person with a ReadOnly role would see.
"""

import json
import sys

import boto3

REGION = "us-east-1"


def client(service, endpoint):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def pages(call, key, **kwargs):
    token = None
    while True:
        args = dict(kwargs)
        if token:
            args["NextToken"] = token
        r = call(**args)
        yield from r.get(key, [])
        token = r.get("NextToken")
        if not token:
            return


def instance(endpoint):
    instances = client("sso-admin", endpoint).list_instances()["Instances"]
    if len(instances) != 1:
        raise SystemExit("expected one Identity Center instance, found %d" % len(instances))
    return instances[0]


def seed(endpoint, spec):
    inst = instance(endpoint)
    ids = create_groups(endpoint, inst, spec.get("groups", []))
    return {"instanceArn": inst["InstanceArn"], "identityStoreId": inst["IdentityStoreId"], "groups": ids}


def create_groups(endpoint, inst, names):
    store = client("identitystore", endpoint)
    ids = {}
    for name in names:
        ids[name] = store.create_group(IdentityStoreId=inst["IdentityStoreId"], DisplayName=name)["GroupId"]
    return ids


def change_groups(endpoint, ops):
    inst = instance(endpoint)
    store = client("identitystore", endpoint)
    existing = {g["DisplayName"]: g["GroupId"] for g in pages(store.list_groups, "Groups", IdentityStoreId=inst["IdentityStoreId"])}
    for name in ops.get("delete", []):
        store.delete_group(IdentityStoreId=inst["IdentityStoreId"], GroupId=existing[name])
    return {"created": create_groups(endpoint, inst, ops.get("create", []))}


def scim(endpoint, spec):
    """Does what SCIM provisioning from Okta does to the Identity Store: the users
    are exactly spec["users"] (login as UserName; a deactivated user is removed
    here, as the Identity Store API has no inactive users) and each pushed group
    in spec["members"] holds exactly the listed logins."""
    inst = instance(endpoint)
    sid = inst["IdentityStoreId"]
    store = client("identitystore", endpoint)
    users = {u["UserName"]: u["UserId"] for u in pages(store.list_users, "Users", IdentityStoreId=sid)}
    wanted = set(spec.get("users", []))
    for login in sorted(wanted - set(users)):
        users[login] = store.create_user(IdentityStoreId=sid, UserName=login, DisplayName=login, Name={"GivenName": login.split("@")[0], "FamilyName": "-"})["UserId"]
    groups = {g["DisplayName"]: g["GroupId"] for g in pages(store.list_groups, "Groups", IdentityStoreId=sid)}
    for name, logins in sorted(spec.get("members", {}).items()):
        gid = groups[name]
        have = {m["MemberId"]["UserId"]: m["MembershipId"] for m in pages(store.list_group_memberships, "GroupMemberships", IdentityStoreId=sid, GroupId=gid)}
        want = {users[l] for l in logins if l in wanted}
        for uid, mid in have.items():
            if uid not in want:
                store.delete_group_membership(IdentityStoreId=sid, MembershipId=mid)
        for uid in sorted(want - set(have)):
            store.create_group_membership(IdentityStoreId=sid, GroupId=gid, MemberId={"UserId": uid})
    for login in sorted(set(users) - wanted):
        store.delete_user(IdentityStoreId=sid, UserId=users[login])
    return {"users": sorted(wanted)}


def members(endpoint):
    inst = instance(endpoint)
    sid = inst["IdentityStoreId"]
    store = client("identitystore", endpoint)
    names = {u["UserId"]: u["UserName"] for u in pages(store.list_users, "Users", IdentityStoreId=sid)}
    out = {}
    for g in pages(store.list_groups, "Groups", IdentityStoreId=sid):
        ms = pages(store.list_group_memberships, "GroupMemberships", IdentityStoreId=sid, GroupId=g["GroupId"])
        out[g["DisplayName"]] = sorted(names.get(m["MemberId"]["UserId"], "?") for m in ms)
    return out


def read(endpoint, account_ids):
    sso = client("sso-admin", endpoint)
    store = client("identitystore", endpoint)
    inst = instance(endpoint)
    arn = inst["InstanceArn"]
    groups = {g["GroupId"]: g["DisplayName"] for g in pages(store.list_groups, "Groups", IdentityStoreId=inst["IdentityStoreId"])}
    permission_sets = {}
    assignments = []
    for ps_arn in pages(sso.list_permission_sets, "PermissionSets", InstanceArn=arn):
        d = sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=ps_arn)["PermissionSet"]
        name = d["Name"]
        tags = {t["Key"]: t["Value"] for t in sso.list_tags_for_resource(InstanceArn=arn, ResourceArn=ps_arn).get("Tags", [])}
        managed = sorted(p["Arn"] for p in pages(sso.list_managed_policies_in_permission_set, "AttachedManagedPolicies", InstanceArn=arn, PermissionSetArn=ps_arn))
        customer = sorted(
            "%s%s" % (p.get("Path", "/"), p["Name"])
            for p in pages(sso.list_customer_managed_policy_references_in_permission_set, "CustomerManagedPolicyReferences", InstanceArn=arn, PermissionSetArn=ps_arn)
        )
        inline = sso.get_inline_policy_for_permission_set(InstanceArn=arn, PermissionSetArn=ps_arn).get("InlinePolicy") or None
        try:
            boundary = sso.get_permissions_boundary_for_permission_set(InstanceArn=arn, PermissionSetArn=ps_arn)["PermissionsBoundary"]
        except sso.exceptions.ResourceNotFoundException:
            boundary = None
        permission_sets[name] = {
            "description": d.get("Description") or None,
            "sessionDuration": d.get("SessionDuration") or None,
            "relayState": d.get("RelayState") or None,
            "tags": tags,
            "managedPolicies": managed,
            "customerManagedPolicies": customer,
            "inlinePolicy": json.loads(inline) if inline else None,
            "permissionsBoundary": boundary,
        }
        for account in account_ids:
            for a in pages(sso.list_account_assignments, "AccountAssignments", InstanceArn=arn, AccountId=account, PermissionSetArn=ps_arn):
                assignments.append({
                    "group": groups.get(a["PrincipalId"], "?" + a["PrincipalId"]) if a["PrincipalType"] == "GROUP" else None,
                    "principalType": a["PrincipalType"],
                    "permissionSet": name,
                    "accountId": a["AccountId"],
                })
    assignments.sort(key=lambda a: (a["group"] or "", a["permissionSet"], a["accountId"]))
    return {"instanceArn": arn, "identityStoreId": inst["IdentityStoreId"], "groups": sorted(groups.values()), "permissionSets": permission_sets, "assignments": assignments, "members": members(endpoint)}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("seed", "read", "groups", "scim"):
        raise SystemExit(__doc__)
    command, endpoint = sys.argv[1], sys.argv[2]
    spec = json.load(sys.stdin)
    if command == "seed":
        out = seed(endpoint, spec)
    elif command == "groups":
        out = change_groups(endpoint, spec)
    elif command == "scim":
        out = scim(endpoint, spec)
    else:
        out = read(endpoint, spec["accountIds"])
    json.dump(out, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
