package com.amazonaws.services.lambda.runtime;

/**
 * The invoke's context, with the method signatures of aws-lambda-java-core's interface (a minimal stand-in for the
 * test fixture).
 */
public interface Context {
    String getAwsRequestId();

    String getLogGroupName();

    String getLogStreamName();

    String getFunctionName();

    String getFunctionVersion();

    String getInvokedFunctionArn();

    CognitoIdentity getIdentity();

    ClientContext getClientContext();

    int getRemainingTimeInMillis();

    int getMemoryLimitInMB();

    LambdaLogger getLogger();
}
