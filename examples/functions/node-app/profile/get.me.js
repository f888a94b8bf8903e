exports.handler = async (event) => {
  const auth = event.headers?.authorization || "";
  const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
  if (!token) return { status: 401, body: { error: "missing bearer token" } };
  const user = { id: "u-123", roles: ["reader"] };
  return { status: 200, body: { user } };
};
