import Foundation
import ProjectModel
import TestSupport
import Testing

/// A serverless.yml with `provider` lines `providerExtra` and the given `functions` block.
func serverlessYML(_ functions: String, providerExtra: String = "", top: String = "") -> String {
    """
    service: svc
    provider:
      name: aws
      runtime: python3.12
    \(providerExtra)\(top)functions:
    \(functions)

    """
}

struct ServerlessRoleAndLayerTests {
    static let roleResources = """
        resources:
          Resources:
            WorkerRole:
              Type: AWS::IAM::Role
              Properties:
                RoleName: worker-${sls:stage}
            UnnamedRole:
              Type: AWS::IAM::Role
            Queue:
              Type: AWS::SQS::Queue

        """

    @Test func roleReferencesOfEachKind() throws {
        let functions = """
              arn:
                handler: src/app.handler
                role: arn:aws:iam::123456789012:role/custom
              name:
                handler: src/app.handler
                role: plainRoleName
              getAtt:
                handler: src/app.handler
                role: !GetAtt WorkerRole.Arn
              longForm:
                handler: src/app.handler
                role:
                  Fn::GetAtt: [UnnamedRole, Arn]
              logicalID:
                handler: src/app.handler
                role: WorkerRole
              sub:
                handler: src/app.handler
                role: !Sub "arn:aws:iam::${AWS::AccountId}:role/from-sub"
              plain:
                handler: src/app.handler
            """
        let workspace = try Workspace(serverlessYML(functions) + Self.roleResources, name: "serverless.yml")
        let project = try ProjectLoader.load(
            ProjectLoadOptions(workingDirectory: workspace.directory, region: "us-east-2", stage: "qa")
        )
        func role(_ name: String) -> RoleReference? { project.function(named: name)?.role }
        #expect(role("arn") == .arn("arn:aws:iam::123456789012:role/custom"))
        #expect(role("name") == .name("plainRoleName"))
        #expect(role("getAtt") == .templateRole(logicalID: "WorkerRole", roleName: "worker-qa"))
        #expect(role("longForm") == .templateRole(logicalID: "UnnamedRole", roleName: nil))
        #expect(role("logicalID") == .templateRole(logicalID: "WorkerRole", roleName: "worker-qa"))
        #expect(role("sub") == .arn("arn:aws:iam::123456789012:role/from-sub"))
        #expect(
            role("plain") == .templateRole(logicalID: "IamRoleLambdaExecution", roleName: "svc-qa-us-east-2-lambdaRole")
        )
    }

    @Test(arguments: [
        (
            "  iam:\n    role: arn:aws:iam::123456789012:role/shared\n",
            RoleReference.arn("arn:aws:iam::123456789012:role/shared")
        ),
        ("  iam:\n    role: sharedRole\n", RoleReference.name("sharedRole")),
        ("  role: legacyRole\n", RoleReference.name("legacyRole")),
        ("  iam:\n    role: WorkerRole\n", RoleReference.templateRole(logicalID: "WorkerRole", roleName: "worker-dev")),
        (
            "  iam:\n    role:\n      name: custom-${sls:stage}\n      statements: []\n",
            RoleReference.templateRole(logicalID: "IamRoleLambdaExecution", roleName: "custom-dev")
        ),
    ])
    func providerRoles(providerExtra: String, expected: RoleReference) throws {
        let yaml =
            serverlessYML("  fn:\n    handler: src/app.handler\n", providerExtra: providerExtra) + Self.roleResources
        let project = try Workspace(yaml, name: "serverless.yml").load()
        #expect(project.function(named: "fn")?.role == expected)
    }

    @Test func aRoleThatIsNotARoleIsAnError() throws {
        let yaml =
            serverlessYML("  fn:\n    handler: src/app.handler\n    role: !GetAtt Queue.Arn\n")
            + Self.roleResources
        let error = try #require(try Workspace(yaml, name: "serverless.yml").loadError())
        #expect(error.line == 8)
        #expect(error.path == "functions.fn.role")
        #expect(error.message.contains("AWS::SQS::Queue, not an AWS::IAM::Role"))
    }

    @Test func layersFromTheServiceAndArtifacts() throws {
        let functions = """
              fn:
                handler: src/app.handler
                layers:
                  - !Ref CommonDashlibLambdaLayer
                  - {Ref: ZippedLambdaLayer}
                  - arn:aws:lambda:us-east-1:111111111111:layer:remote:3
              packaged:
                handler: index.handler
                package:
                  artifact: dist/packaged.zip
            """
        let layers = """
            layers:
              common-lib:
                path: layers/common
              zipped:
                package:
                  artifact: layers/zipped.zip

            """
        let workspace = try Workspace(
            serverlessYML(functions, top: layers),
            name: "serverless.yml",
            files: ["layers/common/python/util.py": "x = 1\n", "layers/zipped.zip": "PK", "dist/packaged.zip": "PK"]
        )
        let project = try workspace.load()
        let directory = workspace.directory.standardizedFileURL
        let function = try #require(project.function(named: "fn"))
        #expect(
            function.layers == [
                LayerSpec(
                    logicalID: "CommonDashlibLambdaLayer",
                    code: .directory(directory.appendingPathComponent("layers/common"))
                ),
                LayerSpec(
                    logicalID: "ZippedLambdaLayer",
                    code: .zipFile(directory.appendingPathComponent("layers/zipped.zip"))
                ),
            ]
        )
        #expect(function.remoteLayers == ["arn:aws:lambda:us-east-1:111111111111:layer:remote:3"])
        #expect(
            project.function(named: "packaged")?.code == .zipFile(directory.appendingPathComponent("dist/packaged.zip"))
        )
    }

    @Test func unknownLayerRefIsAnError() throws {
        let yaml = serverlessYML("  fn:\n    handler: src/app.handler\n    layers:\n      - !Ref NopeLambdaLayer\n")
        let error = try #require(try Workspace(yaml, name: "serverless.yml").loadError())
        #expect(error.kind == .unknownReference)
        #expect(error.line == 9)
        #expect(error.column == 9)
        #expect(error.message.contains("not a layer of this service (it has no layers)"))
    }

    @Test func variableEdgeCases() throws {
        let top = """
            custom:
              size: 512
              nested:
                a: ${self:custom.size}
              flag: ${strToBool(true)}
              quoted: ${env:NOPE, "double quoted"}
              chain: ${env:NOPE, ${env:ALSO_NOPE, 'last'}}
              map: ${self:custom.nested}

            """
        let functions = """
              fn:
                handler: src/app.handler
                memorySize: ${self:custom.nested.a}
                environment:
                  QUOTED: ${self:custom.quoted}
                  CHAIN: ${self:custom.chain}
                  FLAG: ${self:custom.flag}
                  MAPPED: ${self:custom.map.a}
                  LITERAL_SUB: '${AWS::Region}'
                  STAGE: ${sls:stage}-${opt:stage, 'none'}
                  FROM_FILE: ${file(./config.yml):db.host}
                  PORT: ${file(./config.yml):db.port}
                  MISSING_FILE: ${file(./nope.yml):x, 'fallback'}
            """
        let workspace = try Workspace(
            serverlessYML(functions, top: top),
            name: "serverless.yml",
            files: ["config.yml": "db:\n  host: db-${sls:stage}.internal\n  port: 5432\n"]
        )
        let function = try #require(try workspace.load().function(named: "fn"))
        #expect(function.memorySize == 512)
        #expect(function.environment["QUOTED"] == "double quoted")
        #expect(function.environment["CHAIN"] == "last")
        #expect(function.environment["FLAG"] == "true")
        #expect(function.environment["MAPPED"] == "512")
        #expect(function.environment["LITERAL_SUB"] == "${AWS::Region}")
        #expect(function.environment["STAGE"] == "dev-none")
        #expect(function.environment["FROM_FILE"] == "db-dev.internal")
        #expect(function.environment["PORT"] == "5432")
        #expect(function.environment["MISSING_FILE"] == "fallback")
    }

    @Test func aVariableCycleIsAnError() throws {
        let top = "custom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\n"
        let yaml = serverlessYML("  fn:\n    handler: src/app.handler\n    description: ${self:custom.a}\n", top: top)
        let error = try #require(try Workspace(yaml, name: "serverless.yml").loadError())
        #expect(error.message.contains("cycle"))
    }
}

struct ServerlessAPITests {
    @Test func authorizersAndPayloadVersions() throws {
        let provider = """
              httpApi:
                payload: 1.0
                cors:
                  allowedOrigins: [https://example.com]
                  allowedMethods: [GET]
                authorizers:
                  lambdaAuth:
                    type: request
                    functionName: auth
                    identitySource: $request.header.X-Token
                    enableSimpleResponses: true
                  jwtAuth:
                    type: jwt
                    identitySource: $request.header.Authorization
                    issuerUrl: https://issuer.example.com
                    audience: [app]

            """
        let functions = """
              auth:
                handler: src/app.handler
              api:
                handler: src/app.handler
                events:
                  - http:
                      path: secure
                      method: post
                      authorizer: auth
                  - http:
                      path: request
                      method: get
                      authorizer:
                        name: auth
                        type: request
                        identitySource: method.request.header.X-Token, method.request.querystring.q
                  - http:
                      path: iam
                      method: get
                      authorizer: aws_iam
                  - httpApi:
                      method: GET
                      path: /lambda
                      authorizer:
                        name: lambdaAuth
                  - httpApi:
                      method: GET
                      path: /jwt
                      authorizer: jwtAuth
            """
        let project = try Workspace(serverlessYML(functions, providerExtra: provider), name: "serverless.yml").load()
        let routes = project.routes
        #expect(routes.map(\.routeKey) == ["POST /secure", "GET /request", "GET /iam", "GET /lambda", "GET /jwt"])
        #expect(
            routes[0].authorizer
                == AuthorizerSpec(
                    name: "auth",
                    functionLogicalID: "auth",
                    type: .token,
                    identitySources: ["method.request.header.Authorization"]
                )
        )
        #expect(
            routes[1].authorizer?.identitySources == [
                "method.request.header.X-Token", "method.request.querystring.q",
            ]
        )
        #expect(routes[1].authorizer?.type == .request)
        #expect(routes[2].authorizer == nil)
        #expect(
            routes[3].authorizer
                == AuthorizerSpec(
                    name: "lambdaAuth",
                    functionLogicalID: "auth",
                    type: .request,
                    identitySources: ["$request.header.X-Token"],
                    payloadFormatVersion: "2.0",
                    enableSimpleResponses: true
                )
        )
        #expect(routes[4].authorizer == nil)
        #expect(routes[3].payloadFormatVersion == "1.0")
        #expect(routes[3].cors?.allowOrigins == ["https://example.com"])
        #expect(routes[3].cors?.allowMethods == ["GET", "OPTIONS"])
    }

    @Test func unknownAuthorizerFunctionIsAnError() throws {
        let functions = """
              api:
                handler: src/app.handler
                events:
                  - http:
                      path: x
                      method: get
                      authorizer: nope
            """
        let error = try #require(try Workspace(serverlessYML(functions), name: "serverless.yml").loadError())
        #expect(error.kind == .unknownReference)
        #expect(error.line == 10)
        #expect(error.message == "authorizer \"nope\" is not a function of this service")
    }

    @Test func serviceMapLegacyStatementsAndRegionFromOptions() throws {
        let yaml = """
            service:
              name: legacy
            provider:
              name: aws
              runtime: nodejs22.x
              iamRoleStatements:
                - Effect: Allow
                  Action: s3:GetObject
                  Resource: '*'
              environment:
                REGION: ${aws:region}
                OPT_REGION: ${opt:region}
            functions:
              fn:
                handler: index.handler

            """
        let workspace = try Workspace(yaml, name: "serverless.yml")
        // `--region ap-southeast-2`: ${opt:region} and the region; without --region, ${opt:region} is an error.
        let project = try workspace.load(region: "ap-southeast-2", regionOption: "ap-southeast-2")
        #expect(workspace.loadError()?.message.contains("--region was not given") == true)
        let function = try #require(project.function(named: "legacy-dev-fn"))
        #expect(project.serviceName == "legacy")
        #expect(function.environment == ["REGION": "ap-southeast-2", "OPT_REGION": "ap-southeast-2"])
        #expect(function.policies?.arrayValue?.first?["Action"] == .string("s3:GetObject"))
        #expect(function.memorySize == 1024)
        #expect(function.timeout == 6)
        #expect(
            function.role
                == .templateRole(logicalID: "IamRoleLambdaExecution", roleName: "legacy-dev-ap-southeast-2-lambdaRole")
        )
    }

    @Test func otherProvidersAreNotSupported() throws {
        let yaml = "service: x\nprovider:\n  name: google\nfunctions: {}\n"
        let error = try #require(try Workspace(yaml, name: "serverless.yml").loadError())
        #expect(error.kind == .unsupported)
        #expect(error.description.hasPrefix("serverless.yml:3:9: provider.name: provider google is not supported"))
    }
}
