package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An SQS handler: the number of records, their bodies, sources and one binary attribute. */
public class SqsHandler implements RequestHandler<SQSEvent, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(SQSEvent event, Context context) {
        List<String> bodies = new ArrayList<String>();
        List<String> sources = new ArrayList<String>();
        List<String> binary = new ArrayList<String>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            bodies.add(message.getBody());
            sources.add(message.getEventSourceArn());
            if (message.getMessageAttributes() != null) {
                for (SQSEvent.MessageAttribute attribute : message.getMessageAttributes().values()) {
                    if (attribute.getBinaryValue() != null) {
                        byte[] bytes = new byte[attribute.getBinaryValue().remaining()];
                        attribute.getBinaryValue().get(bytes);
                        binary.add(new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("count", event.getRecords().size());
        out.put("bodies", bodies);
        out.put("sources", sources);
        out.put("binary", binary);
        return out;
    }
}
