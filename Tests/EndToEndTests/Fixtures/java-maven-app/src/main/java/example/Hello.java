package example;

import java.util.Map;

/** The handler of the Maven-built function: example.Hello::handleRequest. */
public class Hello {
    public String handleRequest(Map<String, Object> event) {
        return "hello from maven: " + event.get("name");
    }
}
