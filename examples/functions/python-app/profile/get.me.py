def handler(event):
    auth = (event.get("headers") or {}).get("authorization", "")
    token = auth[7:] if auth.startswith("Bearer ") else ""
    if not token:
        return {"status": 401, "body": {"error": "missing bearer token"}}
    user = {"id": "u-123", "roles": ["reader"]}
    return {"status": 200, "body": {"user": user}}
