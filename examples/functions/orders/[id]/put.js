// PUT /orders/:id
exports.handler = async (event, { id }) => ({ status: 200, body: { id, updated: true } });
