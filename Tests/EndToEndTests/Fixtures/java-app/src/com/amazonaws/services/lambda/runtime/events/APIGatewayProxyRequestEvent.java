package com.amazonaws.services.lambda.runtime.events;

import java.util.List;
import java.util.Map;

/**
 * A simplified stand-in for aws-lambda-java-events' APIGatewayProxyRequestEvent: the same property names, getters
 * and setters (note `getIsBase64Encoded` / `setIsBase64Encoded`), fewer of the nested details.
 */
public class APIGatewayProxyRequestEvent {
    private String version;
    private String resource;
    private String path;
    private String httpMethod;
    private Map<String, String> headers;
    private Map<String, List<String>> multiValueHeaders;
    private Map<String, String> queryStringParameters;
    private Map<String, List<String>> multiValueQueryStringParameters;
    private Map<String, String> pathParameters;
    private Map<String, String> stageVariables;
    private ProxyRequestContext requestContext;
    private String body;
    private Boolean isBase64Encoded;

    public APIGatewayProxyRequestEvent() {}

    /** The request context: ids, stage, caller identity. */
    public static class ProxyRequestContext {
        private String accountId;
        private String stage;
        private String resourceId;
        private String requestId;
        private RequestIdentity identity;
        private String resourcePath;
        private String httpMethod;
        private String apiId;
        private String path;
        private Map<String, Object> authorizer;

        public ProxyRequestContext() {}

        public String getAccountId() { return accountId; }
        public void setAccountId(String accountId) { this.accountId = accountId; }
        public String getStage() { return stage; }
        public void setStage(String stage) { this.stage = stage; }
        public String getResourceId() { return resourceId; }
        public void setResourceId(String resourceId) { this.resourceId = resourceId; }
        public String getRequestId() { return requestId; }
        public void setRequestId(String requestId) { this.requestId = requestId; }
        public RequestIdentity getIdentity() { return identity; }
        public void setIdentity(RequestIdentity identity) { this.identity = identity; }
        public String getResourcePath() { return resourcePath; }
        public void setResourcePath(String resourcePath) { this.resourcePath = resourcePath; }
        public String getHttpMethod() { return httpMethod; }
        public void setHttpMethod(String httpMethod) { this.httpMethod = httpMethod; }
        public String getApiId() { return apiId; }
        public void setApiId(String apiId) { this.apiId = apiId; }
        public String getPath() { return path; }
        public void setPath(String path) { this.path = path; }
        public Map<String, Object> getAuthorizer() { return authorizer; }
        public void setAuthorizer(Map<String, Object> authorizer) { this.authorizer = authorizer; }

        public ProxyRequestContext withRequestId(String requestId) {
            this.setRequestId(requestId);
            return this;
        }
    }

    /** The caller: source IP and user agent. */
    public static class RequestIdentity {
        private String sourceIp;
        private String userAgent;

        public RequestIdentity() {}

        public String getSourceIp() { return sourceIp; }
        public void setSourceIp(String sourceIp) { this.sourceIp = sourceIp; }
        public String getUserAgent() { return userAgent; }
        public void setUserAgent(String userAgent) { this.userAgent = userAgent; }
    }

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getResource() { return resource; }
    public void setResource(String resource) { this.resource = resource; }
    public String getPath() { return path; }
    public void setPath(String path) { this.path = path; }
    public String getHttpMethod() { return httpMethod; }
    public void setHttpMethod(String httpMethod) { this.httpMethod = httpMethod; }
    public Map<String, String> getHeaders() { return headers; }
    public void setHeaders(Map<String, String> headers) { this.headers = headers; }
    public Map<String, List<String>> getMultiValueHeaders() { return multiValueHeaders; }
    public void setMultiValueHeaders(Map<String, List<String>> multiValueHeaders) { this.multiValueHeaders = multiValueHeaders; }
    public Map<String, String> getQueryStringParameters() { return queryStringParameters; }
    public void setQueryStringParameters(Map<String, String> queryStringParameters) { this.queryStringParameters = queryStringParameters; }
    public Map<String, List<String>> getMultiValueQueryStringParameters() { return multiValueQueryStringParameters; }
    public void setMultiValueQueryStringParameters(Map<String, List<String>> multiValueQueryStringParameters) {
        this.multiValueQueryStringParameters = multiValueQueryStringParameters;
    }
    public Map<String, String> getPathParameters() { return pathParameters; }
    public void setPathParameters(Map<String, String> pathParameters) { this.pathParameters = pathParameters; }
    public Map<String, String> getStageVariables() { return stageVariables; }
    public void setStageVariables(Map<String, String> stageVariables) { this.stageVariables = stageVariables; }
    public ProxyRequestContext getRequestContext() { return requestContext; }
    public void setRequestContext(ProxyRequestContext requestContext) { this.requestContext = requestContext; }
    public String getBody() { return body; }
    public void setBody(String body) { this.body = body; }
    public Boolean getIsBase64Encoded() { return isBase64Encoded; }
    public void setIsBase64Encoded(Boolean isBase64Encoded) { this.isBase64Encoded = isBase64Encoded; }

    public APIGatewayProxyRequestEvent withBody(String body) {
        this.setBody(body);
        return this;
    }
}
