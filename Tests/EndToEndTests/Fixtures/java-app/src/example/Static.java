package example;

import com.amazonaws.services.lambda.runtime.Context;

/** A static method handler, `example.Static::handle`: a JSON string in, a JSON string out. */
public final class Static {
    private Static() {}

    public static String handle(String name, Context context) {
        return "Hello, " + name + "! (" + context.getFunctionName() + ")";
    }
}
