# GET /events  ->  Server-Sent Events from a Python generator; each chunk is flushed as it is produced.
import time


def handler(event):
    def stream():
        for i in range(3):
            yield f"data: tick {i}\n\n"
            time.sleep(0.2)

    return {"status": 200, "headers": {"Content-Type": "text/event-stream"}, "body": stream()}
