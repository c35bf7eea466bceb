package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Its constructor throws, so the function fails at init. */
public class BadInit implements RequestHandler<Map<String, Object>, String> {
    public BadInit() {
        throw new IllegalStateException("cannot initialise BadInit");
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "unreachable";
    }
}
