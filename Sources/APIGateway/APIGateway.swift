// APIGateway module.
