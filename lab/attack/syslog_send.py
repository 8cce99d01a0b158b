#!/usr/bin/python3
"""Sends syslog datagrams over UDP from a chosen source address (the lab's syslog attacks).

    syslog_send.py <bind-ip> <dest-ip> <port> <count> <size>

Each datagram is an RFC 3164 line padded with 'x' to <size> bytes.
"""
import socket
import sys

bind_ip, dest, port, count, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((bind_ip, 0))
for i in range(count):
    line = ("<12>Dec  4 12:00:00 attacker flood: %d " % i).encode()
    sock.sendto(line + b"x" * max(0, size - len(line)), (dest, port))
