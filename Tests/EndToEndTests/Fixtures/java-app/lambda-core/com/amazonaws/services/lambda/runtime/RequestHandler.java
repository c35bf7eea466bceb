package com.amazonaws.services.lambda.runtime;

/** A handler taking an event of type I and returning a result of type O, as in aws-lambda-java-core. */
public interface RequestHandler<I, O> {
    O handleRequest(I input, Context context);
}
