package example;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;

/** Throws an exception with a cause. */
public class Fail {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        throw new IllegalStateException("order rejected", validate(event));
    }

    private static IllegalArgumentException validate(Map<String, Object> event) {
        return new IllegalArgumentException("quantity must be positive");
    }
}
