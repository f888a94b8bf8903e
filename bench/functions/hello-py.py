def handler(event):
    return {"message": "hello"}
