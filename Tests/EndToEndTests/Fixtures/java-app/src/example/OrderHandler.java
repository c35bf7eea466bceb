package example;

import com.amazonaws.services.lambda.runtime.Context;

/** `example.OrderHandler::handle`: an instance method taking and returning POJOs. */
public class OrderHandler {
    public Receipt handle(Order order, Context context) {
        Receipt receipt = new Receipt();
        receipt.setOrderId(order.getId());
        receipt.setTotal(order.getQuantity() * order.getUnitPrice());
        receipt.setItemCount(order.getItems() == null ? 0 : order.getItems().size());
        receipt.setCustomerName(order.getCustomer() == null ? null : order.getCustomer().getName());
        receipt.setExpress(order.isExpress());
        receipt.setPlacedAtMillis(order.getPlacedAt() == null ? null : order.getPlacedAt().getTime());
        receipt.setStatus("ACCEPTED");
        return receipt;
    }
}
