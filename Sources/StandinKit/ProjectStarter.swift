import Foundation

/// `standin init`: a small working project (template, handler, event, README) for one runtime.
public enum ProjectStarter {
    /// The runtimes there are starters for.
    public static let runtimes = ["python3.12", "nodejs20.x", "provided.al2023"]

    /// Writes the starter for `runtime` into `outputDirectory/name`.
    /// - Returns: the project folder.
    /// - Throws: `StandinError` for an unknown runtime, a bad name, or a folder that exists and is not empty.
    @discardableResult
    public static func create(runtime: String, name: String, outputDirectory: URL) throws(StandinError) -> URL {
        guard let family = family(of: runtime) else {
            throw .usage("--runtime \(runtime): no starter; choose one of \(runtimes.joined(separator: ", "))")
        }
        guard !name.isEmpty, !name.hasPrefix("."),
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else {
            throw .usage("--name \(name): use letters, digits, -, _ and . (not first)")
        }
        let root = outputDirectory.appendingPathComponent(name)
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root.path), !existing.isEmpty {
            throw .usage("\(root.path) already exists and is not empty")
        }
        let logicalID = "HelloFunction"
        var files: [(String, String, Bool)] = [
            ("template.yaml", template(runtime: runtime, family: family, logicalID: logicalID), false),
            ("events/event.json", event, false),
            ("README.md", readme(name: name, runtime: runtime, logicalID: logicalID), false),
        ]
        switch family {
        case .python: files.append(("hello_world/app.py", pythonHandler, false))
        case .node: files.append(("hello_world/app.mjs", nodeHandler, false))
        case .provided: files.append(("hello_world/bootstrap", shellBootstrap, true))
        }
        do {
            for (path, text, executable) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
                if executable {
                    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
                }
            }
        } catch {
            throw .failure("cannot write the project in \(root.path): \(error.localizedDescription)")
        }
        return root
    }

    enum Family { case python, node, provided }

    static func family(of runtime: String) -> Family? {
        if runtime.hasPrefix("python3.") { return .python }
        if runtime.hasPrefix("nodejs") { return .node }
        if runtime == "provided.al2023" || runtime == "provided.al2" || runtime == "provided" { return .provided }
        return nil
    }

    static func template(runtime: String, family: Family, logicalID: String) -> String {
        let handler =
            switch family {
            case .python: "app.lambda_handler"
            case .node: "app.handler"
            case .provided: "bootstrap"
            }
        return """
            AWSTemplateFormatVersion: "2010-09-09"
            Transform: AWS::Serverless-2016-10-31
            Description: A starter made by standin init.

            Globals:
              Function:
                Timeout: 10
                MemorySize: 128

            Resources:
              \(logicalID):
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: hello_world/
                  Handler: \(handler)
                  Runtime: \(runtime)
                  Architectures:
                    - x86_64
                  Environment:
                    Variables:
                      GREETING: Hello
                  Events:
                    HelloWorld:
                      Type: Api
                      Properties:
                        Path: /hello
                        Method: get

            Outputs:
              HelloWorldApi:
                Description: The API endpoint of the Prod stage
                Value: !Sub "https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/hello/"

            """
    }

    static let event = """
        {
          "httpMethod": "GET",
          "path": "/hello",
          "resource": "/hello",
          "headers": {"Accept": "application/json"},
          "queryStringParameters": {"name": "standin"},
          "body": null,
          "isBase64Encoded": false
        }

        """

    static let pythonHandler = """
        import json
        import os


        def lambda_handler(event, context):
            name = (event.get("queryStringParameters") or {}).get("name", "world")
            return {
                "statusCode": 200,
                "headers": {"Content-Type": "application/json"},
                "body": json.dumps({"message": f"{os.environ['GREETING']}, {name}!"}),
            }

        """

    static let nodeHandler = """
        export const handler = async (event) => {
          const name = event.queryStringParameters?.name ?? "world";
          return {
            statusCode: 200,
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ message: `${process.env.GREETING}, ${name}!` }),
          };
        };

        """

    static let shellBootstrap = """
        #!/bin/sh
        # A custom runtime: the Lambda Runtime API loop in shell (needs curl). Replace it with your compiled
        # program (Swift, Go, Rust) named `bootstrap`.
        set -eu
        API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
        HEADERS="$(mktemp)"
        trap 'rm -f "$HEADERS"' EXIT
        while true; do
          EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
          REQUEST_ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '\\r' | cut -d' ' -f2)
          # The starter event's ?name=..., else "world".
          NAME=$(printf '%s' "$EVENT" | tr -d '\\n' |
            sed -n 's/.*"queryStringParameters": *{[^}]*"name": *"\\([^"]*\\)".*/\\1/p')
          BODY="{\\\\\\"message\\\\\\":\\\\\\"${GREETING}, ${NAME:-world}!\\\\\\"}"
          printf '{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"%s"}' "$BODY" |
            curl -sS -o /dev/null -X POST --data-binary @- "$API/invocation/$REQUEST_ID/response"
        done

        """

    static func readme(name: String, runtime: String, logicalID: String) -> String {
        """
        # \(name)

        A \(runtime) function made by `standin init`.

        ```sh
        standin invoke \(logicalID) -e events/event.json   # one invocation
        standin start-api                                   # then: curl http://127.0.0.1:3000/hello
        ```

        Deploy it with the SAM CLI (`sam deploy --guided`): standin reads the same template.

        """
    }
}
