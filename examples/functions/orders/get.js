// GET /orders  ->  method-prefixed files split one path by HTTP method.
exports.handler = async () => ({ orders: [{ id: '1', total: 42 }] });
