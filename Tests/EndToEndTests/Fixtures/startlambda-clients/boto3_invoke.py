"""Calls Lambda's Invoke API with boto3, as an application would, and prints what boto3 returned as JSON.

usage: python boto3_invoke.py ENDPOINT CALLS.json [parallel]

CALLS.json is a list of Invoke parameters (FunctionName, Payload, PayloadFile, InvocationType, LogType,
ClientContext, Qualifier). Each result is either the response (StatusCode, FunctionError, LogResult,
ExecutedVersion, Payload as text) or {"Error": {"Code", "Message"}, "HTTPStatusCode"} for a ClientError.
With "parallel", the calls are sent at the same time, each from its own thread and client.
"""
import json
import sys
import threading

import boto3
import botocore.config
import botocore.exceptions


def make_client(endpoint):
    config = botocore.config.Config(
        retries={"total_max_attempts": 1}, read_timeout=60, connect_timeout=10,
        region_name="us-east-1")
    return boto3.client(
        "lambda", endpoint_url=endpoint, config=config,
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")


def invoke(client, call):
    params = {k: v for k, v in call.items() if k != "PayloadFile"}
    if "PayloadFile" in call:
        with open(call["PayloadFile"], "rb") as f:
            params["Payload"] = f.read()
    try:
        response = client.invoke(**params)
    except botocore.exceptions.ClientError as error:
        return {
            "Error": error.response.get("Error", {}),
            "HTTPStatusCode": error.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
        }
    result = {k: response[k] for k in ("StatusCode", "FunctionError", "LogResult", "ExecutedVersion") if k in response}
    result["Payload"] = response["Payload"].read().decode("utf-8")
    return result


def main():
    endpoint, calls_file = sys.argv[1], sys.argv[2]
    with open(calls_file) as f:
        calls = json.load(f)
    results = [None] * len(calls)
    if len(sys.argv) > 3 and sys.argv[3] == "parallel":
        # Clients are made first and the calls released together, so that they overlap at the server.
        clients = [make_client(endpoint) for _ in calls]
        barrier = threading.Barrier(len(calls))

        def run(index):
            barrier.wait()
            results[index] = invoke(clients[index], calls[index])
        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        client = make_client(endpoint)
        results = [invoke(client, call) for call in calls]
    json.dump(results, sys.stdout)


main()
