// GET /users/:id  ->  the route param arrives as the second argument (and in event.params).
exports.handler = async (event, params) => ({
  status: 200,
  body: { id: params.id, method: event.method, query: event.query },
});
