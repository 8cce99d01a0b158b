/** Will own RTP port allocation, UDP forwarding with DSCP, latching, call quality and captures (netty epoll, bouncycastle). */
package org.sipbridge.rtp;
