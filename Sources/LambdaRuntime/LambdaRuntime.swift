// LambdaRuntime module.
