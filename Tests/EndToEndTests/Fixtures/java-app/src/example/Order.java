package example;

import java.util.Date;
import java.util.List;

/** The POJO event of OrderHandler: setters, a nested POJO, a list, a boolean and a date. */
public class Order {
    private String id;
    private int quantity;
    private double unitPrice;
    private List<String> items;
    private Customer customer;
    private boolean express;
    private Date placedAt;

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public int getQuantity() { return quantity; }
    public void setQuantity(int quantity) { this.quantity = quantity; }
    public double getUnitPrice() { return unitPrice; }
    public void setUnitPrice(double unitPrice) { this.unitPrice = unitPrice; }
    public List<String> getItems() { return items; }
    public void setItems(List<String> items) { this.items = items; }
    public Customer getCustomer() { return customer; }
    public void setCustomer(Customer customer) { this.customer = customer; }
    public boolean isExpress() { return express; }
    public void setExpress(boolean express) { this.express = express; }
    public Date getPlacedAt() { return placedAt; }
    public void setPlacedAt(Date placedAt) { this.placedAt = placedAt; }

    /** The customer. */
    public static class Customer {
        private String name;
        private String email;

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email; }
    }
}
