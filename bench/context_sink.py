#!/usr/bin/env python3
"""A stand-in for the engine's POST /build that reads the request body and
throws it away, for build_context_bench.sh -s: it times the client side
(walk, .dockerignore, tar, HTTP chunking, socket writes) with no engine
unpacking in the way. Answers /_ping and /version as an API 1.41 engine,
sends "100 Continue" when asked (as the engine's Go server does), and
reports the bytes received in the build's output stream.

    context_sink.py /path/to/socket
"""
import json
import os
import socket
import sys
import threading


def read_body(reader, headers):
    total = 0
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int(reader.readline().split(b";")[0].strip(), 16)
            if size == 0:
                while reader.readline() not in (b"\r\n", b""):
                    pass
                return total
            left = size
            while left:
                block = reader.read(min(left, 1 << 20))
                if not block:
                    return total
                left -= len(block)
                total += len(block)
            reader.readline()
    length = int(headers.get("content-length", "0"))
    while length:
        block = reader.read(min(length, 1 << 20))
        if not block:
            break
        length -= len(block)
        total += len(block)
    return total


def handle(conn):
    with conn, conn.makefile("rb", buffering=1 << 20) as reader:
        request = reader.readline().decode()
        if not request:
            return
        method, target, _ = request.split(" ", 2)
        headers = {}
        while True:
            line = reader.readline()
            if line in (b"\r\n", b""):
                break
            name, value = line.decode().split(":", 1)
            headers[name.strip().lower()] = value.strip()
        if headers.get("expect", "").lower() == "100-continue":
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        received = read_body(reader, headers)
        extra = b""
        if target.endswith("/_ping"):
            body, extra = b"OK", b"Api-Version: 1.41\r\n"
        elif target.endswith("/version"):
            body = json.dumps({"Version": "20.10", "ApiVersion": "1.41", "MinAPIVersion": "1.12",
                               "Os": "linux", "Arch": "amd64"}).encode()
        elif "/build" in target:
            body = (json.dumps({"stream": "received %d bytes\n" % received}) + "\r\n" +
                    json.dumps({"aux": {"ID": "sha256:" + "0" * 64}}) + "\r\n").encode()
        else:
            body = json.dumps({"Id": "sha256:" + "0" * 64}).encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\n" + extra + b"Content-Type: application/json\r\n" +
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)


def main():
    path = sys.argv[1]
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
