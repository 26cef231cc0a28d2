#!/usr/bin/env python3
# Minimal Lambda Runtime API for timing a batch bootstrap: serves the given events one by one, records each response.
import http.server, json, sys, threading, time, uuid
events = [json.dumps(json.loads(e)).encode() for e in sys.argv[2:]]
port = int(sys.argv[1]); state = {"i": 0, "t": {}}
done = threading.Event()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if state["i"] >= len(events):
            done.set(); time.sleep(3600); return
        rid = str(uuid.uuid4()); body = events[state["i"]]; state["i"] += 1; state["t"][rid] = time.time()
        self.send_response(200); self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int((time.time()+900)*1000)))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:000000000000:function:batch")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0)); data = self.rfile.read(n)
        rid = self.path.split("/")[4]; took = time.time() - state["t"].get(rid, time.time())
        print(f"{self.path.split('/')[-1]} after {took:.3f} s: {data.decode()}", flush=True)
        self.send_response(202); self.send_header("Content-Length", "0"); self.end_headers()
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
threading.Thread(target=srv.serve_forever, daemon=True).start()
done.wait(); time.sleep(0.2)
