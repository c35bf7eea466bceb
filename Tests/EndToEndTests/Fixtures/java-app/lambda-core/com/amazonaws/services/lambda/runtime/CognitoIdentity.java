package com.amazonaws.services.lambda.runtime;

/** The caller's Amazon Cognito identity, as in aws-lambda-java-core. */
public interface CognitoIdentity {
    String getIdentityId();

    String getIdentityPoolId();
}
