package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** An API Gateway (REST, payload 1.0) proxy handler using the events' request and response classes. */
public class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        Map<String, String> query = request.getQueryStringParameters();
        String name = query != null && query.get("name") != null ? query.get("name") : "world";
        String requestId = request.getRequestContext() == null ? null : request.getRequestContext().getRequestId();
        String body = "{\"message\":\"Hello, " + name + "!\",\"method\":\"" + request.getHttpMethod()
                + "\",\"path\":\"" + request.getPath() + "\",\"requestId\":\"" + requestId
                + "\",\"base64\":" + request.getIsBase64Encoded() + "}";
        Map<String, String> headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Handler", "java");
        return new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(headers).withBody(body);
    }
}
