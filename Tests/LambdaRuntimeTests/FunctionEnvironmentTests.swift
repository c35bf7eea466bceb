import Foundation
import Testing

@testable import LambdaRuntime

struct FunctionEnvironmentTests {
    let code = URL(fileURLWithPath: "/work/app")
    let cache = URL(fileURLWithPath: "/tmp/cache")

    func configuration(runtime: String, layers: [URL] = []) -> FunctionConfiguration {
        FunctionConfiguration(
            name: "hello", runtime: runtime, handler: "app.handler", codeDirectory: code, layerDirectories: layers,
            timeout: .seconds(7), memorySize: 256, region: "eu-west-1", accountID: "111122223333",
            environment: ["TABLE": "t1", "AWS_REGION": "us-east-1", "AWS_LAMBDA_RUNTIME_API": "evil:1", "LANG": "C"],
            credentials: FunctionCredentials(accessKeyID: "ASIA1", secretAccessKey: "s3cr3t", sessionToken: "tok"),
            hostPath: "/usr/bin:/bin", hostEnvironment: ["HOME": "/home/dev", "SECRET_HOST_VAR": "x"],
            cacheDirectory: cache)
    }

    @Test func reservedVariablesAreSetAndWin() throws {
        let env = FunctionEnvironment.build(
            configuration(runtime: "python3.12"), runtimeAPI: "127.0.0.1:9001", logStreamName: "s")
        #expect(env["_HANDLER"] == "app.handler")
        #expect(env["AWS_REGION"] == "eu-west-1")
        #expect(env["AWS_DEFAULT_REGION"] == "eu-west-1")
        #expect(env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12")
        #expect(env["AWS_LAMBDA_FUNCTION_NAME"] == "hello")
        #expect(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256")
        #expect(env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST")
        #expect(env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand")
        #expect(env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/hello")
        #expect(env["AWS_LAMBDA_LOG_STREAM_NAME"] == "s")
        #expect(env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:9001")
        #expect(env["LAMBDA_TASK_ROOT"] == "/work/app")
        #expect(env["LAMBDA_RUNTIME_DIR"] == "/tmp/cache/runtime-clients/\(RuntimeClients.version)")
        #expect(env["TZ"] == ":UTC")
        #expect(env["AWS_LAMBDA_FUNCTION_TIMEOUT"] == "7")
        #expect(env["AWS_XRAY_CONTEXT_MISSING"] == "LOG_ERROR")
        #expect(env["AWS_SAM_LOCAL"] == "true")
        #expect(env["IS_LOCAL"] == "true")
        #expect(env["AWS_ACCESS_KEY_ID"] == "ASIA1")
        #expect(env["AWS_ACCESS_KEY"] == "ASIA1")
        #expect(env["AWS_SECRET_ACCESS_KEY"] == "s3cr3t")
        #expect(env["AWS_SESSION_TOKEN"] == "tok")
        #expect(env["PATH"] == "/usr/bin:/bin")
        #expect(env["HOME"] == "/home/dev")
        #expect(env["TABLE"] == "t1")
        #expect(env["LANG"] == "C")
        #expect(env["SECRET_HOST_VAR"] == nil)
        #expect(env["PYTHONPATH"] == nil)
    }

    @Test func providedRuntimesHaveNoExecutionEnv() {
        let env = FunctionEnvironment.build(configuration(runtime: "provided.al2023"), runtimeAPI: "127.0.0.1:1")
        #expect(env["AWS_EXECUTION_ENV"] == nil)
        #expect(env["LANG"] == "C")
    }

    @Test func layersExtendSearchPaths() {
        let layers = [URL(fileURLWithPath: "/l1"), URL(fileURLWithPath: "/l2")]
        let python = FunctionEnvironment.build(
            configuration(runtime: "python3.12", layers: layers), runtimeAPI: "127.0.0.1:1")
        #expect(python["PATH"] == "/l1/bin:/l2/bin:/usr/bin:/bin")
        #expect(
            python["PYTHONPATH"]
                == "/l1/python/lib/python3.12/site-packages:/l1/python:"
                + "/l2/python/lib/python3.12/site-packages:/l2/python"
        )
        #expect(python["LD_LIBRARY_PATH"] == "/work/app/lib:/l1/lib:/l2/lib")
        let node = FunctionEnvironment.build(
            configuration(runtime: "nodejs20.x", layers: layers), runtimeAPI: "127.0.0.1:1")
        #expect(
            node["NODE_PATH"]
                == "/l1/nodejs/node20/node_modules:/l1/nodejs/node_modules:"
                + "/l2/nodejs/node20/node_modules:/l2/nodejs/node_modules"
        )
        #expect(node["AWS_EXECUTION_ENV"] == "AWS_Lambda_nodejs20.x")
    }

    @Test func logStreamNameHasLambdasShape() {
        let name = FunctionEnvironment.makeLogStreamName(date: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(name.wholeMatch(of: /2023\/11\/14\/\[\$LATEST\][0-9a-f]{32}/) != nil)
    }
}
