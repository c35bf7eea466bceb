package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A RequestStreamHandler: wraps the event's bytes, unparsed, in a JSON object with their length. */
public class Stream implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        for (int n; (n = input.read(chunk)) > 0;) {
            buffer.write(chunk, 0, n);
        }
        String event = new String(buffer.toByteArray(), StandardCharsets.UTF_8);
        String reply = "{\"length\":" + buffer.size() + ",\"requestId\":\"" + context.getAwsRequestId()
                + "\",\"event\":" + event + "}";
        output.write(reply.getBytes(StandardCharsets.UTF_8));
    }
}
