import Foundation
import ProjectModel
import Testing

@testable import StandinKit

@Suite("which role a function runs under, from each source")
struct RoleSelectionTests {
    static let arn = "arn:aws:iam::123456789012:role/from-template"

    func function(_ role: RoleReference?, name: String = "Orders", deployedName: String? = nil) -> FunctionSpec {
        FunctionSpec(
            logicalID: name, functionName: deployedName, runtime: "python3.12", handler: "app.handler",
            code: .directory(URL(fileURLWithPath: "/tmp")), role: role,
            location: SourceLocation(file: "template.yaml", line: 3, column: 3))
    }

    @Test("--role Function=ARN beats --role ARN beats the template")
    func flagsFirst() throws {
        let flags = try RoleFlags([
            "arn:aws:iam::123456789012:role/all", "Orders=arn:aws:iam::123456789012:role/orders",
        ])
        #expect(
            RoleTarget.select(for: function(.arn(Self.arn)), flags: flags, stackName: nil)
                == .arn("arn:aws:iam::123456789012:role/orders", source: "--role"))
        #expect(
            RoleTarget.select(for: function(.arn(Self.arn), name: "Billing"), flags: flags, stackName: nil)
                == .arn("arn:aws:iam::123456789012:role/all", source: "--role"))
        // A per-function flag also matches the deployed FunctionName.
        let byName = try RoleFlags(["orders-prod=arn:aws:iam::123456789012:role/p"])
        #expect(
            RoleTarget.select(for: function(nil, deployedName: "orders-prod"), flags: byName, stackName: nil)
                == .arn("arn:aws:iam::123456789012:role/p", source: "--role"))
    }

    @Test("the template's Role: an ARN, a role of the template by RoleName or through the stack")
    func templateRoles() throws {
        let none = try RoleFlags([])
        #expect(
            RoleTarget.select(for: function(.arn(Self.arn)), flags: none, stackName: nil)
                == .arn(Self.arn, source: "template Role"))
        #expect(
            RoleTarget.select(
                for: function(.templateRole(logicalID: "OrdersRole", roleName: "orders-role")), flags: none,
                stackName: nil)
                == .name("orders-role", source: "template role OrdersRole"))
        #expect(
            RoleTarget.select(
                for: function(.templateRole(logicalID: "OrdersRole", roleName: nil)), flags: none, stackName: "app")
                == .stackResource(logicalID: "OrdersRole", stackName: "app", source: "template role OrdersRole"))
        guard
            case .none(let reason) = RoleTarget.select(
                for: function(.templateRole(logicalID: "OrdersRole", roleName: nil)), flags: none, stackName: nil)
        else {
            Issue.record("a CloudFormation-named role without --stack-name has no target")
            return
        }
        #expect(reason.contains("--stack-name"))
    }

    @Test("SAM's generated role is <Function>Role in the deployed stack; without a stack, none and why")
    func implicitRole() throws {
        let none = try RoleFlags([])
        #expect(
            RoleTarget.select(for: function(.implicitSAMRole(logicalID: "Orders")), flags: none, stackName: "app")
                == .stackResource(logicalID: "OrdersRole", stackName: "app", source: "SAM's generated role OrdersRole"))
        guard
            case .none(let reason) = RoleTarget.select(
                for: function(.implicitSAMRole(logicalID: "Orders")), flags: none, stackName: nil)
        else {
            Issue.record("no stack: no target")
            return
        }
        #expect(reason == "Orders has no Role; give it one with --role ARN, a Role in the template, "
            + "or --stack-name to use the role of the deployed stack")
    }

    @Test("serverless.yml role names become ARNs in the caller's account")
    func serverlessNames() throws {
        #expect(
            RoleTarget.select(for: function(.name("svc-dev-lambdaRole")), flags: try RoleFlags([]), stackName: nil)
                == .name("svc-dev-lambdaRole", source: "role name in the template"))
    }

    @Test("bad --role values are refused", arguments: [
        ["not-an-arn"], ["Fn=not-an-arn"],
        ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"],
    ])
    func badFlags(values: [String]) {
        #expect(throws: StandinError.self) { try RoleFlags(values) }
    }

    @Test("ARN helpers: partition and account")
    func arnParts() {
        #expect(partition(of: "arn:aws-cn:iam::123456789012:role/x") == "aws-cn")
        #expect(accountID(of: "arn:aws:iam::210987654321:role/x") == "210987654321")
        #expect(accountID(of: "not an arn") == nil)
    }
}
