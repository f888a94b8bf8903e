# GET /hello?name=Ada  ->  {"message": "Hello, Ada!"}
def handler(event):
    name = (event.get("query") or {}).get("name") or "world"
    return {"status": 200, "body": {"message": f"Hello, {name}!"}}
