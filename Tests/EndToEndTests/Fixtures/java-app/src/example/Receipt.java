package example;

/** OrderHandler's POJO response: getters, a public field, and a null property (left out of the JSON). */
public class Receipt {
    private String orderId;
    private double total;
    private int itemCount;
    private String customerName;
    private boolean express;
    private Long placedAtMillis;
    private String status;
    private String note;
    public String channel = "java";

    public String getOrderId() { return orderId; }
    public void setOrderId(String orderId) { this.orderId = orderId; }
    public double getTotal() { return total; }
    public void setTotal(double total) { this.total = total; }
    public int getItemCount() { return itemCount; }
    public void setItemCount(int itemCount) { this.itemCount = itemCount; }
    public String getCustomerName() { return customerName; }
    public void setCustomerName(String customerName) { this.customerName = customerName; }
    public boolean isExpress() { return express; }
    public void setExpress(boolean express) { this.express = express; }
    public Long getPlacedAtMillis() { return placedAtMillis; }
    public void setPlacedAtMillis(Long placedAtMillis) { this.placedAtMillis = placedAtMillis; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public String getNote() { return note; }
    public void setNote(String note) { this.note = note; }
}
