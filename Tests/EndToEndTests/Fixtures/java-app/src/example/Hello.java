package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/** A RequestHandler echoing its event with values from the context; logs three ways. */
public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private int invocations;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        invocations++;
        context.getLogger().log("java logger: " + context.getAwsRequestId());
        System.out.println("java stdout: hello");
        System.err.println("java stderr: hello");
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("input", event);
        out.put("requestId", context.getAwsRequestId());
        out.put("functionName", context.getFunctionName());
        out.put("functionVersion", context.getFunctionVersion());
        out.put("memoryLimitInMB", context.getMemoryLimitInMB());
        out.put("remainingTimePositive", context.getRemainingTimeInMillis() > 0);
        out.put("invokedFunctionArn", context.getInvokedFunctionArn());
        out.put("logGroupName", context.getLogGroupName());
        out.put("marker", System.getenv("STANDIN_E2E_MARKER"));
        out.put("invocations", invocations);
        return out;
    }
}
