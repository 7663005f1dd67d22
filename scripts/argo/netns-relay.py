#!/usr/bin/env python3
"""Relays TCP ports on the host's loopback into a network namespace of their own.

    netns-relay.py /proc/PID/ns/net 127.0.0.1:HOSTPORT=127.0.0.1:PORT ...

The control plane of real-argo-env.sh runs in a network namespace where only loopback exists,
because argo server and the controller's health port listen on every interface. The tests reach
argo-server and the Kubernetes API through this relay: it binds its listening sockets on the host's
loopback first, then joins the namespace (and its user namespace when it has one of its own), so
every connection it opens to a target is made inside. A socket keeps the namespace it was created
in, so the listening sockets stay on the host.

One thread per direction of each connection; at most MAX_CONNECTIONS at once (more are closed at
once); a connection ends on both sides when either side ends it.
"""
import ctypes
import os
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
MAX_CONNECTIONS = 256
BUFFER = 64 * 1024

slots = threading.BoundedSemaphore(MAX_CONNECTIONS)


def address(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def join(namespace_file):
    libc = ctypes.CDLL(None, use_errno=True)
    pid_dir = os.path.dirname(os.path.dirname(namespace_file))
    user_file = os.path.join(pid_dir, "ns", "user")
    # A namespace made by an unprivileged `unshare --user --net` belongs to its user namespace:
    # joining the network namespace needs its capabilities, so join that first.
    if os.path.exists(user_file) and os.stat(user_file).st_ino != os.stat("/proc/self/ns/user").st_ino:
        with open(user_file) as user:
            if libc.setns(user.fileno(), CLONE_NEWUSER) != 0:
                raise OSError(ctypes.get_errno(), "cannot join the user namespace of " + pid_dir)
    with open(namespace_file) as net:
        if libc.setns(net.fileno(), CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "cannot join the network namespace " + namespace_file)


def pump(source, sink):
    try:
        while True:
            data = source.recv(BUFFER)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    # Either side ended: end both, so a client that leaves ends the server's work too.
    for end in (source, sink):
        try:
            end.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def serve(client, target):
    try:
        upstream = socket.create_connection(target, timeout=10)
        upstream.settimeout(None)
    except OSError:
        client.close()
        slots.release()
        return
    back = threading.Thread(target=pump, args=(upstream, client), daemon=True)
    back.start()
    pump(client, upstream)
    back.join()
    client.close()
    upstream.close()
    slots.release()


def accept(listener, target):
    while True:
        client, _ = listener.accept()
        if not slots.acquire(blocking=False):
            client.close()
            continue
        threading.Thread(target=serve, args=(client, target), daemon=True).start()


def main(args):
    if len(args) < 2:
        sys.exit("usage: netns-relay.py /proc/PID/ns/net HOST:PORT=HOST:PORT ...")
    listeners = []
    for pair in args[1:]:
        listen, _, target = pair.partition("=")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address(listen))
        listener.listen(64)
        listeners.append((listener, address(target)))
    join(args[0])
    threads = [
        threading.Thread(target=accept, args=pair, daemon=True) for pair in listeners
    ]
    for thread in threads:
        thread.start()
    print("relaying " + " ".join(args[1:]), flush=True)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main(sys.argv[1:])
