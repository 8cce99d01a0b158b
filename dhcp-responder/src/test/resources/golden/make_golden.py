#!/usr/bin/python3
"""Writes the golden DHCP packets the codec tests decode.

Each packet is built the way a real client builds it, as a whole Ethernet/IP/UDP frame with scapy
(Debian's python3-scapy: run with /usr/bin/python3), and the file keeps only the UDP payload, which
is what the bridge's socket receives. Regenerate with:  /usr/bin/python3 make_golden.py
"""
from scapy.all import BOOTP, DHCP, IP, UDP, Ether, raw

PHONE_MAC = bytes.fromhex('0004f2123456')   # a Polycom OUI (00:04:f2)
XID = 0x5a5a1234


def frame(bootp):
    src = ':'.join('%02x' % b for b in PHONE_MAC)
    return Ether(src=src, dst='ff:ff:ff:ff:ff:ff') / IP(src='0.0.0.0', dst='255.255.255.255') / UDP(sport=68, dport=67) / bootp


def options_field(options, size):
    """Encodes DHCP options (without the magic cookie) and pads them with pad options to `size` bytes."""
    data = raw(DHCP(options=options))
    assert len(data) <= size, (len(data), size)
    return data + bytes(size - len(data))


def write(name, comment, pkt):
    payload = raw(pkt[UDP].payload)
    with open(name, 'w') as out:
        out.write('# ' + comment + '\n')
        out.write('# Made by make_golden.py (scapy %s): the UDP payload of %s\n' % (__import__('scapy').VERSION, pkt.summary()))
        for i in range(0, len(payload), 32):
            out.write(payload[i:i + 32].hex() + '\n')


write('inform-polycom.hex',
      'DHCPINFORM from a Polycom VVX 450 at 198.18.1.10 asking for options 1, 3, 6, 66 and 160',
      frame(BOOTP(op=1, ciaddr='198.18.1.10', chaddr=PHONE_MAC, xid=XID) /
            DHCP(options=[('message-type', 'inform'), ('param_req_list', [1, 3, 6, 66, 160]),
                          ('vendor_class_id', 'Polycom-VVX450'), 'end'])))

write('discover-polycom.hex',
      'DHCPDISCOVER (broadcast flag set) from the same phone before it has an address',
      frame(BOOTP(op=1, chaddr=PHONE_MAC, xid=XID + 1, flags=0x8000) /
            DHCP(options=[('message-type', 'discover'), ('client_id', b'\x01' + PHONE_MAC),
                          ('hostname', 'vvx450'), ('param_req_list', [1, 3, 6, 15, 66, 160]),
                          ('vendor_class_id', 'Polycom-VVX450'), 'end'])))

write('request-polycom.hex',
      'DHCPREQUEST (SELECTING) for 198.18.1.10 from server 198.18.1.1',
      frame(BOOTP(op=1, chaddr=PHONE_MAC, xid=XID + 1, flags=0x8000) /
            DHCP(options=[('message-type', 'request'), ('client_id', b'\x01' + PHONE_MAC),
                          ('requested_addr', '198.18.1.10'), ('server_id', '198.18.1.1'),
                          ('hostname', 'vvx450'), ('param_req_list', [1, 3, 6, 15, 66, 160]), 'end'])))

write('inform-overload.hex',
      'DHCPINFORM with option overload 3: options continue in file (55, 60) and then sname (12)',
      frame(BOOTP(op=1, ciaddr='198.18.1.10', chaddr=PHONE_MAC, xid=XID + 2,
                  file=options_field([('param_req_list', [1, 3, 6, 66, 160]),
                                      ('vendor_class_id', 'Polycom-VVX450'), 'end'], 128),
                  sname=options_field([('hostname', 'vvx450-lobby'), 'end'], 64)) /
            DHCP(options=[('message-type', 'inform'), ('dhcp-option-overload', 3), 'end'])))

write('inform-split-option.hex',
      'DHCPINFORM whose vendor class (60) comes in two parts, "Polycom-" and "VVX450" (RFC 3396)',
      frame(BOOTP(op=1, ciaddr='198.18.1.10', chaddr=PHONE_MAC, xid=XID + 3) /
            DHCP(options=[('message-type', 'inform'), ('vendor_class_id', 'Polycom-'),
                          ('param_req_list', [1, 3, 6, 66, 160]), ('vendor_class_id', 'VVX450'), 'end'])))

# The answer the bridge must send to inform-polycom.hex when its LAN adapter is 198.18.1.2/24 and the
# provisioning proxy listens on 8088. Scapy calls option 160 "v4-captive-portal" (RFC 7710 later gave
# 160 that meaning; Polycom phones read it as their provisioning server). Padded with zeros to the
# 300-byte BOOTP minimum, as the bridge's encoder does.
ack = (Ether(dst=':'.join('%02x' % b for b in PHONE_MAC)) / IP(src='198.18.1.2', dst='198.18.1.10') /
       UDP(sport=67, dport=68) /
       BOOTP(op=2, ciaddr='198.18.1.10', chaddr=PHONE_MAC, xid=XID) /
       DHCP(options=[('message-type', 'ack'), ('server_id', '198.18.1.2'),
                     ('v4-captive-portal', 'http://198.18.1.2:8088/'), 'end']))
ack_payload = raw(ack[UDP].payload)
ack_payload += bytes(300 - len(ack_payload))
write('ack-polycom.hex',
      'DHCPACK answering inform-polycom.hex from a bridge at 198.18.1.2/24: options 53=ACK, 54, 160 URL, end; padded to 300',
      Ether() / IP() / UDP(sport=67, dport=68) / BOOTP(ack_payload))
