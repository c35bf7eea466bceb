# A stand-in for the container credential endpoint and EC2 instance metadata (IMDSv2) on 127.0.0.1.
# Prints its port, then serves until stdin closes.
#   GET /creds                  needs "Authorization: container-token"
#   PUT /latest/api/token       needs "X-aws-ec2-metadata-token-ttl-seconds"; answers "imds-token"
#   GET /latest/meta-data/iam/security-credentials/[role]   needs "X-aws-ec2-metadata-token: imds-token"
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

CREDS = {"Code": "Success", "AccessKeyId": "ASIAMETADATA", "SecretAccessKey": "metadata-secret",
         "Token": "metadata-token", "Expiration": "2030-01-01T00:00:00Z"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body, kind="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            self.answer(200, "imds-token")
        else:
            self.answer(400, "bad token request")

    def do_GET(self):
        if self.path == "/creds":
            if self.headers.get("Authorization") == "container-token":
                self.answer(200, json.dumps(dict(CREDS, AccessKeyId="ASIACONTAINER")), "application/json")
            else:
                self.answer(401, "missing authorization")
            return
        if self.headers.get("X-aws-ec2-metadata-token") != "imds-token":
            self.answer(401, "")
        elif self.path == "/latest/meta-data/iam/security-credentials/":
            self.answer(200, "instance-role")
        elif self.path == "/latest/meta-data/iam/security-credentials/instance-role":
            self.answer(200, json.dumps(CREDS), "application/json")
        else:
            self.answer(404, "")

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
