import Foundation
import ProjectModel
import TestSupport
import Testing

/// Loads the `serverless-app` fixture with a stage and environment.
func loadServerlessApp(stage: String? = nil, environment: [String: String] = [:]) throws -> Project {
    try ProjectLoader.load(
        ProjectLoadOptions(
            workingDirectory: TestPaths.fixture("ProjectModelTests", "serverless-app"),
            accountID: "111122223333",
            stage: stage,
            environment: environment
        )
    )
}

struct ServerlessLoaderTests {
    @Test func functionsGetTheFrameworksNamesAndProviderSettings() throws {
        let project = try loadServerlessApp()
        let directory = TestPaths.fixture("ProjectModelTests", "serverless-app").standardizedFileURL
        #expect(project.format == .serverless)
        #expect(project.serviceName == "shop")
        #expect(project.stage == "dev")
        #expect(project.region == "eu-west-1")
        #expect(project.functions.map(\.logicalID) == ["hello", "create"])
        let hello = try #require(project.function(named: "hello"))
        #expect(hello.functionName == "shop-dev-hello")
        #expect(project.function(named: "shop-dev-hello")?.logicalID == "hello")
        #expect(hello.runtime == "python3.12")
        #expect(hello.handler == "handler.hello")
        #expect(hello.code == .directory(directory))
        #expect(hello.memorySize == 256)
        #expect(hello.timeout == 10)
        #expect(hello.architectures == ["x86_64"])
        #expect(hello.location.file == "serverless.yml")
        #expect(hello.location.line == 51)

        let create = try #require(project.function(named: "create"))
        #expect(create.functionName == "shop-create-dev")
        #expect(create.runtime == "nodejs20.x")
        #expect(create.handler == "src/orders.create")
        #expect(create.code == .directory(directory))
        #expect(create.memorySize == 512)
        #expect(create.timeout == 20)
    }

    @Test func variablesOfEveryKindResolve() throws {
        let project = try loadServerlessApp(environment: ["LOG_LEVEL": "trace"])
        let environment = try #require(project.function(named: "hello")).environment
        #expect(environment["TABLE"] == "shop-dev-orders")
        #expect(environment["STAGE_TABLE"] == "dev-table")
        #expect(environment["API_KEY"] == "no-key")
        #expect(environment["LOG_LEVEL"] == "trace")
        #expect(environment["RETRIES"] == "3")
        #expect(environment["REGION"] == "eu-west-1")
        #expect(environment["ACCOUNT"] == "111122223333")
        #expect(environment["OWNER"] == "team-orders")
        #expect(environment["QUEUE_URL"] == "https://sqs.eu-west-1.amazonaws.com/111122223333/shop-dev-orders-queue")
        #expect(environment["QUEUE_ARN"] == "arn:aws:sqs:eu-west-1:111122223333:shop-dev-orders-queue")
        #expect(environment["SUB"] == "eu-west-1:shop")
        let instance = try #require(environment["INSTANCE"])
        #expect(!instance.isEmpty && !instance.contains("$"))
        // The function's own environment wins over the provider's.
        #expect(try #require(project.function(named: "create")).environment["TABLE"] == "override")
        #expect(try #require(project.function(named: "create")).environment["REGION"] == "eu-west-1")
    }

    @Test func fallbacksUseFileValuesAndEnvironment() throws {
        let withoutEnvironment = try loadServerlessApp()
        let environment = try #require(withoutEnvironment.function(named: "hello")).environment
        // ${env:LOG_LEVEL, ${self:custom.settings.logLevel}}: from config/dev.yml through file().
        #expect(environment["LOG_LEVEL"] == "debug")
        let withKey = try loadServerlessApp(environment: ["API_KEY": "k-123", "RETRIES": "5"])
        let keyed = try #require(withKey.function(named: "hello")).environment
        #expect(keyed["API_KEY"] == "k-123")
        #expect(keyed["RETRIES"] == "5")
    }

    @Test func stageChangesNamesAndResolvedValues() throws {
        let project = try loadServerlessApp(stage: "prod")
        let hello = try #require(project.function(named: "hello"))
        #expect(hello.functionName == "shop-prod-hello")
        #expect(hello.memorySize == 2048)
        #expect(hello.environment["TABLE"] == "shop-prod-orders")
        #expect(hello.environment["STAGE_TABLE"] == "prod-table")
        #expect(hello.environment["LOG_LEVEL"] == "warning")
        #expect(hello.environment["QUEUE_URL"]?.hasSuffix("/shop-prod-orders-queue") == true)
        let create = try #require(project.function(named: "create"))
        #expect(create.functionName == "shop-create-prod")
        #expect(create.timeout == 30)
        #expect(project.routes.first { $0.kind == .rest }?.stageName == "prod")
        #expect(project.function(named: "shop-prod-create") == nil)
        #expect(project.function(named: "shop-create-prod")?.logicalID == "create")
    }

    @Test func httpAndHTTPAPIEventsBecomeRoutes() throws {
        let project = try loadServerlessApp()
        let routes = project.routes
        #expect(routes.map(\.routeKey) == ["GET /hello", "ANY /orders/{id}", "POST /orders", "$default"])
        let rest = routes[0]
        #expect(rest.kind == .rest)
        #expect(rest.payloadFormatVersion == "1.0")
        #expect(rest.functionLogicalID == "hello")
        #expect(rest.apiLogicalID == "ApiGatewayRestApi")
        #expect(rest.stageName == "dev")
        #expect(rest.cors == nil)
        #expect(rest.binaryMediaTypes == ["image/png"])
        let cors = try #require(routes[1].cors)
        #expect(cors.allowOrigins == ["*"])
        #expect(cors.allowMethods == ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"])
        #expect(cors.allowHeaders.contains("X-Amz-Date"))
        let http = routes[2]
        #expect(http.kind == .http)
        #expect(http.payloadFormatVersion == "2.0")
        #expect(http.functionLogicalID == "create")
        #expect(http.apiLogicalID == "HttpApi")
        #expect(http.stageName == "$default")
        #expect(http.cors?.allowOrigins == ["*"])
        #expect(routes[3].method == "ANY")
    }

    @Test func otherEventsAreKeptWithTypeNames() throws {
        let create = try #require(try loadServerlessApp().function(named: "create"))
        #expect(create.events.map(\.type) == ["HttpApi", "HttpApi", "SQS", "Schedule", "DynamoDB"])
        #expect(create.events.map(\.name) == ["httpApi[0]", "httpApi[1]", "sqs[2]", "schedule[3]", "stream[4]"])
        #expect(create.events[2].properties == .object(["arn": .string("arn:aws:sqs:eu-west-1:123456789012:jobs")]))
        #expect(create.events[3].properties["rate"] == .string("rate(5 minutes)"))
        #expect(
            create.events[4].properties["arn"]
                == .string(
                    "arn:aws:dynamodb:eu-west-1:111122223333:table/shop-dev-orders/stream/1970-01-01T00:00:00.000"
                )
        )
    }

    @Test func iamStatementsAndDefaultRole() throws {
        let hello = try #require(try loadServerlessApp().function(named: "hello"))
        #expect(
            hello.role == .templateRole(logicalID: "IamRoleLambdaExecution", roleName: "shop-dev-eu-west-1-lambdaRole")
        )
        let statement = try #require(hello.policies?.arrayValue?.first)
        #expect(statement["Resource"] == .string("arn:aws:sqs:eu-west-1:111122223333:shop-dev-orders-queue"))
        #expect(statement["Action"] == .array([.string("sqs:SendMessage")]))
    }

    /// A variable that cannot be resolved makes the function that needs it unavailable, with the located reason.
    @Test func unresolvableVariableNamesTheLineAndField() throws {
        let options = ProjectLoadOptions(workingDirectory: TestPaths.fixture("ProjectModelTests", "serverless-broken"))
        let project = try ProjectLoader.load(options)
        #expect(!project.functions.isEmpty)
        #expect {
            if let reason = project.functions.first?.unavailableReason { throw reason }
        } throws: { error in
            guard let error = error as? ProjectError else { return false }
            return error.kind == .unknownReference && error.line == 8 && error.column == 10
                && error.path == "provider.environment.BAD"
                && error.description
                    == "serverless.yml:8:10: provider.environment.BAD: cannot resolve variable ${self:custom.missing}:"
                    + " no value at \"custom.missing\" in serverless.yml"
        }
    }

    @Test func samTemplateWinsOverServerlessYML() throws {
        let workspace = try Workspace(
            oneFunction(""),
            files: ["serverless.yml": "service: x\nprovider:\n  name: aws\n"]
        )
        #expect(try workspace.load().format == .sam)
        #expect(try workspace.load(templatePath: "serverless.yml").format == .serverless)
    }

    @Test func functionsAndProviderFromFiles() throws {
        let workspace = try Workspace(
            "service: split\nprovider: ${file(./provider.yml)}\nfunctions: ${file(./functions.yml)}\n",
            name: "serverless.yml",
            files: [
                "provider.yml": "name: aws\nruntime: python3.13\nenvironment:\n  STAGE: ${sls:stage}\n",
                "functions.yml": "one:\n  handler: src/app.handler\ntwo:\n  handler: src/app.handler\n  name: custom\n",
            ]
        )
        let project = try workspace.load()
        #expect(project.functions.map(\.functionName) == ["split-dev-one", "custom"])
        #expect(project.functions.map(\.runtime) == ["python3.13", "python3.13"])
        #expect(project.functions[0].environment == ["STAGE": "dev"])
        #expect(project.functions[1].location.file == "functions.yml")
    }
}
