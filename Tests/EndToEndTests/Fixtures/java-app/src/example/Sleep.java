package example;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;

/** Sleeps longer than its timeout (2 s in the template). */
public class Sleep {
    public String handleRequest(Map<String, Object> event, Context context) throws InterruptedException {
        System.out.println("java sleeper: going to sleep");
        Thread.sleep(30000);
        return "woke up";
    }
}
