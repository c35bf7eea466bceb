"""Test peer for standin's package/deploy tests: a recording proxy in front of moto_server, and boto3 look-ups.

  aws_peer.py proxy MOTO_URL LOG_FILE      listen on 127.0.0.1 (port printed on stdout), forward every request to
                                           moto and append one JSON line per request to LOG_FILE
  aws_peer.py setup ENDPOINT BUCKET        create BUCKET and a role Lambda can assume; print the role's ARN
  aws_peer.py objects ENDPOINT BUCKET      the bucket's objects: [{Key, Size, SSE}]
  aws_peer.py zipinfo ENDPOINT BUCKET KEY  the zip object's entries: {sha256b64, entries: [{name, mode, date}]}
  aws_peer.py dirsum PATH                  sam package's folder checksum (the object name it gives a folder)
  aws_peer.py function ENDPOINT NAME       Lambda GetFunction's Configuration
  aws_peer.py resources ENDPOINT STACK     {LogicalResourceId: PhysicalResourceId}
  aws_peer.py template ENDPOINT STACK      GetTemplate's body
  aws_peer.py lambda-simple ENDPOINT       switch moto's Lambda to its Docker-less backend (Invoke echoes the payload)
"""
import base64
import hashlib
import http.client
import http.server
import io
import json
import os
import sys
import threading
import urllib.parse
import zipfile


def client(service, endpoint):
    import boto3
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="AKIDTEST", aws_secret_access_key="secret")


def proxy(moto_url, log_file):
    target = urllib.parse.urlparse(moto_url)
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parsed = urllib.parse.urlparse(self.path)
            try:
                text = body.decode("utf-8")
                recorded = {"body": text if len(text) < 200_000 else text[:200_000]}
            except UnicodeDecodeError:
                recorded = {"bodyBytes": len(body), "bodySHA256": hashlib.sha256(body).hexdigest()}
            entry = {"method": self.command, "path": parsed.path, "query": parsed.query,
                     "headers": {k.lower(): v for k, v in self.headers.items()}, **recorded}
            with lock, open(log_file, "a") as log:
                log.write(json.dumps(entry) + "\n")
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in ("connection", "transfer-encoding", "content-length", "server", "date"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            connection.close()

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


def dirsum(path):
    files = []
    for root, _, names in os.walk(path, followlinks=True):
        files += [os.path.join(root, name) for name in names]
    digest = hashlib.md5()
    for name in sorted(files):
        digest.update(os.path.relpath(name, path).encode())
        digest.update(hashlib.md5(open(name, "rb").read()).hexdigest().encode())
    return digest.hexdigest()


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "proxy":
        proxy(*args)
    elif command == "setup":
        endpoint, bucket = args
        client("s3", endpoint).create_bucket(Bucket=bucket)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                          "Principal": {"Service": "lambda.amazonaws.com"}}]}
        role = client("iam", endpoint).create_role(RoleName="standin-deploy-test", AssumeRolePolicyDocument=json.dumps(trust))
        print(role["Role"]["Arn"])
    elif command == "objects":
        endpoint, bucket = args
        s3 = client("s3", endpoint)
        result = []
        for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []):
            head = s3.head_object(Bucket=bucket, Key=item["Key"])
            result.append({"Key": item["Key"], "Size": item["Size"], "SSE": head.get("ServerSideEncryption")})
        print(json.dumps(result))
    elif command == "zipinfo":
        endpoint, bucket, key = args
        data = client("s3", endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()
        entries = [{"name": info.filename, "mode": (info.external_attr >> 16) & 0o7777, "date": list(info.date_time)}
                   for info in zipfile.ZipFile(io.BytesIO(data)).infolist()]
        print(json.dumps({"sha256b64": base64.b64encode(hashlib.sha256(data).digest()).decode(), "entries": entries}))
    elif command == "dirsum":
        print(dirsum(args[0]))
    elif command == "function":
        endpoint, name = args
        print(json.dumps(client("lambda", endpoint).get_function(FunctionName=name)["Configuration"], default=str))
    elif command == "resources":
        endpoint, stack = args
        resources = client("cloudformation", endpoint).describe_stack_resources(StackName=stack)["StackResources"]
        print(json.dumps({r["LogicalResourceId"]: r.get("PhysicalResourceId") for r in resources if "LogicalResourceId" in r}))
    elif command == "template":
        endpoint, stack = args
        body = client("cloudformation", endpoint).get_template(StackName=stack)["TemplateBody"]
        print(body if isinstance(body, str) else json.dumps(body))
    elif command == "lambda-simple":
        request = urllib.request.Request(args[0] + "/moto-api/config", data=b'{"lambda": {"use_docker": false}}',
                                         headers={"Content-Type": "application/json"}, method="POST")
        urllib.request.urlopen(request).read()
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    import urllib.request
    main(sys.argv)
