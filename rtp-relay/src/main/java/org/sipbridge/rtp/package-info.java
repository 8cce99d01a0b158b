/**
 * The RTP relay: {@link org.sipbridge.rtp.RtpRelayService} implements the media interface the SIP relay
 * uses (allocate a session, rewrite each SDP body, release) and relays RTP/RTCP between the LAN and VPN
 * adapters with DSCP marks, symmetric latching and per-direction call quality. See the module README for
 * the packet path and the thread/ownership model.
 */
package org.sipbridge.rtp;
