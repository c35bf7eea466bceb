import ArgumentParser
import StandinKit

@main
struct Standin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "standin",
        abstract: "Run AWS Lambda functions locally, from your SAM template or serverless.yml, under their own IAM role.",
        version: "0.1.0",
        subcommands: [
            Invoke.self, ListFunctions.self, GenerateEvent.self, Whoami.self, Env.self, Exec.self, Init.self, StartAPI.self, StartLambda.self,
        ]
    )
}
