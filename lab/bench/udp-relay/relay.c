/*
 * The media benchmark's physical-limit reference: the least a userspace UDP relay can do per packet.
 * For each of N streams it binds LAN_ADDR:FIRST_PORT+i and VPN_ADDR:FIRST_PORT+i and relays every
 * datagram that arrives on one socket out of the other, to the address that last sent to that other
 * socket (symmetric latching, as the bridge does once the SDP is rewritten); until that side has sent,
 * its datagrams are dropped. No control protocol, statistics, timers or allocation: one epoll loop.
 *
 *   relay epoll|mmsg LAN_ADDR VPN_ADDR FIRST_PORT STREAMS
 *
 * epoll: level-triggered epoll, one recvfrom() and one sendto() per datagram (what the bridge and
 *        rtpengine do per packet, minus everything else).
 * mmsg:  the same loop, but each ready socket is drained with one recvmmsg() of up to BATCH datagrams
 *        and they go out with one sendmmsg(): the fewest system calls Linux offers without io_uring.
 *
 * Marks what it sends DSCP EF (IP_TOS 184) like the bridge and rtpengine --tos=184. Prints
 * "relay ready pid P" once bound; on SIGTERM or SIGINT prints its counters and exits.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

enum { DATAGRAM = 2048, BATCH = 64, EVENTS = 256 };

struct side {
	int fd;
	int latched;
	struct sockaddr_in peer; /* who last sent to this socket: where the other socket's datagrams go */
};

static struct side *sides; /* 2i: stream i's LAN socket, 2i+1: its VPN socket; a socket's partner is i ^ 1 */
static volatile sig_atomic_t stopping;
static unsigned long long relayed, dropped, receive_calls, send_calls;

static void stop(int signal_number) {
	(void)signal_number;
	stopping = 1;
}

static void fail(const char *what) {
	perror(what);
	exit(1);
}

static int bind_udp(const char *address, int port) {
	struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	if (inet_pton(AF_INET, address, &local.sin_addr) != 1) {
		fprintf(stderr, "relay: not an IPv4 address: %s\n", address);
		exit(2);
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int tos = 184;
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos) < 0)
		fail("socket");
	if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
		fprintf(stderr, "relay: bind %s:%d: %s\n", address, port, strerror(errno));
		exit(1);
	}
	return fd;
}

/* One datagram in, one out. */
static void relay_one(int index) {
	static char buffer[DATAGRAM];
	struct side *in = &sides[index], *out = &sides[index ^ 1];
	socklen_t length = sizeof in->peer;
	ssize_t size = recvfrom(in->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&in->peer, &length);
	receive_calls++;
	if (size < 0)
		return; /* EAGAIN after a spurious wake-up, or an ICMP error queued on the socket */
	in->latched = 1;
	if (!out->latched) {
		dropped++;
		return;
	}
	send_calls++;
	if (sendto(out->fd, buffer, (size_t)size, 0, (struct sockaddr *)&out->peer, sizeof out->peer) == size)
		relayed++;
	else
		dropped++;
}

static char buffers[BATCH][DATAGRAM];
static struct iovec vectors[BATCH];
static struct mmsghdr messages[BATCH];
static struct sockaddr_in senders[BATCH];

/* Points the first count message headers back at their own buffer and sender slot, ready to receive. */
static void ready_to_receive(int count) {
	for (int i = 0; i < count; i++) {
		vectors[i] = (struct iovec){.iov_base = buffers[i], .iov_len = DATAGRAM};
		messages[i].msg_hdr = (struct msghdr){.msg_name = &senders[i], .msg_namelen = sizeof senders[i],
		                                      .msg_iov = &vectors[i], .msg_iovlen = 1};
	}
}

/* Everything queued on the socket (up to BATCH) in one call, out in one call. */
static void relay_batch(int index) {
	struct side *in = &sides[index], *out = &sides[index ^ 1];
	int count = recvmmsg(in->fd, messages, BATCH, 0, NULL);
	receive_calls++;
	if (count <= 0)
		return;
	in->peer = senders[count - 1];
	in->latched = 1;
	if (!out->latched) {
		dropped += (unsigned)count;
		ready_to_receive(count);
		return;
	}
	for (int i = 0; i < count; i++) {
		vectors[i].iov_len = messages[i].msg_len;
		messages[i].msg_hdr.msg_name = &out->peer;
		messages[i].msg_hdr.msg_namelen = sizeof out->peer;
	}
	send_calls++;
	int sent = sendmmsg(out->fd, messages, (unsigned)count, 0);
	sent = sent < 0 ? 0 : sent;
	relayed += (unsigned)sent;
	dropped += (unsigned)(count - sent);
	ready_to_receive(count); /* only the headers used: the rest are still ready */
}

int main(int argc, char **argv) {
	if (argc != 6 || (strcmp(argv[1], "epoll") != 0 && strcmp(argv[1], "mmsg") != 0)) {
		fprintf(stderr, "usage: relay epoll|mmsg LAN_ADDR VPN_ADDR FIRST_PORT STREAMS\n");
		return 2;
	}
	int batched = strcmp(argv[1], "mmsg") == 0;
	int first_port = atoi(argv[4]), streams = atoi(argv[5]);
	if (first_port < 1 || streams < 1 || first_port + streams > 65536) {
		fprintf(stderr, "relay: ports %s..+%s are not in 1-65535\n", argv[4], argv[5]);
		return 2;
	}
	struct rlimit files;
	if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
		files.rlim_cur = files.rlim_max; /* two sockets per stream */
		setrlimit(RLIMIT_NOFILE, &files);
	}
	sides = calloc(2 * (size_t)streams, sizeof *sides);
	int epoll = epoll_create1(EPOLL_CLOEXEC);
	if (sides == NULL || epoll < 0)
		fail("relay");
	for (int i = 0; i < 2 * streams; i++) {
		sides[i].fd = bind_udp(i % 2 == 0 ? argv[2] : argv[3], first_port + i / 2);
		struct epoll_event interest = {.events = EPOLLIN, .data.u32 = (unsigned)i};
		if (epoll_ctl(epoll, EPOLL_CTL_ADD, sides[i].fd, &interest) < 0)
			fail("epoll_ctl");
	}
	ready_to_receive(BATCH);
	struct sigaction on_stop = {.sa_handler = stop}; /* no SA_RESTART: epoll_wait returns EINTR */
	sigaction(SIGTERM, &on_stop, NULL);
	sigaction(SIGINT, &on_stop, NULL);
	printf("relay ready pid %d: %s, %d streams on %s and %s from port %d\n", (int)getpid(), argv[1], streams,
	       argv[2], argv[3], first_port);
	fflush(stdout);

	struct epoll_event ready[EVENTS];
	while (!stopping) {
		int count = epoll_wait(epoll, ready, EVENTS, -1);
		if (count < 0 && errno != EINTR)
			fail("epoll_wait");
		for (int i = 0; i < count; i++) {
			if (batched)
				relay_batch((int)ready[i].data.u32);
			else
				relay_one((int)ready[i].data.u32);
		}
	}
	printf("relay %s: relayed %llu, dropped %llu, %llu receive and %llu send calls (%.2f datagrams per receive)\n",
	       argv[1], relayed, dropped, receive_calls, send_calls,
	       receive_calls ? (double)(relayed + dropped) / (double)receive_calls : 0.0);
	return 0;
}
