#!/usr/bin/env python3
"""The router's delaying program: added one-way latency where the kernel has
no sch_netem (harness/router/link.ts, Lab.delay).

The router's chain `delay` marks the packets of a delayed link or flow with
their delay (mark = 1 << 31 | jitter_ms << 16 | ms) and an iptables NFQUEUE
rule hands marked packets to this program's queue (nftables' own `queue` is
missing from some kernels). It holds each for its delay and then lets it go on
(NF_ACCEPT, by packet id: verdicts may be given in any order). Python's
standard library only, so it runs wherever python3 does, no compiler needed:
it speaks netlink to the kernel's nfnetlink_queue directly.

- Order: packets wait in a heap by release time. A flow's packets (same
  protocol, addresses and ports) never overtake one another: with jitter a
  packet waits at least until the one before it of its flow left, as a queue
  on a real link keeps order.
- Bursts: the kernel holds at most 4096 packets for this queue (held here
  awaiting release); beyond that it drops new ones, as a full router buffer
  would (the queue is not fail-open).
- Lifetime: it exits when its stdin closes (the lab, or the grader, is gone);
  the kernel then drops what it held. The rule has `--queue-bypass`: with no
  program on the queue packets pass undelayed rather than vanish, so a dead
  delayer never looks like a dead link, which learner code would be blamed
  for (a delay is a condition to cope with, not a failure to detect).

Usage: delay.py QUEUE_NUMBER   (as root, in the router's network namespace;
prints "ready" once it holds the queue)
"""
import heapq
import os
import random
import select
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
SO_RCVBUFFORCE = 33
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
# nfnetlink_queue (include/uapi/linux/netfilter/nfnetlink_queue.h)
SUBSYS_QUEUE = 3 << 8
MSG_PACKET, MSG_VERDICT, MSG_CONFIG = 0, 1, 2
CFG_CMD, CFG_PARAMS, CFG_QUEUE_MAXLEN = 1, 2, 3
CMD_BIND = 1
COPY_PACKET = 2
A_PACKET_HDR, A_VERDICT_HDR, A_MARK, A_PAYLOAD = 1, 2, 3, 10
NF_ACCEPT = 1

MAXLEN = 4096
# Enough of each packet for its flow: an IPv4 header with options or IPv6's, and the ports.
COPY_RANGE = 128

queue = int(sys.argv[1]) if len(sys.argv) > 1 else 0
seq = 0


def attr(kind, data):
    pad = b"\0" * (-len(data) % 4)
    return struct.pack("=HH", 4 + len(data), kind) + data + pad


def message(kind, flags, attrs):
    global seq
    seq += 1
    body = struct.pack(">BBH", socket.AF_UNSPEC, 0, queue) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), SUBSYS_QUEUE | kind, NLM_F_REQUEST | flags, seq, 0) + body


def messages(buf):
    """(type, payload after the nfgenmsg header) of each netlink message in one datagram."""
    off = 0
    while off + 16 <= len(buf):
        length, kind = struct.unpack_from("=IH", buf, off)
        if length < 16:
            return
        yield kind, buf[off + 16 : off + length]
        off += (length + 3) & ~3


def attrs(data):
    out = {}
    off = 4  # nfgenmsg
    while off + 4 <= len(data):
        length, kind = struct.unpack_from("=HH", data, off)
        if length < 4:
            break
        out[kind & 0x3FFF] = data[off + 4 : off + length]
        off += (length + 3) & ~3
    return out


def configure(sock, *cfg):
    """Sends one config message and waits for the kernel's acknowledgement."""
    sock.send(message(MSG_CONFIG, NLM_F_ACK, cfg))
    for kind, data in messages(sock.recv(65536)):
        if kind == NLMSG_ERROR:
            err = -struct.unpack_from("=i", data)[0]
            if err:
                raise OSError(err, f"nfnetlink_queue config: {os.strerror(err)}")
            return
    raise OSError("nfnetlink_queue config: no acknowledgement")


def flow_of(packet):
    """Protocol, addresses and ports: the flow whose order a packet keeps."""
    if len(packet) >= 20 and packet[0] >> 4 == 4:
        proto, head, addrs = packet[9], (packet[0] & 15) * 4, packet[12:20]
    elif len(packet) >= 40 and packet[0] >> 4 == 6:
        proto, head, addrs = packet[6], 40, packet[8:40]
    else:
        return packet[:1]
    ports = packet[head : head + 4] if proto in (6, 17) else b""
    return bytes([proto]) + addrs + ports


def main():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind((0, 0))
    configure(sock, attr(CFG_CMD, struct.pack(">BBH", CMD_BIND, 0, 0)))
    configure(sock, attr(CFG_PARAMS, struct.pack(">IB", COPY_RANGE, COPY_PACKET)), attr(CFG_QUEUE_MAXLEN, struct.pack(">I", MAXLEN)))
    # A burst beyond the socket's buffer is the kernel's to drop; reading on is all there is to do.
    sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
    sock.setblocking(False)
    print("ready", flush=True)

    held = []  # (release time, arrival number, packet id, flow)
    last = {}  # flow -> release time of its latest held packet
    arrivals = 0
    stdin = sys.stdin.fileno()
    while True:
        now = time.monotonic()
        while held and held[0][0] <= now:
            release, _, pid, flow = heapq.heappop(held)
            if last.get(flow) == release:
                del last[flow]
            sock.send(message(MSG_VERDICT, 0, [attr(A_VERDICT_HDR, struct.pack(">II", NF_ACCEPT, pid))]))
        wait = max(0.0, held[0][0] - now) if held else None
        ready, _, _ = select.select([sock, stdin], [], [], wait)
        if stdin in ready and not os.read(stdin, 4096):
            return
        if sock not in ready:
            continue
        while True:
            try:
                buf = sock.recv(1 << 16)
            except (BlockingIOError, InterruptedError):
                break
            now = time.monotonic()
            for kind, data in messages(buf):
                if kind != SUBSYS_QUEUE | MSG_PACKET:
                    continue
                a = attrs(data)
                pid = struct.unpack(">I", a[A_PACKET_HDR][:4])[0]
                mark = struct.unpack(">I", a[A_MARK])[0] if A_MARK in a else 0
                ms, jitter = mark & 0xFFFF, (mark >> 16) & 0x7FFF
                flow = flow_of(a.get(A_PAYLOAD, b""))
                release = max(now + max(0.0, ms + random.uniform(-jitter, jitter)) / 1000, last.get(flow, 0.0))
                last[flow] = release
                arrivals += 1
                heapq.heappush(held, (release, arrivals, pid, flow))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
