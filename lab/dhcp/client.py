#!/usr/bin/python3
"""A DHCP client for the lab: sends one real DHCP packet (scapy) and prints the answer as JSON.

    client.py inform|discover|request <iface> <ciaddr> <mac> [timeout-seconds]

Runs in the phone namespace. Prints {"answered": false} when nothing comes back within the timeout,
else the reply's header fields and options (option 160 and the like as text).
"""
import json
import sys
import threading

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, conf, get_if_hwaddr, sendp, AsyncSniffer  # noqa: E402
from scapy.layers.dhcp import DHCPOptions  # noqa: E402

kind, iface, ciaddr, mac = sys.argv[1:5]
timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
conf.verb = 0
chaddr = bytes.fromhex(mac.replace(":", "")) + b"\x00" * 10
xid = 0x5B1D6E01
message = {"inform": "inform", "discover": "discover", "request": "request"}[kind]
options = [("message-type", message), ("param_req_list", [1, 3, 6, 66, 160]),
           ("vendor_class_id", b"Polycom-VVX450")]
if kind == "request":
    options += [("requested_addr", ciaddr), ("server_id", "198.18.1.1")]
options.append("end")
packet = (Ether(src=get_if_hwaddr(iface), dst="ff:ff:ff:ff:ff:ff")
          / IP(src=ciaddr if kind == "inform" else "0.0.0.0", dst="255.255.255.255")
          / UDP(sport=68, dport=67)
          / BOOTP(op=1, xid=xid, ciaddr=ciaddr if kind == "inform" else "0.0.0.0", chaddr=chaddr, flags=0)
          / DHCP(options=options))

# Capture must be running before the request leaves, or a fast answer is missed and a "no answer"
# would be a false pass.
ready = threading.Event()
# An INFORM's answer goes to its ciaddr: other answers on the link (another device's) are not ours.
answer_filter = "udp and dst port 68" + (f" and dst host {ciaddr}" if kind == "inform" else "")
sniffer = AsyncSniffer(iface=iface, filter=answer_filter, count=1, timeout=timeout,
                       started_callback=ready.set)
sniffer.start()
if not ready.wait(10):
    sys.exit("sniffer did not start")
sendp(packet, iface=iface)
sniffer.join()
replies = sniffer.results or []
if not replies:
    print(json.dumps({"answered": False}))
    sys.exit(0)
reply = replies[0]
bootp = reply[BOOTP]
# Options by number: scapy names 160 "v4-captive-portal" (RFC 8910 reuses the code), which says
# nothing about the Polycom boot-server use the bridge makes of it.
codes = {getattr(field, "name", field): code for code, field in DHCPOptions.items()}
decoded = {}
for option in reply[DHCP].options:
    if isinstance(option, tuple):
        name, value = option[0], option[1:] if len(option) > 2 else option[1]
        decoded[str(codes.get(name, name))] = value.decode("latin-1") if isinstance(value, bytes) else str(value)
print(json.dumps({
    "answered": True, "ipDst": reply[IP].dst, "udpDport": reply[UDP].dport, "ipSrc": reply[IP].src,
    "op": bootp.op, "xid": bootp.xid, "yiaddr": bootp.yiaddr, "ciaddr": bootp.ciaddr,
    "chaddr": bootp.chaddr[:6].hex(":"), "options": decoded}))
