package com.amazonaws.services.lambda.runtime;

/** The mobile client application, as in aws-lambda-java-core. */
public interface Client {
    String getInstallationId();

    String getAppTitle();

    String getAppVersionName();

    String getAppVersionCode();

    String getAppPackageName();
}
