"""Creates the IAM world of the role tests in a running moto_server, then turns IAM enforcement on.

Usage: moto_setup.py ENDPOINT
Prints a JSON object with the access keys and ARNs it created.
"""
import json
import sys
import urllib.request

import boto3

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1",
          aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
iam = boto3.client("iam", **kw)
sqs = boto3.client("sqs", **kw)
account = "123456789012"

allowed_queue = sqs.create_queue(QueueName="allowed-queue")["QueueUrl"]
other_queue = sqs.create_queue(QueueName="other-queue")["QueueUrl"]
allowed_arn = f"arn:aws:sqs:us-east-1:{account}:allowed-queue"


def user(name, policy):
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return arn, key["AccessKeyId"], key["SecretAccessKey"]


# The developer: may assume roles and ask who they are, nothing else.
dev_arn, dev_key, dev_secret = user("developer", {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:GetCallerIdentity",
                                                  "cloudformation:DescribeStackResource"], "Resource": "*"}]})
# Somebody else, the only principal the untrusted role trusts.
other_arn, _, _ = user("someone-else", {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]})


def role(name, trusted_arn, policy):
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": trusted_arn}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    return arn


# The developer's own working role (reached through a role_arn + source_profile profile).
developer_role = role("developer-role", dev_arn, {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sts:AssumeRole", "sts:GetCallerIdentity",
                                   "cloudformation:DescribeStackResource"], "Resource": "*"}]})
# The function's execution role: may send to one queue, and nothing else. IAM accepts the role ARN as the
# principal for all its sessions; moto matches principals literally, so the developer's session is named too.
developer_session = f"arn:aws:sts::{account}:assumed-role/developer-role/dev-session"
function_role = role("sender-function-role", [developer_role, developer_session], {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": allowed_arn},
    {"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}]})
untrusted_role = role("untrusted-role", other_arn, {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]})

urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=b"0", method="POST",
                                              headers={"Content-Type": "text/plain"})).read()

print(json.dumps({
    "developerKey": dev_key, "developerSecret": dev_secret, "developerArn": dev_arn,
    "developerRole": developer_role, "functionRole": function_role, "untrustedRole": untrusted_role,
    "allowedQueue": allowed_queue, "otherQueue": other_queue,
}))
