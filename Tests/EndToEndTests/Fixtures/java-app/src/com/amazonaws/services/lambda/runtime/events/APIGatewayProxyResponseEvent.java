package com.amazonaws.services.lambda.runtime.events;

import java.util.List;
import java.util.Map;

/** A stand-in for aws-lambda-java-events' APIGatewayProxyResponseEvent, with the same properties. */
public class APIGatewayProxyResponseEvent {
    private Integer statusCode;
    private Map<String, String> headers;
    private Map<String, List<String>> multiValueHeaders;
    private String body;
    private Boolean isBase64Encoded;

    public APIGatewayProxyResponseEvent() {}

    public Integer getStatusCode() { return statusCode; }
    public void setStatusCode(Integer statusCode) { this.statusCode = statusCode; }
    public Map<String, String> getHeaders() { return headers; }
    public void setHeaders(Map<String, String> headers) { this.headers = headers; }
    public Map<String, List<String>> getMultiValueHeaders() { return multiValueHeaders; }
    public void setMultiValueHeaders(Map<String, List<String>> multiValueHeaders) { this.multiValueHeaders = multiValueHeaders; }
    public String getBody() { return body; }
    public void setBody(String body) { this.body = body; }
    public Boolean getIsBase64Encoded() { return isBase64Encoded; }
    public void setIsBase64Encoded(Boolean isBase64Encoded) { this.isBase64Encoded = isBase64Encoded; }

    public APIGatewayProxyResponseEvent withStatusCode(Integer statusCode) {
        this.setStatusCode(statusCode);
        return this;
    }

    public APIGatewayProxyResponseEvent withHeaders(Map<String, String> headers) {
        this.setHeaders(headers);
        return this;
    }

    public APIGatewayProxyResponseEvent withBody(String body) {
        this.setBody(body);
        return this;
    }
}
