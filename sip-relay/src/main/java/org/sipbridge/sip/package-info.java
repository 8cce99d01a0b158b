/** Will own SIP transports, transactions, the registration relay, dialogs, auth, failover and SDP rewriting (jain-sip-ri). */
package org.sipbridge.sip;
