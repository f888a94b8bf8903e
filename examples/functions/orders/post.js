// POST /orders  ->  the raw body arrives as text in event.body (the platform never parses it).
exports.handler = async (event) => {
  let order;
  try {
    order = JSON.parse(event.body ?? '{}');
  } catch {
    return { status: 400, body: { error: 'body must be JSON' } };
  }
  return { status: 201, body: { created: order } };
};
