"""The emulated AWS of the engine tests: moto in server mode on 127.0.0.1.

Started by engine/harness.ts with the moto venv that engine/build.sh installs:

    python engine/emulator/server.py            # picks a free port

It prints one line of JSON, {"port": N}, once the server answers, and runs
until its standard input closes or it gets SIGTERM, so a test run that dies
never leaves it behind.

moto 5.2 implements most of sso-admin but not the calls the AWS provider makes
for permissions boundaries, permission set tags and the provisioning status
poll. They are added below, on moto's own backend objects, in the shape the
sso-admin API reference gives them. One lookup is corrected: moto reads an AWS
managed policy's path from the key "path" while its policy data spells it
"Path", so every policy under a path (job-function/ViewOnlyAccess, ...) is
refused as not existing. Everything else is moto unchanged.
"""

import json
import os
import signal
import sys
import threading
from uuid import uuid4

from moto.core.utils import unix_time
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.ssoadmin import models as sso_models
from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.responses import SSOAdminResponse


def _permission_set(response, params):
    backend = response.ssoadmin_backend
    for ps in backend.permission_sets:
        if ps.permission_set_arn == params.get("PermissionSetArn", params.get("ResourceArn")):
            return ps
    raise ResourceNotFoundException("Could not find PermissionSet with id %s" % params.get("PermissionSetArn"))


def put_permissions_boundary_to_permission_set(self):
    params = json.loads(self.body)
    ps = _permission_set(self, params)
    ps.accessctl_boundary = params["PermissionsBoundary"]
    return "{}"


def get_permissions_boundary_for_permission_set(self):
    params = json.loads(self.body)
    ps = _permission_set(self, params)
    boundary = getattr(ps, "accessctl_boundary", None)
    if boundary is None:
        raise ResourceNotFoundException("Could not find PermissionsBoundary for PermissionSet %s" % ps.permission_set_arn)
    return json.dumps({"PermissionsBoundary": boundary})


def delete_permissions_boundary_from_permission_set(self):
    params = json.loads(self.body)
    ps = _permission_set(self, params)
    if getattr(ps, "accessctl_boundary", None) is None:
        raise ResourceNotFoundException("Could not find PermissionsBoundary for PermissionSet %s" % ps.permission_set_arn)
    ps.accessctl_boundary = None
    return "{}"


def describe_permission_set_provisioning_status(self):
    params = json.loads(self.body)
    return json.dumps({
        "PermissionSetProvisioningStatus": {
            "AccountId": self.current_account,
            "CreatedDate": unix_time(),
            "RequestId": params.get("ProvisionPermissionSetRequestId", str(uuid4())),
            "Status": "SUCCEEDED",
        }
    })


def list_tags_for_resource(self):
    params = json.loads(self.body)
    ps = _permission_set(self, params)
    return json.dumps({"Tags": list(ps.tags or [])})


def tag_resource(self):
    params = json.loads(self.body)
    ps = _permission_set(self, params)
    tags = {t["Key"]: t["Value"] for t in (ps.tags or [])}
    tags.update({t["Key"]: t["Value"] for t in params.get("Tags", [])})
    ps.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    return "{}"


def untag_resource(self):
    params = json.loads(self.body)
    ps = _permission_set(self, params)
    drop = set(params.get("TagKeys", []))
    ps.tags = [t for t in (ps.tags or []) if t["Key"] not in drop]
    return "{}"


ADDED = [
    put_permissions_boundary_to_permission_set,
    get_permissions_boundary_for_permission_set,
    delete_permissions_boundary_from_permission_set,
    describe_permission_set_provisioning_status,
    list_tags_for_resource,
    tag_resource,
    untag_resource,
]


def _find_managed_policy(self, managed_policy_arn):
    """moto's lookup, reading the policy's path from "Path" as moto's policy data has it."""
    if self.aws_managed_policies is None:
        self.aws_managed_policies = json.loads(aws_managed_policies_data)
    name = managed_policy_arn.split("/")[-1]
    policy = self.aws_managed_policies.get(name)
    if policy is not None:
        path = policy.get("Path", policy.get("path", "/"))
        if managed_policy_arn == "arn:%s:iam::aws:policy%s%s" % (self.partition, path, name):
            return sso_models.ManagedPolicy(managed_policy_arn, name)
    raise ResourceNotFoundException("Policy does not exist with ARN: %s" % managed_policy_arn)


def install_additions():
    for fn in ADDED:
        if hasattr(SSOAdminResponse, fn.__name__):
            continue  # a newer moto has it: use moto's own
        setattr(SSOAdminResponse, fn.__name__, fn)
    # Permission sets created before a boundary is set have none.
    sso_models.PermissionSet.accessctl_boundary = None
    sso_models.SSOAdminBackend._find_managed_policy = _find_managed_policy


def main():
    install_additions()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(os.environ.get("ACCESSCTL_MOTO_PORT", "0")), verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(json.dumps({"port": port}), flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())

    def watch_stdin():
        try:
            while sys.stdin.read(4096):
                pass
        finally:
            done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    done.wait()
    server.stop()


if __name__ == "__main__":
    main()
