# Creates, in a running moto_server, what the AWSAuth integration tests need, and prints it as JSON:
# a trusted user and an untrusted user (each with an access key and a policy allowing sts/cloudformation calls),
# a role whose trust policy names only the trusted user, and a CloudFormation stack holding an IAM role.
import json
import sys

import boto3

endpoint = sys.argv[1]
common = dict(endpoint_url=endpoint, region_name="us-east-1",
              aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="setup-secret")
iam = boto3.client("iam", **common)
cfn = boto3.client("cloudformation", **common)

caller_policy = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["sts:*", "cloudformation:*", "iam:Get*"], "Resource": "*"}]})
out = {}
for name in ("trusted", "untrusted"):
    user = iam.create_user(UserName=name)["User"]
    iam.put_user_policy(UserName=name, PolicyName="caller", PolicyDocument=caller_policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    out[name] = {"arn": user["Arn"], "accessKeyID": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}

trust = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": out["trusted"]["arn"]}, "Action": "sts:AssumeRole"}]})
role = iam.create_role(RoleName="standin-fn-role", AssumeRolePolicyDocument=trust)["Role"]
out["roleARN"] = role["Arn"]

template = {"Resources": {"FnRole": {"Type": "AWS::IAM::Role", "Properties": {
    "RoleName": "deployed-fn-role",
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}}}
cfn.create_stack(StackName="standin-stack", TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_NAMED_IAM"])
out["stackName"] = "standin-stack"
print(json.dumps(out))
